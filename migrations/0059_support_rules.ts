// Support levels as dated rules (issue #15): the caps the law sets on a scheme's public support,
// kept as data with a validity period because circulars change them. A rule is national (the
// finance circular on khuyến công funds; no province, written by the ministry, read by everyone)
// or provincial (the province's own rules, written by it, linked to its legal document) — the
// programmes' policies (migration 0009). A scheme keeps the rules it was last checked against.
import { type Kysely, sql } from 'kysely'

/** Where the seeded figures come from, and what could not be confirmed against the texts. */
const QUOTED =
  'Figures as quoted in shared/DOMAIN.md and issue #15 (official summaries of TT 28/2018/TT-BTC Art. 8.2 and ' +
  '8.4); NOT confirmed against the text of the circular: the clause number, the valid_from date (the ' +
  'circular’s entry into force, taken as 2018-05-15), the 1.5× priority uplift (Decree 45/2012 Art. 6 as ' +
  'summarised) and the changes made by TT 64/2024/TT-BTC.'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table support_rules (
      id uuid primary key default gen_random_uuid(),
      level text not null,
      province_code text references provinces (code),
      legal_document_id uuid references legal_documents (id),
      legal_basis text not null,
      title text not null,
      valid_from date not null,
      valid_to date,
      activity_content text,
      project_type text,
      -- Percentages, factors and amounts are float8, read as JS numbers (exact for whole VND < 2^53).
      max_share_percent double precision,
      max_amount double precision check (max_amount = trunc(max_amount)),
      amount_basis text,
      priority_uplift double precision not null default 1,
      counterpart_required boolean not null default false,
      advance_max_percent double precision,
      source text,
      search_text text generated always as (kc_fold(legal_basis || ' ' || title)) stored,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (level in ('national', 'provincial')),
      check ((level = 'national') = (province_code is null)),
      check (legal_document_id is null or province_code is not null),
      check (valid_to is null or valid_to >= valid_from),
      check (project_type is null or activity_content is not null),
      check (max_share_percent is null or max_share_percent between 0 and 100),
      check (max_amount is null or max_amount >= 0),
      check ((max_amount is null) = (amount_basis is null)),
      check (amount_basis is null or amount_basis in ('per_establishment', 'per_scheme')),
      check (priority_uplift between 1 and 1.5),
      check (advance_max_percent is null or advance_max_percent between 0 and 100)
    );
    create index support_rules_list_idx on support_rules (valid_from desc, id desc);
    create index support_rules_province_idx on support_rules (province_code, valid_from desc);

    alter table support_rules enable row level security;
    alter table support_rules force row level security;
    create policy support_rules_read on support_rules for select
      using (province_code is null or kc_in_scope(province_code));
    create policy support_rules_insert on support_rules for insert with check (kc_owner_may_write(province_code));
    create policy support_rules_update on support_rules for update
      using (kc_owner_may_write(province_code)) with check (kc_owner_may_write(province_code));
    create policy support_rules_delete on support_rules for delete using (kc_owner_may_write(province_code));
    grant select, insert, update, delete on support_rules to kc_app;

    -- The rules a scheme's money was last checked against (submit, approve, adjust).
    alter table projects add column checked_rules jsonb not null default '[]'
      check (jsonb_typeof(checked_rules) = 'array');

    insert into support_rules (level, legal_basis, title, valid_from, activity_content, project_type,
        max_share_percent, max_amount, amount_basis, priority_uplift, counterpart_required, source)
      values
      ('national', 'TT 28/2018/TT-BTC Art. 8 (amended by TT 64/2024/TT-BTC)',
       'Hỗ trợ ứng dụng máy móc thiết bị tiên tiến — machinery at an establishment: ≤ 50 % of the cost, ≤ 300 million VND per establishment',
       '2018-05-15', 'demonstration_technology', 'machinery_line', 50, 300000000, 'per_establishment', 1.5, true, ${sql.lit(QUOTED)}),
      ('national', 'TT 28/2018/TT-BTC Art. 8 (amended by TT 64/2024/TT-BTC)',
       'Mô hình trình diễn kỹ thuật công nghệ mới — demonstration model of new technology: ≤ 30 % of the cost, ≤ 1,000 million VND per model',
       '2018-05-15', 'demonstration_technology', 'demonstration_model', 30, 1000000000, 'per_scheme', 1.5, true, ${sql.lit(QUOTED)});
    insert into support_rules (level, legal_basis, title, valid_from, advance_max_percent, source)
      values ('national', 'TTLT 26/2014/TTLT-BTC-BCT Art. 8.2.b',
       'Tạm ứng — advances: ≤ 70 % of the approved support, every activity content',
       '2018-05-15', 70,
       ${sql.lit('Figure from issue #15 (TTLT 26/2014 Art. 8.2.b); NOT confirmed against the text, nor whether TT 28/2018 keeps it; valid_from 2018-05-15 is a placeholder aligned with the other seeded rules.')});
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table projects drop column checked_rules;
    drop table support_rules;
  `.execute(db)
}
