// Many audit events in one statement (issue #18: an import's batch of 500 rows called kc_audit()
// 500 times, ~120 µs each, more than the rows' own insert). kc_audit_many() writes the events of a
// JSON array with one INSERT … SELECT, in array order, under the same rules as kc_audit()
// (migration 0050): the actor comes from the transaction's settings, never from the arguments, and
// every event's province must be in the caller's scope — one that is not refuses the whole batch.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function kc_audit_many(p_events jsonb) returns void
      language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
    begin
      if kc_role() is null or nullif(current_setting('kc.sub', true), '') is null then
        raise exception 'an audit event needs the actor of the transaction (kc.role, kc.sub)'
          using errcode = 'insufficient_privilege';
      end if;
      if exists (select from jsonb_to_recordset(p_events) as e(p text)
                 where e.p is not null and not kc_in_scope(e.p)) then
        raise exception 'an audit event about another province' using errcode = 'insufficient_privilege';
      end if;
      insert into audit_events (actor_sub, actor_role, actor_province, request_id, province_code,
          entity_type, entity_id, action, before, after)
        select current_setting('kc.sub', true), kc_role(), kc_province(),
            nullif(current_setting('kc.request_id', true), ''), e.p, e.t, e.id, e.a, e.before, e.after
          from rows from (jsonb_to_recordset(p_events)
            as (p text, t text, id text, a text, before jsonb, after jsonb)) with ordinality
            as e(p, t, id, a, before, after, n)
          order by e.n;
    end $$;
    revoke all on function kc_audit_many(jsonb) from public;
    grant execute on function kc_audit_many(jsonb) to kc_app;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function kc_audit_many(jsonb)`.execute(db)
}
