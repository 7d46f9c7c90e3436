// Two imports of wide rows at once, under the heap the service runs with in production (192 MB:
// `npm run start:prod`, the Dockerfile): the real server in a child process. A batch is bounded by
// its cells' text as well as by its rows, so the instance stays up; with 2,000 such rows a batch,
// two batches held by each import, it ran out of heap and took every request with it.
import t from 'tap'
import { serviceDatabase, startService } from '../../helpers/service.ts'
import { cast } from '../../helpers/tokens.ts'

// Two rounds of 8,000 rows of 3,000 characters through the real server.
t.setTimeout(600_000)
const as = await cast()
const ROWS = 4000
const COMMUNE = { '08': '00691', '01': '00004' } as const

const fill = (text: string, n: number) => text.repeat(Math.ceil(n / text.length)).slice(0, n)
/** Rows as wide as the template allows for a name, an address and the main products. */
const wide = (province: keyof typeof COMMUNE, round: number) =>
  [
    'external_id,commune_code,name,kind,address,main_products',
    ...Array.from({ length: ROWS }, (_, i) =>
      [
        `WIDE-${province}-${i}`,
        COMMUNE[province],
        `"${fill(`Cơ sở sản xuất ${i}, lần ${round} `, 300)}"`,
        'sme',
        `"${fill(`Thôn ${i}, xã Đông Hòa, lần ${round} `, 500)}"`,
        `"${fill(`Sản phẩm thủ công mỹ nghệ ${i} `, 2000)}"`,
      ].join(','),
    ),
  ].join('\n')

t.test('two imports of wide rows at once keep the instance up under the production heap', async (t) => {
  const service = await startService(t, {
    ...(await serviceDatabase(t)),
    NODE_OPTIONS: '--max-old-space-size=192',
    LOG_LEVEL: 'warn',
  })
  for (const [round, expected] of [
    [0, { created: ROWS, updated: 0 }],
    [1, { created: 0, updated: ROWS }],
  ] as const) {
    const answers = await Promise.all(
      (['08', '01'] as const).map(async (province) => {
        const res = await fetch(`${service.base}/v1/establishments/imports`, {
          method: 'POST',
          headers: { ...as[`officer${province}`], 'content-type': 'text/csv' },
          body: wide(province, round),
        })
        return { status: res.status, body: (await res.json()) as Record<string, unknown> }
      }),
    )
    for (const { status, body } of answers) {
      t.equal(status, 200, `round ${round}: answered`)
      t.match(body, { ...expected, failed: 0, committed: true }, `round ${round}: every row written`)
    }
  }
  t.equal(service.child.exitCode, null, 'the instance is still running')
})
