// Links that had to wait for programmes and schemes: the programme a legal document approves,
// and the scheme a communication activity belongs to (inspections list theirs in project_ids,
// checked by the application: PostgreSQL has no foreign keys from arrays).
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table legal_documents add column programme_id uuid references programmes (id);
    create index legal_documents_programme_idx on legal_documents (programme_id);
    alter table communication_activities
      add constraint communication_activities_project_fk foreign key (project_id) references projects (id);
    create index communication_activities_project_idx on communication_activities (project_id);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index communication_activities_project_idx;
    alter table communication_activities drop constraint communication_activities_project_fk;
    drop index legal_documents_programme_idx;
    alter table legal_documents drop column programme_id;
  `.execute(db)
}
