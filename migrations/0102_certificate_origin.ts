// A typical-product certificate carries its establishment's former province (issue #18).
//
// The scorecard by former province (as_of=former) counts a certificate under its establishment's
// origin_province_code. It found it by joining each certificate to its establishment, once for
// every former province of the certificate's province: at a million establishments some 50,000
// random lookups into the largest table, over half of the report's time. Now the certificate holds
// the establishment's origin_province_code, as every other record the scorecard reads holds its own,
// so the report reads no establishment at all; and the certificates' index carries what the report
// reads of them, so it reads them from the index alone.
//
// It is the establishment's, never written by the application: set from the establishment on every
// insert and update of a certificate, and moved with the establishment's when that changes. A
// province corrects the origin of its establishment, and the ministry's regional or national
// certificates of it move too, though the province may not change those (their update policy):
// the move runs as the owner (SECURITY DEFINER), whom a policy of its own lets update certificates
// when the owner is not a superuser and row-level security binds it too (forced).
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table product_certificates add column origin_province_code text references former_provinces (code);

    create function kc_certificate_takes_origin() returns trigger
      language plpgsql set search_path = pg_catalog, public, pg_temp as $$
    begin
      new.origin_province_code := (select e.origin_province_code from establishments e where e.id = new.establishment_id);
      return new;
    end $$;
    create trigger product_certificates_origin before insert or update on product_certificates
      for each row execute function kc_certificate_takes_origin();

    create function kc_establishment_moves_certificates() returns trigger
      language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
    begin
      update product_certificates set origin_province_code = new.origin_province_code
        where establishment_id = new.id;
      return null;
    end $$;
    revoke all on function kc_establishment_moves_certificates() from public;
    create trigger establishments_move_certificates after update of origin_province_code on establishments
      for each row when (old.origin_province_code is distinct from new.origin_province_code)
      execute function kc_establishment_moves_certificates();
    create policy product_certificates_follow_establishment on product_certificates for update
      to current_user using (true) with check (true);

    -- The scorecard's certificates of a province and year from the index alone, by former province too.
    drop index product_certificates_province_idx;
    create index product_certificates_province_idx on product_certificates (province_code, issued_date)
      include (origin_province_code, product_id, level, revoked, valid_until);
  `.execute(db)
  // Row-level security forced on the owner would hide every row from this update (no tenant
  // context here): lifted for it, put back after, in the migration's transaction.
  await sql`
    do $$
    declare
      forced text[] := array(select relname::text from pg_class where relnamespace = current_schema()::regnamespace
        and relname in ('product_certificates', 'establishments') and relforcerowsecurity);
      t text;
    begin
      foreach t in array forced loop execute format('alter table %I no force row level security', t); end loop;
      update product_certificates c set origin_province_code = e.origin_province_code
        from establishments e where e.id = c.establishment_id and e.origin_province_code is not null;
      foreach t in array forced loop execute format('alter table %I force row level security', t); end loop;
    end $$
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index product_certificates_province_idx;
    create index product_certificates_province_idx on product_certificates (province_code, issued_date);
    drop policy product_certificates_follow_establishment on product_certificates;
    drop trigger establishments_move_certificates on establishments;
    drop function kc_establishment_moves_certificates();
    drop trigger product_certificates_origin on product_certificates;
    drop function kc_certificate_takes_origin();
    alter table product_certificates drop column origin_province_code;
  `.execute(db)
}
