// The seven-ask scorecard (letter 3384/BCT-CTĐP) per province and year, its trend over years,
// the national roll-up, and the indicators with their thresholds (data the ministry may change).
// Figures are computed live on every call, so they are as fresh as the data (see queries.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { csvResponses, sendCsv, wantsCsv } from '../../../domain/listing.ts'
import { type Noun, notReadable } from '../../../domain/nouns.ts'
import { sendXlsx, wantsXlsx, withXlsx } from '../../../domain/spreadsheets.ts'
import { ifMatchHeader, readVersioned, updateVersioned } from '../../../domain/versioned.ts'
import { FieldErrors, problem } from '../../../lib/problems.ts'
import {
  FIRST_YEAR,
  problemResponses,
  readResponses,
  todayInVietnam,
  updateResponses,
} from '../../../lib/schemas.ts'
import { annualReports } from '../periodic-reports/repository.ts'
import { formerCodeProblem } from '../provinces/former-codes.ts'
import { annualPeriods } from '../reporting-periods/repository.ts'
import { annualReportOf } from './annual-report.ts'
import {
  type AsOf,
  demoLoaded,
  type Facts,
  type FactsFilter,
  factsQuery,
  findIndicator,
  type IndicatorRow,
  indicators,
  updateIndicator,
} from './repository.ts'
import {
  DATA_NOTICE,
  Indicator,
  IndicatorList,
  IndicatorParams,
  IndicatorPatch,
  National,
  NationalQuery,
  ProvinceTrend,
  Scorecard,
  ScorecardQuery,
  TrendParams,
  TrendQuery,
} from './schemas.ts'
import { nationalRollup, type ScorecardRow, scorecardRow, sortRows } from './scorecard.ts'
import { scorecardSheets } from './spreadsheet.ts'

const ENTITY: Noun = 'scorecard_indicator'
const MAX_YEARS = 30
const thisYear = () => Number(todayInVietnam().slice(0, 4))

const RULES =
  'Computed from the data on every call: a write is in the next answer. Thresholds and definitions: ' +
  '`GET /v1/reports/indicators`.'

const SCORECARD_COLUMNS = [
  'province_code',
  'province_name',
  'year',
  'ask',
  'code',
  'label_vi',
  'label_en',
  'unit',
  'value',
  'status',
] as const

/** A scorecard as CSV: one line per province, year and indicator (a long table, easy to pivot). */
const scorecardLines = (rows: ScorecardRow[]) =>
  rows.flatMap(({ indicators: list, province_code, province_name, year }) =>
    list.map((i) => ({ province_code, province_name, year, ...i })),
  )

const NATIONAL_COLUMNS = [
  'year',
  'ask',
  'code',
  'label_vi',
  'label_en',
  'unit',
  'better',
  'value',
  'best_value',
  'best_provinces',
  'worst_value',
  'worst_provinces',
  'provinces_met',
  'provinces_partly_met',
  'provinces_not_met',
  'provinces_no_data',
  'breakdown',
] as const

/** What a report adds when the database holds the demo dataset. */
const DEMO_NOTICE = { data_notice: DATA_NOTICE }

/**
 * Facts, indicator definitions, the demo notice (if any) and the rows' annual reports in one tenant
 * transaction; `rows()` makes the scorecard rows.
 */
const load = (request: FastifyRequest, f: FactsFilter) =>
  request.tenant(async (trx, scope) => {
    const [facts, definitions, demo, periods, reports] = await Promise.all([
      // A report reads a *_recorded figure only as "any or none" (scorecard.ts, given).
      factsQuery(trx, scope, { ...f, presence: true }),
      indicators(trx),
      demoLoaded(trx),
      annualPeriods(trx, f.from, f.to),
      annualReports(trx, scope, f.from, f.to),
    ])
    const annual = annualReportOf(f.asOf, periods, reports, todayInVietnam())
    const rows = () =>
      (facts.rows as Facts[]).map((fact) => ({
        ...scorecardRow(fact, definitions),
        annual_report: annual(fact.key, fact.year),
      }))
    return { facts: facts.rows as Facts[], definitions, notice: demo ? DEMO_NOTICE : {}, rows }
  })

const reports: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/reports/scorecard',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'getScorecard',
        tags: ['reports'],
        summary: 'Seven-ask scorecard of every province',
        description:
          'Thẻ điểm bảy yêu cầu — for one year, one row per province with every indicator of the seven asks ' +
          'of letter 3384/BCT-CTĐP (legal frame, plans, focus, oversight, organisation, money, communication): ' +
          'value, unit and status (`no_data` — value null — where the province holds no record of the kind the ' +
          'indicator reads for the year: no data is not zero). The ministry gets all 34 provinces (63 with ' +
          `\`as_of=former\`), a province officer their own. ${RULES} \`Accept: text/csv\`: one line per province ` +
          'and indicator; `Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`: the ' +
          'official spreadsheet, one sheet per ask.',
        querystring: ScorecardQuery,
        response: withXlsx(csvResponses(Scorecard, 'Thẻ điểm — the scorecard'), 'Thẻ điểm'),
      },
    },
    async (request, reply) => {
      const year = request.query.year ?? thisYear()
      const asOf = (request.query.as_of ?? 'current') as AsOf
      const { rows, notice } = await load(request, { asOf, from: year, to: year })
      const items = sortRows(rows(), request.query.sort ?? 'province_code')
      if (wantsXlsx(request)) {
        return sendXlsx(
          request,
          reply,
          `the-diem-${year}.xlsx`,
          scorecardSheets(year, asOf === 'former', items),
        )
      }
      if (wantsCsv(request))
        return sendCsv(reply, `scorecard-${year}.csv`, SCORECARD_COLUMNS, scorecardLines(items))
      return { year, as_of: asOf, items, ...notice }
    },
  )

  app.get(
    '/v1/reports/provinces/:code/scorecard',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'getProvinceScorecardTrend',
        tags: ['reports'],
        summary: 'Scorecard of a province over years',
        description:
          'Thẻ điểm của tỉnh qua các năm — the scorecard of one province for every year from `from` to `to`, ' +
          'for trends. A province officer reads their own province (with `as_of=former`, the former provinces ' +
          `merged into it); another gets 404. ${RULES} \`Accept: text/csv\`: one line per year and indicator.`,
        params: TrendParams,
        querystring: TrendQuery,
        response: csvResponses(ProvinceTrend, 'Thẻ điểm qua các năm — the trend', 'not_found'),
      },
    },
    async (request, reply) => {
      const { code } = request.params
      const asOf = (request.query.as_of ?? 'current') as AsOf
      const to = request.query.to ?? thisYear()
      // The default reaches five years back, but never before the contract's first year.
      const from = request.query.from ?? Math.max(FIRST_YEAR, to - 5)
      const fails = new FieldErrors()
      fails.check(from > to, 'query', 'from', {
        vi: `không được sau \`to\` (${to})`,
        en: `must not be after \`to\` (${to})`,
      })
      fails.check(to - from >= MAX_YEARS, 'query', 'to', {
        vi: `phải nằm trong khoảng ${MAX_YEARS} năm tính từ \`from\``,
        en: `must be within ${MAX_YEARS} years of \`from\``,
      })
      fails.throwIfAny()
      const { facts, rows, notice } = await load(request, { asOf, from, to, code })
      const first = facts[0]
      if (!first) {
        if (asOf === 'former') throw notReadable('former_province', code)
        throw (await formerCodeProblem(app.db, code)) ?? notReadable('province', code)
      }
      const items = rows()
      if (wantsCsv(request)) {
        return sendCsv(reply, `scorecard-${code}-${from}-${to}.csv`, SCORECARD_COLUMNS, scorecardLines(items))
      }
      return { province_code: code, province_name: first.name, as_of: asOf, from, to, items, ...notice }
    },
  )

  app.get(
    '/v1/reports/national',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'getNationalReport',
        tags: ['reports'],
        summary: 'National roll-up of the scorecard',
        description:
          'Báo cáo toàn quốc — every scorecard indicator for the whole country in one year: the national ' +
          'value (counts and money summed, shares as total ÷ total, yes/no indicators as the number of ' +
          'provinces where they hold), the best and the worst provinces, and how many provinces met each (those ' +
          'without data counted apart). ' +
          'Over the provinces the caller may read (a province officer: their own). ' +
          `${RULES} \`Accept: text/csv\`: one line per indicator.`,
        querystring: NationalQuery,
        response: csvResponses(National, 'Báo cáo toàn quốc — the national roll-up'),
      },
    },
    async (request, reply) => {
      const year = request.query.year ?? thisYear()
      const asOf = (request.query.as_of ?? 'current') as AsOf
      const { facts, definitions, notice } = await load(request, { asOf, from: year, to: year })
      const list = nationalRollup(facts, definitions)
      if (wantsCsv(request)) {
        const lines = list.map((i) => ({
          ...i,
          year,
          best_value: i.best?.value,
          best_provinces: i.best?.province_codes,
          worst_value: i.worst?.value,
          worst_provinces: i.worst?.province_codes,
          provinces_met: i.provinces_by_status?.met,
          provinces_partly_met: i.provinces_by_status?.partly_met,
          provinces_not_met: i.provinces_by_status?.not_met,
          provinces_no_data: i.provinces_by_status?.no_data,
        }))
        return sendCsv(reply, `national-${year}.csv`, NATIONAL_COLUMNS, lines)
      }
      return { year, as_of: asOf, provinces: facts.length, indicators: list, ...notice }
    },
  )

  app.get(
    '/v1/reports/indicators',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listScorecardIndicators',
        tags: ['reports'],
        summary: 'Scorecard indicators and thresholds',
        description:
          'Chỉ tiêu và ngưỡng đánh giá — every indicator of the scorecard in order: its ask, labels, unit, ' +
          'whether higher or lower is better, the thresholds for `met` and `partly_met`, its `parameter` and ' +
          '`met_codes` where it has them, and how it is computed and why (the basis of each threshold). ' +
          'They are data: the ministry changes them with PATCH, and the next report uses them.',
        response: {
          200: IndicatorList,
          ...problemResponses('unauthorized', 'forbidden'),
        },
      },
    },
    async (request) => ({ items: await request.tenant((trx) => indicators(trx)) }),
  )

  /** The shape updateVersioned() and readVersioned() know: an id and no province (national data). */
  const asVersioned = (row: IndicatorRow) => ({ ...row, id: row.code, province_code: null })
  const found = (row: IndicatorRow | undefined) => row && asVersioned(row)

  app.get(
    '/v1/reports/indicators/:code',
    {
      config: { access: 'read', etag: true },
      schema: {
        operationId: 'getScorecardIndicator',
        tags: ['reports'],
        summary: 'A scorecard indicator',
        description: 'Một chỉ tiêu — an indicator and its thresholds, with its `ETag` for a later PATCH.',
        params: IndicatorParams,
        response: readResponses(Indicator),
      },
    },
    async (request, reply) =>
      readVersioned(request, reply, {
        entity: ENTITY,
        id: request.params.code,
        find: async (trx, _scope, code) => found(await findIndicator(trx, code)),
      }),
  )

  app.patch(
    '/v1/reports/indicators/:code',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'updateScorecardIndicator',
        tags: ['reports'],
        summary: 'Change an indicator’s thresholds',
        description:
          'Sửa ngưỡng đánh giá — the ministry changes an indicator’s labels, thresholds, parameter, codes that ' +
          'meet or definition (merge patch; `null` removes a threshold). The thresholds must agree with the ' +
          'direction: when higher is better `partly_met` ≤ `met`, when lower is better `partly_met` ≥ `met`; a ' +
          'code indicator has none but may have `met_codes`; `parameter` only where the definition has one. ' +
          'Requires `If-Match`. Provinces read the thresholds but do not change them (403). Audited.',
        params: IndicatorParams,
        headers: ifMatchHeader,
        body: IndicatorPatch,
        response: updateResponses(Indicator),
      },
    },
    async (request, reply) =>
      updateVersioned(request, reply, {
        entity: ENTITY,
        id: request.params.code,
        // Locked for the ministry; anyone else reads it unlocked (FOR UPDATE would need the update
        // policy and hide the row) and is refused by authorize() with 403.
        find: async (trx, scope, code) => found(await findIndicator(trx, code, scope.role === 'ministry')),
        authorize(scope) {
          if (scope.role !== 'ministry') {
            throw problem('forbidden', {
              vi: 'Ngưỡng của bộ chỉ tiêu đánh giá do Bộ quy định; các tỉnh chỉ được xem.',
              en: 'Scorecard thresholds are set by the ministry; provinces read them.',
            })
          }
        },
        async write(trx, _scope, current) {
          const next = { ...current, ...request.body }
          const fails = new FieldErrors()
          checkThresholds(fails, current.unit, current.better, next.met, next.partly_met)
          checkExtras(fails, current, next)
          fails.throwIfAny()
          return asVersioned(await updateIndicator(trx, current.code, request.body))
        },
      }),
  )
}

/** A parameter only where the definition has one (and never removed); `met_codes` only on a code. */
function checkExtras(
  fails: FieldErrors,
  current: IndicatorRow,
  next: Pick<IndicatorRow, 'parameter' | 'met_codes'>,
) {
  fails.check(
    (current.parameter === null) !== (next.parameter === null),
    'body',
    'parameter',
    current.parameter === null
      ? { vi: 'chỉ tiêu này không có tham số', en: 'this indicator has no parameter' }
      : { vi: 'định nghĩa của chỉ tiêu cần có tham số', en: 'its definition needs one' },
  )
  fails.check(current.unit !== 'code' && next.met_codes !== null, 'body', 'met_codes', {
    vi: 'chỉ chỉ tiêu dạng mã mới có các mã đạt',
    en: 'only a code indicator has codes that meet it',
  })
}

function checkThresholds(
  fails: FieldErrors,
  unit: string,
  better: 'higher' | 'lower' | null,
  met: number | null,
  partly: number | null,
) {
  if (unit === 'code' && (met !== null || partly !== null)) {
    fails.add('body', 'met', {
      vi: 'chỉ tiêu dạng mã không có ngưỡng',
      en: 'a code indicator has no thresholds',
    })
    return
  }
  if (partly === null) return
  if (met === null) {
    fails.add('body', 'partly_met', { vi: 'cần có cả `met`', en: 'needs `met` as well' })
  } else if (better === 'higher' ? partly > met : partly < met) {
    const higher = better === 'higher'
    fails.add('body', 'partly_met', {
      vi: `phải ${higher ? 'không lớn hơn' : 'không nhỏ hơn'} \`met\` (${met}): giá trị ${higher ? 'cao' : 'thấp'} hơn là tốt hơn`,
      en: `must be ${higher ? 'at most' : 'at least'} \`met\` (${met}): ${better} is better`,
    })
  }
}

export default reports
