// Ask 5 of the letter (the organisation that carries khuyến công out): each province's
// implementing unit with its staff by year and its equipment, the dissolved units of the former
// provinces merged into it, and the collaborators of its communes.
import type { Trx } from '../db/tenancy.ts'
import { at, json, lower, person, YEARS } from './common.ts'
import type { Generator } from './generator.ts'
import type { ReachSite } from './profiles.ts'

/** Staff by year, from `from` to `to` people, a growing share of them qualified. */
const staff = (years: number[], from: number, to: number, trained: number, breakdownFrom: number) =>
  years.map((year, i) => {
    const headcount_total = Math.round(from + ((to - from) * i) / Math.max(1, years.length - 1))
    const full_time_khuyen_cong = Math.round(headcount_total * 0.65)
    const share = trained - (2025 - Math.min(year, 2025)) * 0.03
    const qualified = Math.min(headcount_total, Math.round(headcount_total * share))
    const postgraduate = Math.round(qualified * 0.15)
    const college = Math.round(qualified * 0.2)
    return {
      year,
      headcount_total,
      full_time_khuyen_cong,
      other_staff: headcount_total - full_time_khuyen_cong,
      ...(year >= breakdownFrom
        ? {
            by_qualification: {
              postgraduate,
              university: qualified - postgraduate - college,
              college,
              other: headcount_total - qualified,
            },
          }
        : {}),
    }
  })

/** What a unit of `size` people works with. */
const equipment = (size: number) =>
  [
    { name: 'Xe ô tô bán tải', kind: 'vehicle', quantity: 1, condition: 'fair', year_acquired: 2015 },
    {
      name: 'Máy chiếu',
      kind: 'equipment',
      quantity: size > 20 ? 3 : 1,
      condition: 'good',
      year_acquired: 2022,
    },
    {
      name: 'Máy tính xách tay',
      kind: 'equipment',
      quantity: Math.ceil(size / 3),
      condition: 'good',
      year_acquired: 2023,
    },
    {
      name: 'Bộ thiết bị trình diễn kỹ thuật lưu động',
      kind: 'equipment',
      quantity: 1,
      condition: 'poor',
      year_acquired: 2012,
    },
  ].slice(0, size > 20 ? 4 : 3)

/** The province's unit, and the dissolved units of the former provinces merged into it (as the province). */
export async function implementingUnits(trx: Trx, { province, profile, olds, nameOf }: ReachSite) {
  const code = province.code
  const { unit } = profile
  const units = [
    {
      name: unit.name,
      unit_model: unit.model,
      status: 'active',
      origin_province_code: null as string | null,
      founding_decision_number: unit.decision[0],
      founding_decision_date: unit.decision[1],
      staff: staff(YEARS, unit.staff[0], Math.round(unit.staff[1] * 1.05), unit.trained, unit.breakdownFrom),
      size: unit.staff[1],
      area: unit.area,
    },
    ...olds
      .filter((f) => f.code !== code)
      .map((f, i) => ({
        name: `Trung tâm Khuyến công ${lower(f.full_name)}`,
        unit_model: i % 2 ? 'branch' : 'independent_centre',
        status: 'dissolved',
        origin_province_code: f.code,
        founding_decision_number: `${700 + Number(f.code)}/QĐ-UBND`,
        founding_decision_date: '2011-03-01',
        staff: staff([2021, 2022, 2023, 2024], 8, 10, unit.trained - 0.1, 2022),
        size: 10,
        area: 300,
      })),
  ]
  for (const u of units) {
    const issuer = `Ủy ban nhân dân ${lower(nameOf(u.origin_province_code))}`
    await trx
      .insertInto('implementing_units')
      .values({
        province_code: code,
        origin_province_code: u.origin_province_code,
        name: u.name,
        unit_model: u.unit_model,
        parent_body: `Sở Công Thương ${lower(nameOf(u.origin_province_code))}`,
        founding_decision_number: u.founding_decision_number,
        founding_decision_date: u.founding_decision_date,
        founding_decision_issuer: issuer,
        staff: json(u.staff),
        equipment: json(equipment(u.size)),
        premises_description: `Trụ sở làm việc và xưởng trình diễn kỹ thuật, ${u.area} m²`,
        premises_area_m2: u.area,
        status: u.status,
        ...at('2021-01-15'),
      })
      .execute()
  }
}

/**
 * Collaborators: the communes covered at the end of 2025 (a share of the province's), grown since
 * 2021; some ended or suspended (their communes not counted), some appointed in 2026 (as the province).
 */
export async function collaborators(
  trx: Trx,
  rnd: Generator,
  { province, profile, olds, merged, nameOf, communes }: ReachSite,
) {
  const code = province.code
  const target = Math.round(communes.length * profile.coverage)
  let next = 0
  const appoint = async (
    status: 'active' | 'ended' | 'suspended',
    start: string,
    end: string | null,
    count: number,
  ) => {
    const covered = communes.slice(next, next + count)
    next += count
    if (covered.length === 0) return
    const origin = merged && start < '2025-07-01' ? (olds[next % olds.length]?.code ?? null) : null
    const decision = `${rnd.int(100, 999)}/QĐ-SCT`
    const { id } = await trx
      .insertInto('collaborators')
      .values({
        province_code: code,
        origin_province_code: origin,
        full_name: person(rnd),
        phone: `09${rnd.int(10_000_000, 99_999_999)}`,
        email: null,
        organisation: `Công chức kinh tế UBND ${lower((covered[0] as (typeof communes)[number]).full_name)}`,
        appointment_decision_number: decision,
        appointment_decision_date: start,
        start_date: start,
        end_date: end,
        status,
        fee_basis: `Thù lao theo nghị quyết của Hội đồng nhân dân ${lower(nameOf(origin))} về mức hỗ trợ khuyến công`,
        training: json(
          Number(start.slice(0, 4)) < 2025
            ? [
                {
                  year: Number(start.slice(0, 4)),
                  title: 'Tập huấn nghiệp vụ khuyến công cho cộng tác viên',
                  hours: 16,
                },
              ]
            : [],
        ),
        ...at(start),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('collaborator_communes')
      .values(covered.map((c) => ({ collaborator_id: id, commune_code: c.code, province_code: code })))
      .execute()
  }
  for (let covered = 0, i = 0; covered < target; i++) {
    const count = Math.min(target - covered, 1 + (i % 3))
    await appoint('active', `${2021 + (i % 5)}-0${1 + (i % 9)}-15`, null, count)
    covered += count
  }
  for (let i = 0; i < Math.max(1, Math.round(target / 8)); i++) {
    await appoint('ended', `${2021 + (i % 2)}-04-01`, `${2023 + (i % 2)}-12-31`, 2)
    await appoint('suspended', '2022-05-01', null, 1)
  }
  for (let i = 0; i < Math.max(1, Math.round(target / 10)); i++)
    await appoint('active', '2026-02-01', null, 2)
}
