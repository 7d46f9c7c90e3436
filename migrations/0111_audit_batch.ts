// An import's batch audited in the statement that inserts it (issue #18). kc_audit_many() (0100)
// took every event whole, so each new establishment's record went to the database twice — in the
// insert and again in its event — and was parsed twice. kc_audit_batch() takes the records sent for
// the statement's insert and the batch's events in row order, a creation named by its place among
// those records (`{"created": k}`, 0-based), any other event whole; it writes them in that order
// under the rules of kc_audit() (0050): the actor comes from the transaction's settings, and the one
// province of the batch must be in the caller's scope. A creation's content is its record with the
// personal fields the caller names withheld (`p_personal`) as kc_withhold() withholds them (0051).
// kc_audit_many() stays for the instances of the release before during a rolling deploy.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function kc_audit_batch(p_province_code text, p_entity_type text, p_events jsonb,
        p_created jsonb, p_personal text[]) returns void
      language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
    begin
      -- An event names its record by id, or a creation by the record's place among those inserted
      -- (its id is the record's): a place outside them would audit the wrong record (a negative
      -- one counts from the end), or none.
      if exists (select from jsonb_to_recordset(p_events) as e(id text, created integer)
                 where case when e.created is null then e.id is null
                            else e.id is not null or e.created < 0
                              or e.created >= coalesce(jsonb_array_length(p_created), 0) end) then
        raise exception 'an audit event names no record, or a place outside the records inserted'
          using errcode = 'invalid_parameter_value';
      end if;
      if kc_role() is null or nullif(current_setting('kc.sub', true), '') is null then
        raise exception 'an audit event needs the actor of the transaction (kc.role, kc.sub)'
          using errcode = 'insufficient_privilege';
      end if;
      if p_province_code is not null and not kc_in_scope(p_province_code) then
        raise exception 'an audit event about another province' using errcode = 'insufficient_privilege';
      end if;
      insert into audit_events (actor_sub, actor_role, actor_province, request_id, province_code,
          entity_type, entity_id, action, before, after)
        select current_setting('kc.sub', true), kc_role(), kc_province(),
            nullif(current_setting('kc.request_id', true), ''), p_province_code, p_entity_type,
            coalesce(e.id, c.record ->> 'id'), coalesce(e.a, 'create'), e.before,
            coalesce(c.withheld, e.after)
          from rows from (jsonb_to_recordset(p_events)
            as (id text, a text, before jsonb, after jsonb, created integer)) with ordinality
            as e(id, a, before, after, created, n)
          -- kc_withhold(record, p_personal), written out: a call of that SQL function per row
          -- (its SET clause keeps it from being inlined) cost 7–10 µs, the expression 2.
          left join lateral (select record, record || coalesce((select jsonb_object_agg(f, '{"changed": true}'::jsonb)
              from unnest(p_personal) f where record -> f is not null and record -> f <> 'null'::jsonb), '{}') as withheld
            from (select p_created -> e.created) r(record)) c on e.created is not null
          order by e.n;
    end $$;
    revoke all on function kc_audit_batch(text, text, jsonb, jsonb, text[]) from public;
    grant execute on function kc_audit_batch(text, text, jsonb, jsonb, text[]) to kc_app;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function kc_audit_batch(text, text, jsonb, jsonb, text[])`.execute(db)
}
