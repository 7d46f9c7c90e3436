// Attachments (issue #17): the signed documents behind a record — a decision, a scheme's approval
// or acceptance minutes, a certificate, an inspection's conclusion — kept in PostgreSQL with the
// record. `attachments` holds what the API shows; `attachment_chunks` the bytes, in pieces of at
// most `chunk_size` bytes, so that neither an upload nor a download ever holds a whole file.
//  - The parent is named by its kind and id (one table for every kind of record: periodic reports
//    join later without a change here); the parent's delete takes its attachments along
//    (kc_attachments_follow_parent, one trigger per parent table).
//  - Tenancy: an attachment carries its parent's province (null for a national programme or
//    plan). Everyone signed in reads national ones; provincial ones are read within kc_in_scope().
//    Writes (insert, delete — never update: a signed file does not change) follow the same rule,
//    a national one by the ministry only. Who may write which record is decided by the
//    application with the parent's own rules; the policies keep every province to its own rows.
//  - The chunks carry the province too, so that they are filtered (and can be distributed) by
//    province without a join.
import { type Kysely, sql } from 'kysely'

const PARENTS = [
  ['legal_documents', 'legal_document'],
  ['programmes', 'programme'],
  ['plans', 'plan'],
  ['projects', 'project'],
  ['inspections', 'inspection'],
  ['product_certificates', 'product_certificate'],
] as const

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table attachments (
      id uuid primary key default gen_random_uuid(),
      province_code text references provinces (code),
      parent_type text not null,
      parent_id uuid not null,
      role text not null,
      filename text not null check (length(filename) between 1 and 255),
      media_type text not null,
      size integer not null check (size >= 0),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      chunk_size integer not null check (chunk_size > 0),
      description text,
      uploaded_by text not null,
      created_at timestamptz not null default now()
    );
    create index attachments_parent_idx on attachments (parent_type, parent_id, created_at, id);

    create table attachment_chunks (
      attachment_id uuid not null references attachments (id) on delete cascade,
      n integer not null check (n >= 0),
      province_code text,
      data bytea not null,
      primary key (attachment_id, n)
    );
    -- The files are mostly compressed already (PDF, JPEG, PNG, OOXML, ODF): no futile compression.
    alter table attachment_chunks alter column data set storage external;

    create function kc_may_attach(province_code text) returns boolean language sql stable parallel safe
      return case when province_code is null then kc_role() = 'ministry' else kc_in_scope(province_code) end;
    grant execute on function kc_may_attach(text) to kc_app;

    alter table attachments enable row level security;
    alter table attachments force row level security;
    create policy attachments_read on attachments for select
      using (province_code is null or kc_in_scope(province_code));
    create policy attachments_insert on attachments for insert with check (kc_may_attach(province_code));
    create policy attachments_delete on attachments for delete using (kc_may_attach(province_code));
    grant select, insert, delete on attachments to kc_app;

    alter table attachment_chunks enable row level security;
    alter table attachment_chunks force row level security;
    create policy attachment_chunks_read on attachment_chunks for select
      using (province_code is null or kc_in_scope(province_code));
    create policy attachment_chunks_insert on attachment_chunks for insert
      with check (kc_may_attach(province_code));
    create policy attachment_chunks_delete on attachment_chunks for delete
      using (kc_may_attach(province_code));
    grant select, insert, delete on attachment_chunks to kc_app;

    create function kc_attachments_follow_parent() returns trigger language plpgsql as $$
    begin
      delete from attachments where parent_type = tg_argv[0] and parent_id = old.id;
      return old;
    end $$;

    -- A database migrated before this one: the new code list (a fresh one has it from 0001's data).
    insert into codelists (name, label_vi, label_en, description) values
      ('attachment_role', 'Loại tài liệu đính kèm', 'Role of an attachment',
       'What a signed document attached to a record is (issue #17)')
      on conflict do nothing;
    insert into codelist_entries (list, code, label_vi, label_en, parent_code, sort_order)
      select 'attachment_role', e.code, e.label_vi, e.label_en, null,
        (select max(sort_order) from codelist_entries) + e.n
      from (values (1, 'decision', 'Quyết định', 'decision'),
                   (2, 'approval_decision', 'Quyết định phê duyệt', 'approval decision'),
                   (3, 'acceptance_minutes', 'Biên bản nghiệm thu', 'acceptance minutes'),
                   (4, 'certificate', 'Giấy chứng nhận', 'certificate'),
                   (5, 'report_letter', 'Công văn gửi báo cáo', 'report cover letter'),
                   (6, 'other', 'Tài liệu khác', 'other document')) e (n, code, label_vi, label_en)
      on conflict do nothing;
  `.execute(db)
  for (const [table, type] of PARENTS) {
    await sql`
      create trigger ${sql.id(`${table}_attachments`)} after delete on ${sql.table(table)}
        for each row execute function kc_attachments_follow_parent(${sql.lit(type)})`.execute(db)
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [table] of PARENTS) {
    await sql`drop trigger ${sql.id(`${table}_attachments`)} on ${sql.table(table)}`.execute(db)
  }
  await sql`
    drop function kc_attachments_follow_parent();
    drop table attachment_chunks;
    drop table attachments;
    drop function kc_may_attach(text);
    delete from codelist_entries where list = 'attachment_role';
    delete from codelists where name = 'attachment_role';
  `.execute(db)
}
