// The audit trail no longer trusts the application with its rows.
//
// Before: kc_app inserted audit events itself, naming the actor in the row. Now it has no
// privilege on the table beyond reading: events are written only by kc_audit(), a SECURITY
// DEFINER function owned by the migrating role (the owner), which takes the actor — kc.sub,
// kc.role, kc.province, kc.request_id — from the settings of the transaction that makes the
// change (src/db/tenancy.ts withTenant), not from its arguments. No role of the service may
// update or delete an event; a trigger refuses it even to the owner (it would have to drop the
// trigger, a visible act of its own), except the erasure of personal data
// (0051_personal_data_erasure.ts) that sets kc.audit_erasure for the rows of one record.
// The service's login role must be granted kc_app only (README, Running on PostgreSQL): it then
// owns nothing and cannot SET ROLE to the owner, so RESET ROLE gains it nothing either.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function kc_audit(p_province_code text, p_entity_type text, p_entity_id text, p_action text,
        p_before jsonb, p_after jsonb) returns void
      language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
    begin
      if kc_role() is null or nullif(current_setting('kc.sub', true), '') is null then
        raise exception 'an audit event needs the actor of the transaction (kc.role, kc.sub)'
          using errcode = 'insufficient_privilege';
      end if;
      -- The policy says the same; it does not bind an owner that is a superuser.
      if p_province_code is not null and not kc_in_scope(p_province_code) then
        raise exception 'an audit event about another province' using errcode = 'insufficient_privilege';
      end if;
      insert into audit_events (actor_sub, actor_role, actor_province, request_id, province_code,
          entity_type, entity_id, action, before, after)
        values (current_setting('kc.sub', true), kc_role(), kc_province(),
          nullif(current_setting('kc.request_id', true), ''), p_province_code, p_entity_type, p_entity_id,
          p_action, p_before, p_after);
    end $$;
    revoke all on function kc_audit(text, text, text, text, jsonb, jsonb) from public;
    grant execute on function kc_audit(text, text, text, text, jsonb, jsonb) to kc_app;
    revoke insert, update, delete, truncate on audit_events from kc_app;

    create function kc_audit_events_append_only() returns trigger
      language plpgsql set search_path = pg_catalog, public, pg_temp as $$
    begin
      if tg_op = 'UPDATE'
          and current_setting('kc.audit_erasure', true) = old.entity_type || '/' || old.entity_id
          and (new.seq, new.id, new.occurred_at, new.actor_sub, new.actor_role, new.actor_province,
               new.request_id, new.province_code, new.entity_type, new.entity_id, new.action)
            is not distinct from
              (old.seq, old.id, old.occurred_at, old.actor_sub, old.actor_role, old.actor_province,
               old.request_id, old.province_code, old.entity_type, old.entity_id, old.action) then
        return new;
      end if;
      raise exception 'audit events are append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
    end $$;
    create trigger audit_events_no_update_delete before update or delete on audit_events
      for each row execute function kc_audit_events_append_only();
    create trigger audit_events_no_truncate before truncate on audit_events
      for each statement execute function kc_audit_events_append_only();
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger audit_events_no_truncate on audit_events;
    drop trigger audit_events_no_update_delete on audit_events;
    drop function kc_audit_events_append_only();
    drop function kc_audit(text, text, text, text, jsonb, jsonb);
    grant insert on audit_events to kc_app;
  `.execute(db)
}
