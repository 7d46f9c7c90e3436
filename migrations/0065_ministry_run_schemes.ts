// Schemes run by the ministry's own units (issue #15): a national scheme carried out in a province
// by one of the ministry's units (e.g. a regional khuyến công centre) is the ministry's from
// proposal to settlement — owner and approver — while the province of its site reads it and counts
// it as central support received. `run_by` says who carries a scheme out; it is set when the scheme
// is proposed and never changes. kc_scheme_decider() is the twin of domain/deciders.ts
// schemeDecider(); every money movement on such a scheme is the ministry's, whatever its source.
// Existing rows are the provinces' own (run_by 'province') and keep their writers.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table projects add column run_by text not null default 'province'
      check (run_by in ('province', 'ministry'));
    -- The ministry's units carry out national schemes only, funded centrally.
    alter table projects add constraint projects_ministry_run_central
      check (run_by = 'province' or funding_level = 'central');

    create function kc_scheme_decider(run_by text) returns text language sql immutable parallel safe
      return case when run_by = 'ministry' then 'ministry' else 'province' end;
    grant execute on function kc_scheme_decider(text) to kc_app;

    drop policy projects_insert on projects;
    create policy projects_insert on projects for insert
      with check (kc_may_decide(kc_scheme_decider(run_by), province_code));
    -- The ministry acts on every scheme it reads (approval of central schemes, every step of its own);
    -- a province only on the schemes it runs.
    drop policy projects_update on projects;
    create policy projects_update on projects for update
      using (kc_in_scope(province_code))
      with check (kc_in_scope(province_code) and (kc_role() = 'ministry' or run_by = 'province'));

    -- Who records a movement of money on a scheme: the ministry for central money and for every
    -- source of a scheme its own units run; the province for the rest.
    create function kc_disbursement_decider(funding_source text, project_id uuid) returns text
      language sql stable parallel safe
      return case
        when funding_source = 'central'
          or (select p.run_by from projects p where p.id = project_id) = 'ministry' then 'ministry'
        else 'province'
      end;
    grant execute on function kc_disbursement_decider(text, uuid) to kc_app;
    drop policy disbursements_insert on disbursements;
    create policy disbursements_insert on disbursements for insert
      with check (kc_may_decide(kc_disbursement_decider(funding_source, project_id), province_code));
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop policy disbursements_insert on disbursements;
    create policy disbursements_insert on disbursements for insert
      with check (kc_may_decide(kc_money_decider(funding_source), province_code));
    drop function kc_disbursement_decider(text, uuid);
    drop policy projects_update on projects;
    create policy projects_update on projects for update
      using (kc_in_scope(province_code)) with check (kc_in_scope(province_code));
    drop policy projects_insert on projects;
    create policy projects_insert on projects for insert
      with check (kc_role() = 'province' and province_code = kc_province());
    drop function kc_scheme_decider(text);
    alter table projects drop column run_by;
  `.execute(db)
}
