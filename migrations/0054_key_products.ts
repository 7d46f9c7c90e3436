// Key (chủ lực) products and sectors of a province — ask 3 of letter 3384/BCT-CTĐP asks khuyến công
// to focus on them and their competitive advantages — and the schemes that support them
// (projects.key_product_ids). A province names them in a decision (legal_document_id) for a period.
// The scorecard's ask-3 money share now reads them instead of the Art. 6 area flags, which
// measure something else (ethnic-minority and difficult areas).
//
// Pilot schemes (đề án điểm, TT 36/2013 Art. 2.3) link two or more contents AND last more than a
// year. The second rule is the application's (a write that breaks it is a 400 naming planned_end),
// not a constraint: a pilot recorded before must still take its lifecycle steps. The scorecard
// counts only pilots that satisfy both.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table key_products (
      id uuid primary key default gen_random_uuid(),
      province_code text not null references provinces (code),
      origin_province_code text references former_provinces (code),
      name text not null,
      kind text not null check (kind in ('product', 'sector')),
      industry text not null,
      advantages text,
      legal_document_id uuid references legal_documents (id),
      valid_from date not null,
      valid_to date,
      search_text text generated always as (kc_fold(name)) stored,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (valid_to is null or valid_to >= valid_from)
    );
    create index key_products_list_idx on key_products (province_code, valid_from desc, id desc);
    create index key_products_all_idx on key_products (valid_from desc, id desc);

    alter table key_products enable row level security;
    alter table key_products force row level security;
    create policy key_products_tenant on key_products
      using (kc_in_scope(province_code)) with check (kc_in_scope(province_code));
    grant select, insert, update, delete on key_products to kc_app;

    alter table projects add column key_product_ids uuid[] not null default '{}';
    create index projects_key_products_idx on projects using gin (key_product_ids);

    -- A database migrated before this one: the new code list (a fresh one has it from 0001's data).
    insert into codelists (name, label_vi, label_en, description) values
      ('key_product_kind', 'Loại sản phẩm, ngành hàng chủ lực', 'Kind of key product or sector',
       'Letter 3384/BCT-CTĐP ask 3: the province''s key products and sectors')
      on conflict do nothing;
    insert into codelist_entries (list, code, label_vi, label_en, parent_code, sort_order)
      select 'key_product_kind', e.code, e.label_vi, e.label_en, null,
        (select max(sort_order) from codelist_entries) + e.n
      from (values (1, 'product', 'Sản phẩm chủ lực', 'key product'),
                   (2, 'sector', 'Ngành hàng chủ lực', 'key sector')) e (n, code, label_vi, label_en)
      on conflict do nothing;

    update scorecard_indicators set
      version = version + 1,
      updated_at = now(),
      code = 'key_product_money_share',
      label_vi = 'Tỷ lệ kinh phí đề án cho sản phẩm, ngành hàng chủ lực',
      label_en = 'share of scheme money on the province''s key products and sectors',
      definition = 'Money approved (all sources) to the year''s planned schemes that name at least one key '
        || 'product or sector of the province valid in the year (key_product_ids) ÷ money approved to all '
        || 'planned schemes. Letter 3384/BCT-CTĐP ask 3 asks khuyến công to focus on the province''s key '
        || 'products; met at one half, partly at three tenths: the ministry''s reading of "focus", which '
        || 'it may change.'
      where code = 'priority_money_share';
    update scorecard_indicators set
      version = version + 1,
      updated_at = now(),
      definition = 'Planned schemes of kind pilot (đề án điểm, TT 36/2013 Art. 2.3) that link two or more '
        || 'activity contents and are planned to last more than one year; a shorter "pilot" is not one.'
      where code = 'pilot_schemes';
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    update scorecard_indicators set code = 'priority_money_share' where code = 'key_product_money_share';
    alter table projects drop column key_product_ids;
    drop table key_products;
  `.execute(db)
}
