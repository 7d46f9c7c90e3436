// Codes of the 63 former provinces are still sent by systems written before 1 July 2025: a
// 404 for one names the province that took it over, and a current province whose code was
// another former province's says so (24 is Bắc Ninh now, Bắc Giang's before).
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema.ts'
import { problem } from '../../../lib/problems.ts'

export const currentHref = (code: string) => `/v1/provinces/${code}`
export const formerHref = (code: string) => `/v1/provinces/${code}?former=true`

/** The former province of a code and the current province it merged into (reference names). */
const formerOf = (db: Kysely<Database>, code: string) =>
  db
    .selectFrom('former_provinces as f')
    .innerJoin('provinces as p', 'p.code', 'f.successor_code')
    .select(['f.code', 'f.name', 'f.full_name', 'f.successor_code', 'p.name as successor_name'])
    .where('f.code', '=', code)
    .executeTakeFirst()

/** The reference name of the current province of a code, if any. */
const currentName = async (db: Kysely<Database>, code: string) =>
  (await db.selectFrom('provinces').select('name').where('code', '=', code).executeTakeFirst())?.name

/**
 * The 404 of a code that is no current province's: for a former province's code, its successor
 * and the former record, as extension fields `former` and `successor`.
 */
export async function noCurrentProvince(db: Kysely<Database>, code: string) {
  return (
    (await formerCodeProblem(db, code)) ??
    problem('not_found', {
      vi: `Không có tỉnh/thành phố hiện hành nào mang mã ${code}.`,
      en: `No current province has code ${code}.`,
    })
  )
}

/**
 * The 404 that names the successor, when `code` is a former province's and no current one's;
 * undefined otherwise (a current code, or one no province ever had).
 */
export async function formerCodeProblem(db: Kysely<Database>, code: string) {
  const [former, current] = await Promise.all([formerOf(db, code), currentName(db, code)])
  if (!former || current) return undefined
  const successor = former.successor_code
  return problem(
    'not_found',
    {
      vi:
        `Mã ${code} là mã của tỉnh cũ ${former.name}, từ ngày 01/07/2025 đã hợp nhất vào ` +
        `${former.successor_name} (mã ${successor}): hãy dùng mã ${successor}.`,
      en:
        `Code ${code} is the former province ${former.name}'s, merged into ${former.successor_name} ` +
        `(code ${successor}) on 1 July 2025: use code ${successor}.`,
    },
    {
      former: { code, name: former.name, href: formerHref(code) },
      successor: { code: successor, name: former.successor_name, href: currentHref(successor) },
    },
  )
}

/**
 * For a current province whose code was a different former province's before 1 July 2025, that
 * former province (a link to its record); null when the code was its own or no one's.
 */
export async function reusedCode(db: Kysely<Database>, code: string) {
  const [former, current] = await Promise.all([formerOf(db, code), currentName(db, code)])
  if (!former || former.name === current) return null
  return { code, name: former.name, full_name: former.full_name, href: formerHref(code) }
}
