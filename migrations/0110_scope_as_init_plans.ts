// Row-level security without a PL/pgSQL call per statement (issue #18). The policies that read
// `kc_in_scope(province_code)` now read `(select kc_sees_all()) or province_code = (select
// kc_scope_province())`: the same rows. Each sub-select is an InitPlan, run once per statement; a
// row then costs a comparison. kc_in_scope() (PL/pgSQL, migration 0014) set up its interpreter
// for every statement, a third of a read by id in PostgreSQL and more of a page. The planner
// takes the two sub-selects as unknown values, as it took the opaque function, so a province's
// list still walks its index and stops at the page (inlined settings misled it: see 0014).
// New policies take this form; kc_in_scope() stays for the functions that call it.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Whether the caller sees every province (the ministry).
    create function kc_sees_all() returns boolean language sql stable parallel safe
      return coalesce(kc_role() = 'ministry', false);
    -- The one province a province officer sees; null for anyone else.
    create function kc_scope_province() returns text language sql stable parallel safe
      return case when kc_role() = 'province' then kc_province() end;

    do $$
    declare
      p record;
      rewritten_using text;
      rewritten_check text;
      scoped constant text := '((select kc_sees_all()) or \\1 = (select kc_scope_province()))';
    begin
      for p in
        select * from pg_policies
        where schemaname = 'public'
          and (qual like '%kc_in_scope(%' or with_check like '%kc_in_scope(%')
      loop
        rewritten_using := regexp_replace(p.qual, 'kc_in_scope\\(([a-z0-9_.]+)\\)', scoped, 'g');
        rewritten_check := regexp_replace(p.with_check, 'kc_in_scope\\(([a-z0-9_.]+)\\)', scoped, 'g');
        -- A call of another form would be left as it was: refuse to go on without it.
        if concat(rewritten_using, rewritten_check) like '%kc_in_scope(%' then
          raise exception 'policy % on % calls kc_in_scope() in a form this migration does not rewrite',
            p.policyname, p.tablename;
        end if;
        execute format('alter policy %I on %I.%I', p.policyname, p.schemaname, p.tablename)
          || coalesce(' using (' || rewritten_using || ')', '')
          || coalesce(' with check (' || rewritten_check || ')', '');
      end loop;
    end $$;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$
    declare
      p record;
      -- The form up() wrote, as PostgreSQL prints it back.
      scoped constant text :=
        '\\(\\( SELECT kc_sees_all\\(\\) AS kc_sees_all\\) OR \\(([a-z0-9_.]+) = \\( SELECT kc_scope_province\\(\\) AS kc_scope_province\\)\\)\\)';
    begin
      for p in
        select * from pg_policies
        where schemaname = 'public' and (qual like '%kc_sees_all()%' or with_check like '%kc_sees_all()%')
      loop
        execute format('alter policy %I on %I.%I', p.policyname, p.schemaname, p.tablename)
          || coalesce(' using (' || regexp_replace(p.qual, scoped, 'kc_in_scope(\\1)', 'g') || ')', '')
          || coalesce(' with check (' || regexp_replace(p.with_check, scoped, 'kc_in_scope(\\1)', 'g') || ')', '');
      end loop;
    end $$;
    drop function kc_scope_province();
    drop function kc_sees_all();
  `.execute(db)
}
