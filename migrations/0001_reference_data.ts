// Reference data: provinces (current and former), communes, dated administrative changes, code
// lists, and kc_fold(), the one accent- and case-folding function every name search uses.
import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { type Kysely, sql } from 'kysely'

const data = (file: string): Record<string, string>[] =>
  parse(readFileSync(new URL(`./data/${file}`, import.meta.url)), { columns: true, skip_empty_lines: true })

// Every precomposed Vietnamese letter with its base letter. Stored text is NFC, so translate()
// on precomposed characters is complete; being plain SQL it is IMMUTABLE and indexable, and
// needs no extension (unaccent() is only STABLE).
const FOLD: Record<string, string> = {
  a: 'àáảãạăằắẳẵặâầấẩẫậ',
  e: 'èéẻẽẹêềếểễệ',
  i: 'ìíỉĩị',
  o: 'òóỏõọôồốổỗộơờớởỡợ',
  u: 'ùúủũụưừứửữự',
  y: 'ỳýỷỹỵ',
  d: 'đ',
}
// Exported for migration 0101's down, which puts this kc_fold() back.
export const from = Object.values(FOLD).join('')
export const to = Object.entries(FOLD)
  .map(([base, letters]) => base.repeat([...letters].length))
  .join('')

const PREFIX: Record<string, string> = {
  tinh: 'Tỉnh',
  thanh_pho: 'Thành phố',
  xa: 'Xã',
  phuong: 'Phường',
  dac_khu: 'Đặc khu',
}

async function insertChunks(db: Kysely<unknown>, table: string, rows: Record<string, unknown>[]) {
  for (let i = 0; i < rows.length; i += 500) {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
    await (db as Kysely<any>)
      .insertInto(table)
      .values(rows.slice(i, i + 500))
      .execute()
  }
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function kc_fold(text) returns text
      language sql immutable strict parallel safe
      return lower(translate($1, ${sql.lit(from + from.toUpperCase())}, ${sql.lit(to + to)}))
  `.execute(db)

  await sql`
    create table codelists (
      name text primary key,
      label_vi text not null,
      label_en text not null,
      description text
    );
    create table codelist_entries (
      list text not null references codelists (name) on delete cascade,
      code text not null check (code ~ '^[a-z][a-z0-9_]*$'),
      label_vi text not null,
      label_en text not null,
      parent_code text,
      sort_order integer not null,
      primary key (list, code)
    );

    create table provinces (
      code text primary key check (code ~ '^[0-9]{2}$'),
      name text not null,
      name_en text not null,
      type text not null check (type in ('tinh', 'thanh_pho')),
      full_name text not null,
      full_name_en text not null,
      code_name text not null,
      search_name text generated always as (kc_fold(name)) stored
    );

    create table former_provinces (
      code text primary key check (code ~ '^[0-9]{2}$'),
      name text not null,
      name_en text not null,
      type text not null check (type in ('tinh', 'thanh_pho')),
      full_name text not null,
      successor_code text not null references provinces (code),
      search_name text generated always as (kc_fold(name)) stored
    );
    create index former_provinces_successor_idx on former_provinces (successor_code);

    create table communes (
      code text primary key check (code ~ '^[0-9]{5}$'),
      name text not null,
      type text not null check (type in ('xa', 'phuong', 'dac_khu')),
      province_code text not null references provinces (code),
      full_name text not null,
      name_en text not null,
      code_name text not null,
      search_name text generated always as (kc_fold(name)) stored
    );
    create index communes_province_code_idx on communes (province_code, code);

    -- Changes after the 1 July 2025 reform, applied by date on read so history is kept.
    -- A change whose date is not yet known has a null effective_date and is not applied.
    create table administrative_changes (
      id integer generated always as identity primary key,
      level text not null check (level in ('province', 'commune')),
      code text not null,
      field text not null check (field in ('type', 'full_name')),
      old_value text not null,
      new_value text not null,
      effective_date date,
      legal_basis text not null,
      evidence text
    );
    create index administrative_changes_lookup_idx on administrative_changes (level, code, field, effective_date);
  `.execute(db)

  const names = data('codelist_names.csv')
  await insertChunks(
    db,
    'codelists',
    names.map((r) => ({ ...r, description: r.description || null })),
  )
  await insertChunks(
    db,
    'codelist_entries',
    data('codelists.csv').map((r, i) => ({ ...r, parent_code: r.parent_code || null, sort_order: i + 1 })),
  )
  await insertChunks(db, 'provinces', data('provinces.csv'))
  await insertChunks(db, 'former_provinces', data('legacy_provinces.csv'))
  await insertChunks(db, 'communes', data('communes.csv'))

  const units = new Map<string, Record<string, string>>()
  for (const p of data('provinces.csv')) units.set(`province:${p.code}`, p)
  for (const c of data('communes.csv')) units.set(`commune:${c.code}`, c)
  const changes = data('changes_after_2025-07-01.csv').flatMap((c) => {
    const unit = units.get(`${c.level}:${c.code}`)
    if (!unit || c.field !== 'type' || unit.type !== c.value_in_these_files) {
      throw new Error(`administrative change does not match the base data: ${JSON.stringify(c)}`)
    }
    const common = {
      level: c.level,
      code: c.code,
      effective_date: /^\d{4}-\d{2}-\d{2}$/.test(c.effective_date ?? '') ? c.effective_date : null,
      legal_basis: c.legal_basis,
      evidence: c.evidence || null,
    }
    return [
      { ...common, field: 'type', old_value: c.value_in_these_files, new_value: c.new_value },
      {
        ...common,
        field: 'full_name',
        old_value: unit.full_name,
        new_value: `${PREFIX[c.new_value as string]} ${unit.name}`,
      },
    ]
  })
  await insertChunks(db, 'administrative_changes', changes)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table administrative_changes;
    drop table communes;
    drop table former_provinces;
    drop table provinces;
    drop table codelist_entries;
    drop table codelists;
    drop function kc_fold(text);
  `.execute(db)
}
