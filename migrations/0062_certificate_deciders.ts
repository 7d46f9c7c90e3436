// Who writes what (issue #15): some provincial records are decisions of the ministry, not of the
// province — regional typical-product certificates are decisions of the ministry's department and
// national ones of the Minister (TT 26/2014/TT-BCT). kc_may_decide() is the database half of
// deciderForWrite() (src/db/tenancy.ts): a record the ministry decides is written by the ministry
// only; one the province decides by its own province only. Reads stay kc_in_scope(). Existing rows
// are kept as they are (a provincial row written before keeps its writer: the rule bites on the
// next write).
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function kc_may_decide(decider text, province_code text) returns boolean
      language sql stable parallel safe
      return case decider
        when 'ministry' then kc_role() = 'ministry'
        when 'province' then kc_role() = 'province' and province_code = kc_province()
        else false
      end;
    grant execute on function kc_may_decide(text, text) to kc_app;

    create function kc_certificate_decider(level text) returns text language sql immutable parallel safe
      return case when level in ('region', 'national') then 'ministry' else 'province' end;
    grant execute on function kc_certificate_decider(text) to kc_app;

    drop policy product_certificates_tenant on product_certificates;
    create policy product_certificates_read on product_certificates for select
      using (kc_in_scope(province_code));
    create policy product_certificates_insert on product_certificates for insert
      with check (kc_may_decide(kc_certificate_decider(level), province_code));
    -- using: the rows the caller sees (a locking read, SELECT … FOR UPDATE, must still find the row so
    -- that the application can answer 403); with check: the row written must be the caller's to decide.
    create policy product_certificates_update on product_certificates for update
      using (kc_in_scope(province_code))
      with check (kc_may_decide(kc_certificate_decider(level), province_code));
    create policy product_certificates_delete on product_certificates for delete
      using (kc_may_decide(kc_certificate_decider(level), province_code));
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop policy product_certificates_delete on product_certificates;
    drop policy product_certificates_update on product_certificates;
    drop policy product_certificates_insert on product_certificates;
    drop policy product_certificates_read on product_certificates;
    create policy product_certificates_tenant on product_certificates
      using (kc_in_scope(province_code)) with check (kc_in_scope(province_code));
    drop function kc_certificate_decider(text);
    drop function kc_may_decide(text, text);
  `.execute(db)
}
