// A record's `attachment_count` (issue #17) is kept on the record, moved by the trigger that already
// moves its version on every upload and delete (migrations 0081, 0082), instead of counted by a
// subquery on each read by id: that subquery, with its row-level security, was a quarter of the
// read's time in PostgreSQL (issue #18). The update that moves the count is the one that moves the
// version, so the count never disagrees with the ETag a client holds. Migrations run as a role
// that bypasses row-level security (src/db/migrate.ts), so the backfill sees every province.
import { type Kysely, sql } from 'kysely'

const PARENTS = {
  legal_document: 'legal_documents',
  programme: 'programmes',
  plan: 'plans',
  project: 'projects',
  inspection: 'inspections',
  product_certificate: 'product_certificates',
  periodic_report: 'periodic_reports',
} as const

/** migration 0064's kc_inspection_update_allowed(), whose columns a province may move on a ministry inspection are `fixed`. */
const inspectionUpdateAllowed = (fixed: string[]) => sql`
  create or replace function kc_inspection_update_allowed() returns trigger language plpgsql as $$
  declare
    fixed text[] := array[${sql.join(fixed.map((c) => sql.lit(c)))}];
  begin
    if new.inspected_by is distinct from old.inspected_by then
      raise exception 'who inspected does not change' using errcode = '42501';
    end if;
    if old.inspected_by = 'ministry' and kc_role() is distinct from 'ministry' then
      if (to_jsonb(new) - fixed) is distinct from (to_jsonb(old) - fixed)
        or (select coalesce(jsonb_agg(f - 'status' - 'done_date' - 'due_date' order by i), '[]')
              from jsonb_array_elements(new.follow_ups) with ordinality as e (f, i))
           is distinct from
           (select coalesce(jsonb_agg(f - 'status' - 'done_date' - 'due_date' order by i), '[]')
              from jsonb_array_elements(old.follow_ups) with ordinality as e (f, i))
      then
        raise exception 'the province updates only the status and dates of the ministry''s follow-ups'
          using errcode = '42501';
      end if;
    end if;
    return new;
  end $$`

/** migration 0082's kc_attachment_moves_parent(), with the statement that moves the parent. */
const movesParent = (update: string) => {
  const tables = sql.join(
    Object.entries(PARENTS).map(([type, table]) => sql`when ${sql.lit(type)} then ${sql.lit(table)}`),
    sql` `,
  )
  return sql`
    create or replace function kc_attachment_moves_parent() returns trigger language plpgsql as $$
    declare
      changed attachments;
      moved integer;
    begin
      if tg_op = 'DELETE' then changed := old; else changed := new; end if;
      execute format(${sql.lit(update)}, case changed.parent_type ${tables} end)
        using changed.parent_id, changed.province_code, case tg_op when 'DELETE' then -1 else 1 end;
      get diagnostics moved = row_count;
      -- On a delete the record may be going itself (kc_attachments_follow_parent): nothing to move.
      if tg_op = 'INSERT' and moved = 0 then
        raise exception 'no % % in province % for this attachment', changed.parent_type, changed.parent_id,
          coalesce(changed.province_code, '(national)') using errcode = '23503';
      end if;
      return null;
    end $$`
}

const WHERE = ' where id = $1 and province_code is not distinct from $2'

export async function up(db: Kysely<unknown>): Promise<void> {
  // Upgrades run beside the release still serving (README, Upgrades): an upload or a delete before
  // this commits would move its record with the old trigger, not its count. They wait instead. The
  // locks are taken in the order the service's uploads and deletes take them (they read the record,
  // then write its attachments), so that neither waits for the other.
  await sql`
    lock table ${sql.join(Object.values(PARENTS).map((t) => sql.table(t)))} in access exclusive mode;
    lock table attachments in share mode`.execute(db)
  // A province attaching a file to the ministry's inspection moves its count with its version.
  await inspectionUpdateAllowed([
    'follow_ups',
    'open_follow_ups',
    'version',
    'updated_at',
    'attachment_count',
  ]).execute(db)
  for (const [type, table] of Object.entries(PARENTS)) {
    await sql`
      alter table ${sql.table(table)} add column attachment_count integer not null default 0
        check (attachment_count >= 0);
      update ${sql.table(table)} t set attachment_count = c.n
        from (select parent_id, province_code, count(*)::integer as n from attachments
              where parent_type = ${sql.lit(type)} group by parent_id, province_code) c
        -- What the trigger moves: the record of the attachment's province.
        where t.id = c.parent_id and t.province_code is not distinct from c.province_code`.execute(db)
  }
  await movesParent(
    `update %I set version = version + 1, updated_at = now(), attachment_count = attachment_count + $3${WHERE}`,
  ).execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await movesParent(`update %I set version = version + 1, updated_at = now()${WHERE}`).execute(db)
  for (const table of Object.values(PARENTS)) {
    await sql`alter table ${sql.table(table)} drop column attachment_count`.execute(db)
  }
  await inspectionUpdateAllowed(['follow_ups', 'open_follow_ups', 'version', 'updated_at']).execute(db)
}
