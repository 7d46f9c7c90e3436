// Products of establishments and their typical-product certificates (sản phẩm CNNT tiêu biểu,
// TT 26/2014/TT-BCT): a certificate is valid from its issue date to 31 December of the third year
// counting the issue year (a generated column, so the rule lives in one place).
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table establishment_products (
      id uuid primary key default gen_random_uuid(),
      establishment_id uuid not null references establishments (id) on delete cascade,
      province_code text not null references provinces (code),
      name text not null,
      product_group text not null,
      description text,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index establishment_products_establishment_idx on establishment_products (establishment_id, id);

    create table product_certificates (
      id uuid primary key default gen_random_uuid(),
      product_id uuid not null references establishment_products (id) on delete cascade,
      establishment_id uuid not null references establishments (id) on delete cascade,
      province_code text not null references provinces (code),
      level text not null,
      year integer not null,
      certificate_number text not null,
      score numeric(5, 2) not null check (score >= 70 and score <= 100),
      decision_number text,
      decision_date date,
      issued_date date not null,
      valid_until date not null generated always as
        (make_date(extract(year from issued_date)::integer + 2, 12, 31)) stored,
      revoked boolean not null default false,
      revoked_reason text,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (product_id, level, year)
    );
    create index product_certificates_product_idx on product_certificates (product_id, issued_date);
    create index product_certificates_list_idx on product_certificates (province_code, id);
    create index product_certificates_level_year_idx on product_certificates (level, year, id);

    alter table establishment_products enable row level security;
    alter table establishment_products force row level security;
    create policy establishment_products_tenant on establishment_products
      using (kc_in_scope(province_code)) with check (kc_in_scope(province_code));
    grant select, insert, update, delete on establishment_products to kc_app;

    alter table product_certificates enable row level security;
    alter table product_certificates force row level security;
    create policy product_certificates_tenant on product_certificates
      using (kc_in_scope(province_code)) with check (kc_in_scope(province_code));
    grant select, insert, update, delete on product_certificates to kc_app;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table product_certificates;
    drop table establishment_products;
  `.execute(db)
}
