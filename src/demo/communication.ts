// Ask 7 of the letter (communication, with more information technology): each year's communication
// activities of the province — television, print, events, radio — more of them digital each year.
import type { Trx } from '../db/tenancy.ts'
import { at, lower, YEARS } from './common.ts'
import type { Generator } from './generator.ts'
import type { ReachSite } from './profiles.ts'

interface Channel {
  channel: string
  unit: string
  reach: [number, number]
  title: (place: string, year: number) => string
}
const DIGITAL: Channel[] = [
  {
    channel: 'web_portal',
    unit: 'visits',
    reach: [3_000, 40_000],
    title: (p, y) => `Chuyên mục khuyến công trên cổng thông tin điện tử ${p} năm ${y}`,
  },
  {
    channel: 'social_media',
    unit: 'viewers',
    reach: [5_000, 120_000],
    title: (_p, y) => `Video giới thiệu sản phẩm công nghiệp nông thôn tiêu biểu trên mạng xã hội (${y})`,
  },
  {
    channel: 'television',
    unit: 'viewers',
    reach: [20_000, 200_000],
    title: (_p, y) => `Phóng sự “Khuyến công đồng hành cùng cơ sở nông thôn” phát trực tuyến (${y})`,
  },
]
const CLASSIC: Channel[] = [
  {
    channel: 'television',
    unit: 'viewers',
    reach: [30_000, 250_000],
    title: (p) => `Chuyên mục “Khuyến công ${p}” trên đài phát thanh và truyền hình`,
  },
  {
    channel: 'print',
    unit: 'copies',
    reach: [500, 5_000],
    title: (_p, y) => `Bản tin khuyến công số ${y - 2020}`,
  },
  {
    channel: 'event',
    unit: 'participants',
    reach: [80, 600],
    title: (p, y) => `Hội nghị phổ biến chính sách khuyến công ${p} năm ${y}`,
  },
  {
    channel: 'radio',
    unit: 'listeners',
    reach: [10_000, 80_000],
    title: () => 'Chương trình phát thanh về khuyến công trên đài truyền thanh cơ sở',
  },
]

/** Communication activities, more of them digital each year (as the province). */
export async function communication(
  trx: Trx,
  rnd: Generator,
  { province, profile, olds, merged, nameOf, schemes }: ReachSite,
) {
  const code = province.code
  for (const [y, year] of YEARS.entries()) {
    const count = profile.activities[y] ?? 0
    const digital = Math.min(count, Math.round(count * profile.digital * ((year - 2020) / 5)))
    const media = schemes.find((s) => s.year === year && s.project_type === 'media_programme')
    for (let i = 0; i < count; i++) {
      const channel = (
        i < digital ? DIGITAL[i % DIGITAL.length] : CLASSIC[(i + y) % CLASSIC.length]
      ) as Channel
      const date = `${year}-${String(2 + ((i * 3) % 10)).padStart(2, '0')}-${String(5 + i).padStart(2, '0')}`
      const origin = merged && date < '2025-07-01' ? (olds[(i + y) % olds.length]?.code ?? null) : null
      await trx
        .insertInto('communication_activities')
        .values({
          province_code: code,
          origin_province_code: origin,
          channel: channel.channel,
          is_digital: i < digital,
          date,
          title: channel.title(lower(nameOf(origin)), year),
          description: null,
          reach: rnd.int(channel.reach[0], channel.reach[1]),
          reach_unit: channel.unit,
          cost: channel.channel === 'social_media' ? null : rnd.millions(5, 80),
          project_id: i === 0 && media ? media.id : null,
          ...at(date),
        })
        .execute()
    }
  }
}
