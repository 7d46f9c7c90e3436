// A record's single representation says how many attachments it has (issue #17), and its ETag is
// its version: so an upload or a delete of an attachment moves the record's version (and
// updated_at), or a client holding the record would be told "304 Not Modified" with a stale count.
// The update runs as the caller, whom the application has already found allowed to attach to the
// record (routes/v1/attachments/parents.ts), under the parent table's own policies. When the
// record itself is deleted its attachments go with it (kc_attachments_follow_parent) and there is
// nothing left to touch. Periodic reports (migration 0070) keep attachments too.
import { type Kysely, sql } from 'kysely'

/** Each kind of record that keeps attachments, and its table. */
const PARENTS = {
  legal_document: 'legal_documents',
  programme: 'programmes',
  plan: 'plans',
  project: 'projects',
  inspection: 'inspections',
  product_certificate: 'product_certificates',
  periodic_report: 'periodic_reports',
} as const

export async function up(db: Kysely<unknown>): Promise<void> {
  const tables = sql.join(
    Object.entries(PARENTS).map(([type, table]) => sql`when ${sql.lit(type)} then ${sql.lit(table)}`),
    sql` `,
  )
  await sql`
    create function kc_attachment_moves_parent() returns trigger language plpgsql as $$
    declare
      changed attachments;
    begin
      if tg_op = 'DELETE' then changed := old; else changed := new; end if;
      execute format('update %I set version = version + 1, updated_at = now() where id = $1',
        case changed.parent_type ${tables} end) using changed.parent_id;
      return null;
    end $$;
    create trigger attachments_move_parent after insert or delete on attachments
      for each row execute function kc_attachment_moves_parent();

    create trigger periodic_reports_attachments after delete on periodic_reports
      for each row execute function kc_attachments_follow_parent('periodic_report');
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger periodic_reports_attachments on periodic_reports;
    drop trigger attachments_move_parent on attachments;
    drop function kc_attachment_moves_parent();
  `.execute(db)
}
