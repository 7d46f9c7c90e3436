// Personal data (Decree 13/2023/NĐ-CP) and the audit trail.
//
// Events no longer carry personal values (src/db/audit.ts withholds them: `{"changed": true}`).
// Events written before that still may, so the erasure of a person's personal data withholds them
// from the past events of their record too: kc_audit_erase(), a SECURITY DEFINER function of the
// owner, is the one sanctioned change to the append-only trail (0050). Only the ministry may call
// it, and it records the erasure as an event in the same call, so it never goes unseen.
// collaborators.personal_data_erased_at says that a collaborator's personal data was erased.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table collaborators add column personal_data_erased_at timestamptz;

    -- doc with every field of fields that holds a value replaced by {"changed": true}.
    create function kc_withhold(doc jsonb, fields text[]) returns jsonb
      language sql immutable parallel safe set search_path = pg_catalog
      return doc || coalesce((select jsonb_object_agg(f, '{"changed": true}'::jsonb) from unnest(fields) f
        where doc -> f is not null and doc -> f <> 'null'::jsonb), '{}');

    -- The owner, when it is not a superuser, is bound by the forced row-level security too.
    create policy audit_events_erasure on audit_events for update
      using (current_setting('kc.audit_erasure', true) = entity_type || '/' || entity_id);

    create function kc_audit_erase(p_province_code text, p_entity_type text, p_entity_id text,
        p_fields text[], p_before jsonb, p_after jsonb) returns integer
      language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
    declare
      scrubbed integer;
    begin
      if kc_role() is distinct from 'ministry' then
        raise exception 'only the ministry erases personal data' using errcode = 'insufficient_privilege';
      end if;
      perform set_config('kc.audit_erasure', p_entity_type || '/' || p_entity_id, true);
      update audit_events
        set before = kc_withhold(before, p_fields), after = kc_withhold(after, p_fields)
        where entity_type = p_entity_type and entity_id = p_entity_id
          and (before is distinct from kc_withhold(before, p_fields)
            or after is distinct from kc_withhold(after, p_fields));
      get diagnostics scrubbed = row_count;
      perform set_config('kc.audit_erasure', '', true);
      perform kc_audit(p_province_code, p_entity_type, p_entity_id, 'erasure', p_before, p_after);
      return scrubbed;
    end $$;
    revoke all on function kc_audit_erase(text, text, text, text[], jsonb, jsonb) from public;
    grant execute on function kc_audit_erase(text, text, text, text[], jsonb, jsonb) to kc_app;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop function kc_audit_erase(text, text, text, text[], jsonb, jsonb);
    drop policy audit_events_erasure on audit_events;
    drop function kc_withhold(jsonb, text[]);
    alter table collaborators drop column personal_data_erased_at;
  `.execute(db)
}
