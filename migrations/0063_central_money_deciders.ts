// Who writes what (issue #15): the ministry allocates and pays out central khuyến công funds (KCQG,
// TTLT 26/2014 Art. 8.1.a), so central allocations, their revisions and disbursements of central
// money to schemes are written by the ministry only; the province reads them and keeps writing its
// local, counterpart and other money. kc_money_decider() is the twin of domain/deciders.ts
// moneyDecider(); kc_may_decide() is migration 0062's. Existing rows are kept; both tables stay
// append-only (no update or delete grant).
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function kc_money_decider(funding_source text) returns text language sql immutable parallel safe
      return case when funding_source = 'central' then 'ministry' else 'province' end;
    grant execute on function kc_money_decider(text) to kc_app;

    drop policy budget_allocations_tenant on budget_allocations;
    create policy budget_allocations_read on budget_allocations for select using (kc_in_scope(province_code));
    create policy budget_allocations_insert on budget_allocations for insert
      with check (kc_may_decide(kc_money_decider(funding_source), province_code));

    drop policy disbursements_insert on disbursements;
    create policy disbursements_insert on disbursements for insert
      with check (kc_may_decide(kc_money_decider(funding_source), province_code));
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop policy disbursements_insert on disbursements;
    create policy disbursements_insert on disbursements for insert
      with check (kc_role() = 'province' and province_code = kc_province());
    drop policy budget_allocations_insert on budget_allocations;
    drop policy budget_allocations_read on budget_allocations;
    create policy budget_allocations_tenant on budget_allocations
      using (kc_in_scope(province_code)) with check (kc_in_scope(province_code));
    drop function kc_money_decider(text);
  `.execute(db)
}
