// Records other tests link to, created through the API like any client would.
import type { FastifyInstance } from 'fastify'

/** A province's resolution on support levels: the body of a legal document's create. */
export const resolution = {
  number: '15/2022/NQ-HĐND',
  kind: 'resolution',
  issuer: 'Hội đồng nhân dân tỉnh Tuyên Quang',
  title: 'Quy định nội dung, mức hỗ trợ hoạt động khuyến công',
  signed_date: '2022-07-14',
  effective_date: '2022-08-01',
  subject: 'support_levels',
}

/** A draft locally funded scheme (đề án) of the caller's province; returns its id. */
export async function createScheme(
  app: FastifyInstance,
  headers: Record<string, string>,
  title = 'Đề án thử nghiệm',
) {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/projects',
    headers,
    payload: {
      year: 2024,
      title,
      funding_level: 'local',
      activity_contents: ['information'],
      implementing_unit: 'Trung tâm Khuyến công',
    },
  })
  if (res.statusCode !== 201) throw new Error(`scheme not created: ${res.body}`)
  return res.json().id as string
}

/** An approved provincial programme of the caller's province; returns its id. */
export async function createProvincialProgramme(app: FastifyInstance, headers: Record<string, string>) {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/programmes',
    headers,
    payload: {
      level: 'provincial',
      title: 'Chương trình khuyến công của tỉnh đến năm 2025',
      start_year: 2021,
      end_year: 2025,
      decision_number: `${Math.floor(Math.random() * 1e6)}/QĐ-UBND`,
      decision_date: '2021-03-01',
      status: 'approved',
    },
  })
  if (res.statusCode !== 201) throw new Error(`programme not created: ${res.body}`)
  return res.json().id as string
}

/** An active household business in a commune of the caller's province; returns its id. */
export async function createEstablishment(
  app: FastifyInstance,
  headers: Record<string, string>,
  commune_code: string,
  name = 'Hộ kinh doanh thử nghiệm',
) {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/establishments',
    headers,
    payload: { commune_code, name, kind: 'household_business', industry: 'handicrafts' },
  })
  if (res.statusCode !== 201) throw new Error(`establishment not created: ${res.body}`)
  return res.json().id as string
}

/**
 * An approved national (centrally funded) scheme of province 08 under way from `start` to `end`,
 * in a plan of a national programme; returns its id.
 */
export async function createNationalScheme(
  app: FastifyInstance,
  as: Record<'officer08' | 'ministry', Record<string, string>>,
  start = '2025-03-01',
  end = '2025-10-31',
  /** `ministry`: one of the ministry's own units runs it in province 08 (the ministry takes every step). */
  runBy: 'province' | 'ministry' = 'province',
) {
  const owner = runBy === 'ministry' ? as.ministry : as.officer08
  const post = async (url: string, headers: Record<string, string>, payload: object) => {
    const res = await app.inject({ method: 'POST', url, headers, payload })
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.body}`)
    return res.json().id as string
  }
  const year = Number(start.slice(0, 4))
  const programme = await post('/v1/programmes', as.ministry, {
    level: 'national',
    title: `KCQG ${year}`,
    start_year: year,
    end_year: year,
  })
  const plan = await post('/v1/plans', as.ministry, { programme_id: programme, year, title: `KH ${year}` })
  const id = await post('/v1/projects', owner, {
    ...(runBy === 'ministry' ? { run_by: 'ministry', province_code: '08' } : {}),
    year,
    title: 'Đề án khuyến công quốc gia',
    funding_level: 'central',
    plan_id: plan,
    activity_contents: ['training'],
    implementing_unit: 'Trung tâm Khuyến công Tuyên Quang',
    planned_start: start,
    planned_end: end,
    requested_central: 200_000_000,
  })
  const step = (headers: Record<string, string>, payload: object) =>
    app
      .inject({
        method: 'POST',
        url: `/v1/projects/${id}/transitions`,
        headers: { ...headers, 'if-match': '*' },
        payload,
      })
      .then((res) => {
        if (res.statusCode !== 200) throw new Error(`scheme step: ${res.body}`)
      })
  await step(owner, { action: 'submit' })
  await step(as.ministry, { action: 'approve', decision: '100/QĐ-BCT' })
  return id
}
