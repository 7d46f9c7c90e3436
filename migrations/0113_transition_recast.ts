// What an `adjust` recast of a scheme (its activity contents and project type) in the history of its
// steps: `{before: {activity_contents, project_type}, after: {…}}`, null for every other step. The
// audit trail kept it only for the ministry's eyes; the history is read by whoever reads the scheme.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table project_transitions add column recast jsonb`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table project_transitions drop column recast`.execute(db)
}
