import { Type } from 'typebox'
import { REPORT_STATUSES } from '../../../domain/report-workflow.ts'
import { TIMELINESS } from '../../../domain/timeliness.ts'
import { CodeOf } from '../../../lib/codelists.ts'
import { Codes, examplesOf, Nullable, ProvinceCode, Year } from '../../../lib/schemas.ts'
import { INDICATOR_CODES } from './scorecard.ts'

export const AS_OF = ['current', 'former'] as const
export const UNITS = ['boolean', 'count', 'people', 'share', 'ratio', 'vnd', 'code'] as const
export const STATUSES = ['met', 'partly_met', 'not_met', 'no_data'] as const
export const SORTS = ['province_code', 'met', ...INDICATOR_CODES].flatMap((k) => [k, `-${k}`])

const AsOf = Codes(
  AS_OF,
  'Theo địa giới — `current` (default): today’s 34 provinces, records from before the 1 July 2025 merger ' +
    'counted under the province that succeeded theirs; `former`: the 63 former provinces, each record under ' +
    'the province it came from (`origin_province_code`, else the province of the same code).',
)

export const ScorecardQuery = Type.Object(
  {
    year: Type.Optional(Year('Năm — the year reported (default: the current year in Vietnam).')),
    as_of: Type.Optional(AsOf),
    sort: Type.Optional(
      Codes(
        SORTS,
        'Sắp xếp — `province_code` (default), `met` (number of indicators met) or an indicator code; a leading ' +
          '`-` for descending (`-disbursed_to_approved_local`). Missing values last; ties by province code.',
      ),
    ),
  },
  { additionalProperties: false },
)

export const TrendQuery = Type.Object(
  {
    from: Type.Optional(
      Year('Từ năm — first year (default: five years before `to`, not before 2000).', 2021),
    ),
    to: Type.Optional(
      Year('Đến năm — last year (default: the current year in Vietnam); at most 30 years.', 2026),
    ),
    as_of: Type.Optional(AsOf),
  },
  { additionalProperties: false },
)

export const NationalQuery = Type.Object(
  {
    year: Type.Optional(Year('Năm — the year reported (default: the current year in Vietnam).')),
    as_of: Type.Optional(AsOf),
  },
  { additionalProperties: false },
)

export const TrendParams = Type.Object(
  {
    code: {
      ...ProvinceCode,
      description: 'Mã tỉnh — a current province, or with `as_of=former` a former one.',
    },
  },
  { additionalProperties: false },
)

const Unit = Codes(
  UNITS,
  'Đơn vị — `boolean` (yes/no), `count`, `people`, `share` (0–1, four decimals), `ratio` (a quotient, e.g. ' +
    'per 100 communes), `vnd` (whole đồng), `code` (a code-list value).',
)

const described = {
  code: Type.String({
    description: 'Mã chỉ tiêu — the indicator’s machine name.',
    examples: ['inspections'],
  }),
  ask: Type.Integer({
    minimum: 1,
    maximum: 7,
    description: 'Yêu cầu — which of the seven asks of letter 3384/BCT-CTĐP it measures (1–7).',
    examples: [4],
  }),
  label_vi: Type.String({
    description: 'Tên chỉ tiêu (tiếng Việt).',
    examples: ['Số cuộc kiểm tra, giám sát'],
  }),
  label_en: Type.String({ description: 'Indicator name in English.', examples: ['inspections in the year'] }),
  unit: Unit,
}

const Status = Nullable(
  Codes(STATUSES, 'Đánh giá'),
  'Đánh giá — `met` (đạt), `partly_met` (đạt một phần), `not_met` (chưa đạt) against the indicator’s ' +
    'thresholds (a code indicator: whether the code is one of its `met_codes`); `no_data` (chưa có số liệu) ' +
    'when the value is null — the province holds no record of the kind the indicator reads for the year, ' +
    'which is not a zero; null when the indicator has no thresholds.',
)

export const IndicatorValue = Type.Object(
  {
    ...described,
    value: Type.Union([Type.Number(), Type.Boolean(), Type.String(), Type.Null()], {
      description:
        'Giá trị — a number, yes/no, or a code (unit `code`); null (status `no_data`) when the province has no ' +
        'record of the kind it reads for the year, or a share has nothing to divide.',
      examples: [3],
    }),
    status: Status,
  },
  { additionalProperties: false, description: 'Một chỉ tiêu — one indicator of a scorecard.' },
)

const Count = (description: string) => Type.Integer({ minimum: 0, description, examples: [12] })

export const ScorecardRow = Type.Object(
  {
    province_code: ProvinceCode,
    province_name: Type.String({ description: 'Tên tỉnh — province name.', examples: ['Tuyên Quang'] }),
    year: Year('Năm — the year.'),
    summary: Type.Object(
      {
        met: Count('Số chỉ tiêu đạt — indicators met.'),
        partly_met: Count('Số chỉ tiêu đạt một phần — indicators partly met.'),
        not_met: Count('Số chỉ tiêu chưa đạt — indicators not met.'),
        no_data: Count('Số chỉ tiêu chưa có số liệu — indicators without data (not counted as not met).'),
      },
      { additionalProperties: false, description: 'Tổng hợp — indicators by status.' },
    ),
    indicators: Type.Array(IndicatorValue, {
      description: 'Các chỉ tiêu — every indicator, in the order of the seven asks.',
    }),
    annual_report: Nullable(
      Type.Object(
        {
          report_id: Nullable(Type.String({ format: 'uuid' }), 'Mã báo cáo — null when none was started.'),
          status: Codes(
            ['not_started', ...REPORT_STATUSES],
            'Trạng thái — the workflow status of the annual report.',
          ),
          timeliness: Nullable(
            Codes(TIMELINESS, 'Tính kịp thời'),
            'Tính kịp thời — `on_time`, `late`, `overdue` (not submitted, past due); null while not due.',
          ),
        },
        { additionalProperties: false },
      ),
      'Báo cáo năm — whether the row’s figures were reported: the annual periodic report of the unit for the ' +
        'year (`/v1/periodic-reports`); null where the row is not that year’s reporting unit (a current ' +
        'province for a year before the 1 July 2025 merger, a former province after it: see `as_of`).',
    ),
  },
  {
    additionalProperties: false,
    description: 'Thẻ điểm của một tỉnh trong một năm — one province, one year.',
  },
)

/** Present only when the database holds the demo dataset. */
const dataNotice = {
  data_notice: Type.Optional(
    Type.String({
      description:
        'Lưu ý dữ liệu — present when the figures come from the demo dataset: illustrative, never to be quoted ' +
        'as a province’s data.',
    }),
  ),
}

/** The `data_notice` of a report computed on the demo dataset. */
export const DATA_NOTICE =
  'Dữ liệu minh họa — computed on the demo dataset: illustrative figures, not official data of any province.'

/** The first indicator of the scorecard, as every example below names it. */
const programmeIndicator = {
  code: 'local_programme_in_force',
  ask: 1,
  label_vi: 'Có chương trình khuyến công địa phương còn hiệu lực',
  label_en: 'local khuyến công programme approved and in force',
  unit: 'boolean',
}

/** Province 08 in 2025 as the demo data gives it (its annual report id is of one demo run). */
const demoRow = {
  province_code: '08',
  province_name: 'Tuyên Quang',
  year: 2025,
  summary: {
    met: 9,
    partly_met: 2,
    not_met: 6,
    no_data: 3,
  },
  indicators: [
    {
      ...programmeIndicator,
      value: true,
      status: 'met',
    },
    {
      code: 'technical_norms_issued',
      ask: 1,
      label_vi: 'Đã ban hành định mức kinh tế kỹ thuật',
      label_en: 'economic-technical norms issued',
      unit: 'boolean',
      value: true,
      status: 'met',
    },
    {
      code: 'normative_documents_issued',
      ask: 1,
      label_vi: 'Số văn bản quy phạm pháp luật về khuyến công ban hành trong năm',
      label_en: 'legal normative documents issued in the year',
      unit: 'count',
      value: 1,
      status: null,
    },
    {
      code: 'schemes_planned',
      ask: 2,
      label_vi: 'Số đề án trong kế hoạch năm',
      label_en: "schemes in the year's plan",
      unit: 'count',
      value: 4,
      status: null,
    },
    {
      code: 'schemes_accepted',
      ask: 2,
      label_vi: 'Số đề án đã nghiệm thu',
      label_en: 'schemes accepted',
      unit: 'count',
      value: 1,
      status: null,
    },
    {
      code: 'schemes_completed_on_time',
      ask: 2,
      label_vi: 'Số đề án hoàn thành đúng hạn',
      label_en: 'schemes completed on time',
      unit: 'count',
      value: 2,
      status: null,
    },
    {
      code: 'completed_on_time_share',
      ask: 2,
      label_vi: 'Tỷ lệ đề án hoàn thành đúng hạn',
      label_en: 'share of due schemes completed on time',
      unit: 'share',
      value: 0.5,
      status: 'partly_met',
    },
    {
      code: 'accepted_within_period_share',
      ask: 2,
      label_vi: 'Tỷ lệ đề án nghiệm thu trong thời hạn sau khi hoàn thành',
      label_en: 'share of completed schemes accepted within the period after completion',
      unit: 'share',
      value: 1,
      status: 'met',
    },
    {
      code: 'disbursed_to_approved_central',
      ask: 2,
      label_vi: 'Tỷ lệ giải ngân so với kinh phí trung ương được duyệt',
      label_en: 'central money disbursed ÷ approved',
      unit: 'share',
      value: 0.6168,
      status: 'not_met',
    },
    {
      code: 'disbursed_to_approved_local',
      ask: 2,
      label_vi: 'Tỷ lệ giải ngân so với kinh phí địa phương được duyệt',
      label_en: 'local money disbursed ÷ approved',
      unit: 'share',
      value: null,
      status: 'no_data',
    },
    {
      code: 'disbursed_to_allocated_central',
      ask: 2,
      label_vi: 'Tỷ lệ giải ngân so với dự toán kinh phí trung ương',
      label_en: 'central money disbursed ÷ allocated',
      unit: 'share',
      value: 0.3293,
      status: 'not_met',
    },
    {
      code: 'disbursed_to_allocated_local',
      ask: 2,
      label_vi: 'Tỷ lệ giải ngân so với dự toán kinh phí địa phương',
      label_en: 'local money disbursed ÷ allocated',
      unit: 'share',
      value: 0,
      status: 'not_met',
    },
    {
      code: 'typical_products',
      ask: 3,
      label_vi: 'Số sản phẩm CNNT tiêu biểu còn hiệu lực',
      label_en: 'typical rural-industrial products with a valid certificate',
      unit: 'count',
      value: 12,
      status: null,
    },
    {
      code: 'typical_products_per_100_communes',
      ask: 3,
      label_vi: 'Số sản phẩm CNNT tiêu biểu trên 100 xã',
      label_en: 'typical products per 100 communes',
      unit: 'ratio',
      value: 9.6774,
      status: null,
    },
    {
      code: 'typical_products_province',
      ask: 3,
      label_vi: 'Sản phẩm CNNT tiêu biểu cấp tỉnh',
      label_en: 'typical products certified at provincial level',
      unit: 'count',
      value: 10,
      status: null,
    },
    {
      code: 'typical_products_region',
      ask: 3,
      label_vi: 'Sản phẩm CNNT tiêu biểu cấp khu vực',
      label_en: 'typical products certified at regional level',
      unit: 'count',
      value: 3,
      status: null,
    },
    {
      code: 'typical_products_national',
      ask: 3,
      label_vi: 'Sản phẩm CNNT tiêu biểu cấp quốc gia',
      label_en: 'typical products certified at national level',
      unit: 'count',
      value: 1,
      status: null,
    },
    {
      code: 'pilot_schemes',
      ask: 3,
      label_vi: 'Số đề án điểm',
      label_en: 'pilot schemes',
      unit: 'count',
      value: 1,
      status: 'met',
    },
    {
      code: 'key_product_money_share',
      ask: 3,
      label_vi: 'Tỷ lệ kinh phí đề án cho sản phẩm, ngành hàng chủ lực',
      label_en: "share of scheme money on the province's key products and sectors",
      unit: 'share',
      value: 0,
      status: 'not_met',
    },
    {
      code: 'inspections',
      ask: 4,
      label_vi: 'Số cuộc kiểm tra, giám sát trong năm',
      label_en: 'inspections and evaluations in the year',
      unit: 'count',
      value: 3,
      status: null,
    },
    {
      code: 'schemes_inspected_share',
      ask: 4,
      label_vi: 'Tỷ lệ đề án được kiểm tra',
      label_en: 'share of planned schemes inspected',
      unit: 'share',
      value: 0.5,
      status: 'met',
    },
    {
      code: 'open_follow_ups',
      ask: 4,
      label_vi: 'Số kiến nghị chưa hoàn thành',
      label_en: 'open follow-ups',
      unit: 'count',
      value: 1,
      status: 'not_met',
    },
    {
      code: 'implementing_unit_model',
      ask: 5,
      label_vi: 'Mô hình đơn vị thực hiện khuyến công',
      label_en: 'model of the implementing unit',
      unit: 'code',
      value: 'merged_centre',
      status: 'met',
    },
    {
      code: 'staff_headcount',
      ask: 5,
      label_vi: 'Số cán bộ của đơn vị thực hiện khuyến công',
      label_en: 'staff of the implementing units',
      unit: 'people',
      value: 24,
      status: null,
    },
    {
      code: 'staff_trained_share',
      ask: 5,
      label_vi: 'Tỷ lệ cán bộ có trình độ cao đẳng trở lên',
      label_en: 'share of staff with a college degree or higher',
      unit: 'share',
      value: 0.625,
      status: 'partly_met',
    },
    {
      code: 'collaborator_coverage',
      ask: 5,
      label_vi: 'Tỷ lệ xã có cộng tác viên khuyến công',
      label_en: 'share of communes covered by an active collaborator at year end',
      unit: 'share',
      value: 0.5968,
      status: 'met',
    },
    {
      code: 'local_allocation',
      ask: 6,
      label_vi: 'Dự toán kinh phí khuyến công địa phương',
      label_en: 'local budget allocated',
      unit: 'vnd',
      value: 2302000000,
      status: null,
    },
    {
      code: 'central_allocation',
      ask: 6,
      label_vi: 'Dự toán kinh phí khuyến công quốc gia',
      label_en: 'central budget allocated',
      unit: 'vnd',
      value: 4932000000,
      status: null,
    },
    {
      code: 'local_share_of_total',
      ask: 6,
      label_vi: 'Tỷ trọng kinh phí địa phương trong tổng kinh phí',
      label_en: 'local share of the budget allocated',
      unit: 'share',
      value: 0.3182,
      status: null,
    },
    {
      code: 'local_allocation_change',
      ask: 6,
      label_vi: 'Mức thay đổi kinh phí địa phương so với năm trước',
      label_en: 'change of the local budget against the previous year',
      unit: 'share',
      value: -0.2536,
      status: 'not_met',
    },
    {
      code: 'local_support_rules_in_force',
      ask: 6,
      label_vi: 'Có quy định mức hỗ trợ khuyến công địa phương còn hiệu lực',
      label_en: 'local support levels in force',
      unit: 'boolean',
      value: true,
      status: 'met',
    },
    {
      code: 'local_support_levels_raised',
      ask: 6,
      label_vi: 'Đã nâng mức hỗ trợ khuyến công địa phương trong năm',
      label_en: 'local support levels raised in the year',
      unit: 'boolean',
      value: false,
      status: null,
    },
    {
      code: 'communication_activities',
      ask: 7,
      label_vi: 'Số hoạt động thông tin tuyên truyền',
      label_en: 'communication activities',
      unit: 'count',
      value: 6,
      status: null,
    },
    {
      code: 'communication_digital_share',
      ask: 7,
      label_vi: 'Tỷ lệ hoạt động trên nền tảng số',
      label_en: 'share of digital communication activities',
      unit: 'share',
      value: 0.6667,
      status: 'met',
    },
    {
      code: 'communication_reach_viewers',
      ask: 7,
      label_vi: 'Lượt người xem (truyền hình, mạng xã hội…)',
      label_en: 'reach in viewers',
      unit: 'people',
      value: 257336,
      status: null,
    },
    {
      code: 'communication_reach_listeners',
      ask: 7,
      label_vi: 'Lượt người nghe',
      label_en: 'reach in listeners',
      unit: 'people',
      value: null,
      status: 'no_data',
    },
    {
      code: 'communication_reach_copies',
      ask: 7,
      label_vi: 'Số bản phát hành',
      label_en: 'reach in copies',
      unit: 'count',
      value: 772,
      status: null,
    },
    {
      code: 'communication_reach_visits',
      ask: 7,
      label_vi: 'Lượt truy cập',
      label_en: 'reach in visits',
      unit: 'count',
      value: 46402,
      status: null,
    },
    {
      code: 'communication_reach_participants',
      ask: 7,
      label_vi: 'Lượt người tham dự',
      label_en: 'reach in participants',
      unit: 'people',
      value: null,
      status: 'no_data',
    },
  ],
  annual_report: {
    report_id: '7d9ca860-acc7-4165-b384-61c6df8a2597',
    status: 'acknowledged',
    timeliness: 'on_time',
  },
}

export const Scorecard = Type.Object(
  {
    year: Year('Năm — the year reported.'),
    as_of: AsOf,
    items: Type.Array(ScorecardRow, {
      description: 'Một dòng mỗi tỉnh — one row per province the caller may read (the ministry: all).',
    }),
    ...dataNotice,
  },
  {
    additionalProperties: false,
    // Province 08's scorecard for 2025 as the demo data gives it (its officer's view: one row).
    examples: [
      {
        year: 2025,
        as_of: 'current',
        items: [demoRow],
        data_notice: DATA_NOTICE,
      },
    ],
  },
)

export const ProvinceTrend = Type.Object(
  {
    province_code: ProvinceCode,
    province_name: Type.String({ description: 'Tên tỉnh — province name.', examples: ['Tuyên Quang'] }),
    as_of: AsOf,
    from: Year('Từ năm — first year.', 2021),
    to: Year('Đến năm — last year.', 2026),
    items: Type.Array(ScorecardRow, { description: 'Một dòng mỗi năm — one row per year, oldest first.' }),
    ...dataNotice,
  },
  {
    additionalProperties: false,
    // Province 08 from 2025 to 2025: the row of the Scorecard example.
    examples: [
      {
        province_code: '08',
        province_name: 'Tuyên Quang',
        as_of: 'current',
        from: 2025,
        to: 2025,
        items: [demoRow],
        data_notice: DATA_NOTICE,
      },
    ],
  },
)

const Extreme = (description: string) =>
  Nullable(
    Type.Object(
      {
        value: Type.Number({ description: 'Giá trị — the value.', examples: [0.95] }),
        province_codes: Type.Array(ProvinceCode, {
          description: 'Các tỉnh — the provinces with it (ties: all).',
        }),
      },
      { additionalProperties: false },
    ),
    `${description}; null for code indicators and when every province has the same value (or none has one)`,
  )

export const NationalIndicator = Type.Object(
  {
    ...described,
    better: Nullable(Codes(['higher', 'lower'], 'Hướng'), 'Hướng tốt — whether higher or lower is better.'),
    value: Nullable(
      Type.Number({ examples: [0.82] }),
      'Giá trị cả nước — the national figure: counts and money summed, shares and ratios as total ÷ total, ' +
        'yes/no indicators as the number of provinces where it holds; null for code indicators.',
    ),
    breakdown: Nullable(
      Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
      'Phân bố — for code indicators, the number of provinces per code; null otherwise.',
    ),
    best: Extreme('Tốt nhất — the best value and the provinces with it'),
    worst: Extreme('Kém nhất — the worst value and the provinces with it'),
    provinces_by_status: Nullable(
      Type.Object(
        {
          met: Count('Đạt.'),
          partly_met: Count('Đạt một phần.'),
          not_met: Count('Chưa đạt.'),
          no_data: Count('Chưa có số liệu — provinces without data, apart from those not met.'),
        },
        { additionalProperties: false },
      ),
      'Số tỉnh theo đánh giá — provinces met, partly met, not met and without data; null for indicators ' +
        'without thresholds.',
    ),
  },
  { additionalProperties: false, description: 'Một chỉ tiêu cả nước — one indicator, nationally.' },
)

export const National = Type.Object(
  {
    year: Year('Năm — the year reported.'),
    as_of: AsOf,
    provinces: Count('Số tỉnh — provinces in the roll-up (34, or 63 with `as_of=former`).'),
    indicators: Type.Array(NationalIndicator, { description: 'Các chỉ tiêu — every indicator.' }),
    ...dataNotice,
  },
  {
    additionalProperties: false,
    // 2025 as the ministry sees it on the demo data: two of the indicators.
    examples: [
      {
        year: 2025,
        as_of: 'current',
        provinces: 34,
        indicators: [
          {
            ...programmeIndicator,
            better: 'higher',
            value: 5,
            breakdown: null,
            best: null,
            worst: null,
            provinces_by_status: { met: 5, partly_met: 0, not_met: 0, no_data: 29 },
          },
          {
            code: 'completed_on_time_share',
            ask: 2,
            label_vi: 'Tỷ lệ đề án hoàn thành đúng hạn',
            label_en: 'share of due schemes completed on time',
            unit: 'share',
            better: 'higher',
            value: 0.2667,
            breakdown: null,
            best: { value: 0.5, province_codes: ['08', '48'] },
            worst: { value: 0, province_codes: ['01', '79'] },
            provinces_by_status: { met: 0, partly_met: 2, not_met: 3, no_data: 29 },
          },
        ],
        data_notice: DATA_NOTICE,
      },
    ],
  },
)

const Threshold = (description: string) => Nullable(Type.Number({ examples: [0.8] }), description)

const definitionFields = {
  label_vi: Type.String({ minLength: 1, maxLength: 200, description: 'Tên chỉ tiêu (tiếng Việt).' }),
  label_en: Type.String({ minLength: 1, maxLength: 200, description: 'Indicator name in English.' }),
  met: Threshold(
    'Ngưỡng đạt — the value at which the indicator is met (at least it when higher is better, at most when ' +
      'lower is); null: no status.',
  ),
  partly_met: Threshold(
    'Ngưỡng đạt một phần — the value at which it is partly met; null: no partial status.',
  ),
  parameter: Nullable(
    Type.Number({ minimum: 0, maximum: 3650, examples: [90] }),
    'Tham số — the indicator’s parameter where its definition names one (`accepted_within_period_share`: ' +
      'days after completion within which acceptance counts); null for the others.',
  ),
  met_codes: Nullable(
    Type.Array(CodeOf('unit_model', 'A code that meets the indicator.'), { minItems: 1, uniqueItems: true }),
    'Mã đạt — for the code indicator (`implementing_unit_model`), the codes that meet it; null for the others.',
  ),
  definition: Type.String({
    minLength: 1,
    maxLength: 2000,
    description: 'Cách tính — how the value is computed, and the basis of its thresholds.',
  }),
}

export const Indicator = Type.Object(
  {
    ...described,
    position: Type.Integer({ minimum: 1, description: 'Thứ tự — order in the scorecard.', examples: [16] }),
    better: NationalIndicator.properties.better,
    ...definitionFields,
    version: Type.Integer({ minimum: 1, description: 'Phiên bản — bumped by every change (the ETag).' }),
    updated_at: Type.String({ format: 'date-time', description: 'Cập nhật lúc — last changed.' }),
  },
  {
    additionalProperties: false,
    description: 'Chỉ tiêu và ngưỡng đánh giá — an indicator and its thresholds.',
    examples: [
      {
        ...programmeIndicator,
        position: 10,
        better: 'higher',
        met: 1,
        partly_met: null,
        parameter: null,
        met_codes: null,
        definition:
          'Yes when a provincial programme approved (status approved or ended) by 31 December of the year covers ' +
          "the year. Met when yes: provincial programmes are approved by the provincial People's Committee (TT " +
          '46/2012/TT-BCT) and ask 1 of letter 3384/BCT-CTĐP asks every province for one. No data when the ' +
          'province has recorded no provincial programme decided by 31 December of the year.',
        version: 1,
        updated_at: '2026-11-30T18:50:40.533Z',
      },
    ],
  },
)

export const IndicatorList = Type.Object(
  { items: Type.Array(Indicator, { description: 'Every indicator, in scorecard order.' }) },
  { additionalProperties: false, examples: [{ items: examplesOf(Indicator) }] },
)

export const IndicatorParams = Type.Object(
  { code: Codes(INDICATOR_CODES, 'Mã chỉ tiêu — the indicator.') },
  { additionalProperties: false },
)

export const IndicatorPatch = Type.Object(
  {
    label_vi: Type.Optional(definitionFields.label_vi),
    label_en: Type.Optional(definitionFields.label_en),
    met: Type.Optional(definitionFields.met),
    partly_met: Type.Optional(definitionFields.partly_met),
    parameter: Type.Optional(definitionFields.parameter),
    met_codes: Type.Optional(definitionFields.met_codes),
    definition: Type.Optional(definitionFields.definition),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description:
      'Các trường cần sửa — labels, thresholds, parameter, codes that meet, or definition (JSON merge patch).',
    examples: [{ met: 3, partly_met: 1 }],
  },
)
