// Provincial legal documents on khuyến công (văn bản về khuyến công của địa phương).
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table legal_documents (
      id uuid primary key default gen_random_uuid(),
      province_code text not null references provinces (code),
      origin_province_code text references former_provinces (code),
      number text not null,
      kind text not null,
      issuer text not null,
      title text not null,
      signed_date date not null,
      effective_date date,
      expiry_date date,
      subject text not null,
      status text not null default 'in_force',
      changed_by_id uuid references legal_documents (id),
      notes text,
      search_text text generated always as (kc_fold(number || ' ' || title)) stored,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (province_code, number),
      check (effective_date is null or effective_date >= signed_date),
      check (expiry_date is null or expiry_date >= coalesce(effective_date, signed_date)),
      check ((status = 'in_force') = (changed_by_id is null) or status = 'repealed')
    );
    create index legal_documents_list_idx on legal_documents (province_code, signed_date desc, id desc);
    create index legal_documents_signed_idx on legal_documents (signed_date desc, id desc);

    alter table legal_documents enable row level security;
    alter table legal_documents force row level security;
    create policy legal_documents_tenant on legal_documents
      using (kc_in_scope(province_code)) with check (kc_in_scope(province_code));
    grant select, insert, update, delete on legal_documents to kc_app;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table legal_documents`.execute(db)
}
