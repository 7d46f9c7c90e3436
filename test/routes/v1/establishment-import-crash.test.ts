// kill -9 in the middle of an import: the real server in a child process, over a database that
// outlives it (a PGlite data directory, or a PostgreSQL test database). After a restart nothing
// of the import is written and its record reads `interrupted`, decided by its lapsed lease.
import t from 'tap'
import { onPostgres } from '../../helpers/app.ts'
import { csvOf } from '../../helpers/imports.ts'
import { eventually, serviceDatabase, startService } from '../../helpers/service.ts'
import { cast } from '../../helpers/tokens.ts'

// Two starts of the real server and a 5,000-row upload: more than the runner's default on a busy machine.
t.setTimeout(300_000)
const as = await cast()
const env = { ...(await serviceDatabase(t)), IMPORT_LEASE: '1s' }
const csv = csvOf('KILLED', 5000)
const upload = { 'content-type': 'text/csv', prefer: 'respond-async', 'idempotency-key': 'crash-1' }

t.test('kill -9 during an import: nothing written, and the import reads interrupted', async (t) => {
  const first = await startService(t, env)
  const res = await fetch(`${first.base}/v1/establishments/imports`, {
    method: 'POST',
    headers: { ...as.officer08, ...upload },
    body: csv,
  })
  t.equal(res.status, 202)
  const location = res.headers.get('location') as string
  if (onPostgres) {
    // PostgreSQL serves reads beside the import; the embedded database would make this wait.
    const job = (await (await fetch(`${first.base}${location}`, { headers: as.officer08 })).json()) as {
      status: string
    }
    t.equal(job.status, 'running', 'killed while running')
  }
  first.child.kill('SIGKILL')
  t.equal(await first.exited, null, 'killed')

  const second = await startService(t, env)
  let job: Record<string, unknown> = {}
  const settled = await eventually(async () => {
    job = (await (await fetch(`${second.base}${location}`, { headers: as.officer08 })).json()) as typeof job
    return job.status !== 'running'
  })
  t.ok(settled, 'its lease lapsed')
  t.match(job, { status: 'interrupted', committed: false })
  t.ok(job.finished_at, 'it ended when its lease did')
  const list = (await (
    await fetch(`${second.base}/v1/establishments?include_total=true`, { headers: as.officer08 })
  ).json()) as { total: number }
  t.equal(list.total, 0, 'nothing written')
  const retry = await fetch(`${second.base}/v1/establishments/imports`, {
    method: 'POST',
    headers: { ...as.officer08, ...upload },
    body: csv,
  })
  t.equal(retry.status, 409, 'its key names an interrupted import: send it again with a new key')
  t.equal(retry.headers.get('location'), location)
})
