// Periodic reporting (issue #16) for the demo provinces over 2024–2026: every quarter, half-year
// and year that ended by 30 September 2026 has, per reporting unit (the former provinces before the
// merger of 1 July 2025, the provinces after), a report in some status — acknowledged, submitted,
// returned, resubmitted and acknowledged, a draft, or none at all (overdue) — some submitted late;
// and the monthly progress of the national schemes, with some months missing or late.
//
// Written as the API writes: one report per unit and period, figures computed by the report's own
// function (given: routes/v1/periodic-reports/figures.ts) and frozen with their hash at each submission,
// a version per submission, every step in the history by the party that takes it; progress only for
// approved national schemes, for months they are under way. Dates are fixed (relative to each
// period's due date), so every load is the same.
import type { Insertable } from 'kysely'
import type { Figures } from '../db/tables/periodic-reports.table.ts'
import type { ProgressReportsTable } from '../db/tables/progress-reports.table.ts'
import type { Scope, Trx } from '../db/tenancy.ts'
import { APPROVED_STATES } from '../domain/project-lifecycle.ts'
import { contentHash } from '../domain/report-content.ts'
import type { Unit } from '../domain/reporting-units.ts'
import { beforeMerger } from '../domain/reporting-units.ts'
import { actingIn, demoProvinces, PROVINCES } from './common.ts'
import { type Generator, generator } from './generator.ts'

export const REPORTING_PART = 'khuyen-cong-demo-reporting-2024-2026'

/** The last period end of the demo: reports up to the third quarter of 2026. */
const LAST_END = '2026-09-30'

type Fate = 'none' | 'draft' | 'submitted' | 'returned' | 'resubmitted' | 'acknowledged'

/** Older periods are mostly closed; the latest ones still open. */
function fateOf(rnd: Generator, ends: string): Fate {
  const r = rnd.next()
  if (ends >= '2026-06-30')
    return r < 0.15
      ? 'none'
      : r < 0.35
        ? 'draft'
        : r < 0.55
          ? 'returned'
          : r < 0.85
            ? 'submitted'
            : 'acknowledged'
  if (r < 0.07) return 'none'
  if (r < 0.17) return 'resubmitted'
  return 'acknowledged'
}

/** `day` moved by `n` days, at 03:00 UTC (10:00 in Vietnam). */
const shifted = (day: string, n: number) =>
  new Date(Date.parse(`${day}T03:00:00.000Z`) + n * 86_400_000).toISOString()

const TEXTS = {
  results: [
    'Triển khai các đề án khuyến công theo kế hoạch; tổ chức đào tạo nghề, hỗ trợ máy móc thiết bị cho cơ sở CNNT.',
    'Hoàn thành nghiệm thu các đề án đến hạn; tổ chức bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh.',
    'Tuyên truyền chính sách khuyến công trên cổng thông tin điện tử và đài phát thanh, truyền hình tỉnh.',
  ],
  difficulties: [
    'Kinh phí khuyến công địa phương còn thấp so với nhu cầu của cơ sở.',
    'Mạng lưới cộng tác viên khuyến công cấp xã chưa phủ khắp sau sắp xếp đơn vị hành chính.',
    'Cơ sở CNNT khó khăn về vốn đối ứng.',
  ],
  proposals: [
    'Đề nghị Bộ Công Thương tăng kinh phí khuyến công quốc gia cho các đề án điểm.',
    'Đề nghị Bộ hướng dẫn định mức kinh tế kỹ thuật sau sắp xếp đơn vị hành chính.',
  ],
}

/**
 * How a report's figures are computed: the API's own function (routes/v1/periodic-reports/figures.ts),
 * given by the app (the demo sits below the routes), so the frozen figures are the ones the API freezes.
 */
export type FiguresOf = (
  trx: Trx,
  scope: Scope,
  unit: Unit,
  year: number,
  until: string,
  today: string,
) => Promise<Figures>

export const reporting = (figuresOf: FiguresOf) => async (trx: Trx) => {
  const rnd = generator(20260930)
  const actAs = actingIn(trx)
  const { provinces, formers } = await demoProvinces(trx)
  const periods = await trx
    .selectFrom('reporting_periods')
    .select(['code', 'kind', 'year', 'starts_on', 'ends_on', 'due_date'])
    .where('year', 'in', [2024, 2025, 2026])
    .where('kind', '!=', 'monthly')
    .where('ends_on', '<=', LAST_END)
    .orderBy('ends_on')
    .orderBy('starts_on', 'desc')
    .execute()
  for (const code of PROVINCES) {
    if (!provinces.some((p) => p.code === code)) continue
    const scope: Scope = { sub: 'demo-data', role: 'province', province: code, requestId: 'demo-data' }
    const olds = formers.filter((f) => f.successor_code === code).map((f) => f.code)
    // The ministry's steps, taken after the province's (each party writes its own).
    const ministrySteps: Step[] = []
    await actAs('province', code)
    for (const period of periods) {
      for (const unit of beforeMerger(period) ? olds : [code]) {
        const fate = fateOf(rnd, period.ends_on)
        if (fate === 'none') continue
        const origin = beforeMerger(period) ? unit : null
        ministrySteps.push(
          ...(await report(trx, rnd, figuresOf, scope, period, { code, origin, unit }, fate)),
        )
      }
    }
    await progress(trx, rnd, code)
    await actAs('ministry', null)
    if (ministrySteps.length)
      await trx.insertInto('periodic_report_transitions').values(ministrySteps).execute()
  }
}

interface Step {
  report_id: string
  province_code: string
  action: string
  from_status: string
  to_status: string
  comment: string | null
  submission: number
  actor_sub: string
  actor_role: 'ministry' | 'province'
  occurred_at: string
}

interface Period {
  code: string
  year: number
  ends_on: string
  due_date: string
}

/** One unit's report for a period, taken to its fate; returns the ministry's steps to record. */
async function report(
  trx: Trx,
  rnd: Generator,
  figuresOf: FiguresOf,
  scope: Scope,
  period: Period,
  who: { code: string; origin: string | null; unit: string },
  fate: Exclude<Fate, 'none'>,
): Promise<Step[]> {
  const sections = {
    results: rnd.pick(TEXTS.results),
    difficulties: rnd.pick(TEXTS.difficulties),
    proposals: fate === 'draft' ? null : rnd.pick(TEXTS.proposals),
  }
  // About one report in five is first sent after the due date.
  const late = rnd.next() < 0.2
  const sent = shifted(period.due_date, late ? rnd.int(3, 40) : -rnd.int(0, 10))
  const created = shifted(period.ends_on, -rnd.int(5, 20))
  const returnedAt = shifted(sent.slice(0, 10), rnd.int(5, 12))
  const resent = shifted(returnedAt.slice(0, 10), rnd.int(3, 10))
  const submissions = fate === 'draft' ? 0 : fate === 'resubmitted' ? 2 : 1
  const lastSent = submissions === 2 ? resent : submissions === 1 ? sent : null
  // Frozen as the API freezes them, on the day of each submission (a draft's on its last save),
  // not on the day the demo is loaded: what is overdue depends on that day.
  const frozen = async (at: string) => {
    const figures = await figuresOf(
      trx,
      scope,
      { province: who.code, origin: who.origin },
      period.year,
      period.ends_on,
      at.slice(0, 10),
    )
    return {
      figures,
      hash: contentHash({ period_code: period.code, unit_code: who.unit, ...sections, figures }),
    }
  }
  const { figures, hash } = await frozen(lastSent ?? created)
  const acknowledged =
    fate === 'acknowledged' || fate === 'resubmitted'
      ? shifted(lastSent?.slice(0, 10) ?? '', rnd.int(4, 20))
      : null
  const status = {
    draft: 'draft',
    submitted: 'submitted',
    returned: 'returned',
    resubmitted: 'acknowledged',
    acknowledged: 'acknowledged',
  }[fate]
  const touched = acknowledged ?? (fate === 'returned' ? returnedAt : (lastSent ?? created))
  const row = await trx
    .insertInto('periodic_reports')
    .values({
      province_code: who.code,
      origin_province_code: who.origin,
      period_code: period.code,
      status,
      ...sections,
      figures: JSON.stringify(figures),
      figures_as_of: lastSent ?? created,
      content_hash: submissions ? hash : null,
      submission: submissions,
      first_submitted_at: submissions ? sent : null,
      submitted_at: lastSent,
      acknowledged_at: acknowledged,
      returned_at: fate === 'returned' || fate === 'resubmitted' ? returnedAt : null,
      version:
        1 + submissions + (fate === 'returned' || fate === 'resubmitted' ? 1 : 0) + (acknowledged ? 1 : 0),
      created_at: created,
      updated_at: touched,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const step = (
    action: string,
    from: string,
    to: string,
    at: string,
    n: number,
    role: 'ministry' | 'province',
    comment: string | null = null,
  ): Step => ({
    report_id: row.id,
    province_code: who.code,
    action,
    from_status: from,
    to_status: to,
    comment,
    submission: n,
    actor_sub: role === 'ministry' ? 'demo-data-ministry' : 'demo-data',
    actor_role: role,
    occurred_at: at,
  })
  const own: Step[] = []
  const ministry: Step[] = []
  for (let n = 1; n <= submissions; n++) {
    // A resubmitted report's first version holds the figures of its own day.
    const version = n === submissions ? { figures, hash } : await frozen(sent)
    await trx
      .insertInto('periodic_report_versions')
      .values({
        report_id: row.id,
        province_code: who.code,
        submission: n,
        period_code: period.code,
        unit_code: who.unit,
        ...sections,
        figures: JSON.stringify(version.figures),
        content_hash: version.hash,
        submitted_by: 'demo-data',
        submitted_at: n === 1 ? sent : resent,
      })
      .execute()
  }
  if (submissions >= 1) own.push(step('submit', 'draft', 'submitted', sent, 1, 'province'))
  if (fate === 'returned' || fate === 'resubmitted') {
    ministry.push(
      step(
        'return',
        'submitted',
        'returned',
        returnedAt,
        1,
        'ministry',
        'Đề nghị bổ sung số liệu giải ngân và kiến nghị cụ thể.',
      ),
    )
  }
  if (fate === 'resubmitted') own.push(step('resubmit', 'returned', 'submitted', resent, 2, 'province'))
  if (acknowledged)
    ministry.push(step('acknowledge', 'submitted', 'acknowledged', acknowledged, submissions, 'ministry'))
  if (own.length) await trx.insertInto('periodic_report_transitions').values(own).execute()
  return ministry
}

/** A month: its code and dates. */
interface Month {
  code: string
  starts_on: string
  ends_on: string
  due_date: string
}

/**
 * Monthly progress of the province's approved national schemes, for the months 2024 – September
 * 2026 they are under way: most reported by the 5th of the next month, some late, some missing.
 */
async function progress(trx: Trx, rnd: Generator, province: string) {
  const months: Month[] = await trx
    .selectFrom('reporting_periods')
    .select(['code', 'starts_on', 'ends_on', 'due_date'])
    .where('kind', '=', 'monthly')
    .where('starts_on', '>=', '2024-01-01')
    .where('ends_on', '<=', LAST_END)
    .orderBy('starts_on')
    .execute()
  const schemes = await trx
    .selectFrom('projects')
    .select(['id', 'year', 'planned_start', 'planned_end', 'actual_start', 'actual_end', 'approved_central'])
    .where('province_code', '=', province)
    .where('funding_level', '=', 'central')
    .where('state', 'in', [...APPROVED_STATES])
    .orderBy('code')
    .execute()
  const rows: Insertable<ProgressReportsTable>[] = []
  for (const s of schemes) {
    const start = s.actual_start ?? s.planned_start ?? `${s.year}-01-01`
    const end = s.actual_end ?? s.planned_end ?? `${s.year}-12-31`
    const under = months.filter((m) => m.ends_on >= start && m.starts_on <= end)
    const approved = Number(s.approved_central ?? 0)
    under.forEach((m, i) => {
      if (rnd.next() < 0.12) return // missing
      const share = Math.min(100, Math.round(((i + 1) / under.length) * 100))
      const reported = shifted(m.due_date, rnd.next() < 0.2 ? rnd.int(2, 25) : -rnd.int(0, 4))
      rows.push({
        project_id: s.id,
        province_code: province,
        month: m.code,
        percent_done: share,
        used_central: Math.floor((approved * share) / 100 / 1000) * 1000,
        issues: share < 50 && rnd.next() < 0.3 ? 'Chậm giải ngân do thủ tục thanh toán.' : null,
        actor_sub: 'demo-data',
        created_at: reported,
        updated_at: reported,
      })
    })
  }
  if (rows.length) await trx.insertInto('progress_reports').values(rows).execute()
}
