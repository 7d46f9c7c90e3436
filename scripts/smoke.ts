// The smoke test of the committed contract's tools against a real server:
//
//   npm run smoke              # a fresh server on an in-memory embedded database with the demo data
//   BASE_URL=http://127.0.0.1:3000 npm run smoke   # a server already running (tokens: the dev secret)
//
// It starts `src/server.ts` on a free port (DATA_DIR=memory://, the demo data), waits until it is
// ready, signs a province-08 and a ministry token with scripts/token.ts, runs the Postman collection
// (openapi/postman_collection.json) with newman, then the typed client example
// (openapi/examples/client.ts), and stops the server. Ends with "N passed, M failed": the newman
// assertions, plus one for the example client.
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import newman from 'newman'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const run = promisify(execFile)

/** A port the system has just said is free. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()))
    })
  })

async function startServer(): Promise<{ baseUrl: string; server: ChildProcess }> {
  const port = await freePort()
  const server = spawn(process.execPath, ['src/server.ts'], {
    cwd: ROOT,
    // The defaults of `npm start`, less what would make runs differ: no data kept, no rate limit.
    env: {
      ...process.env,
      DATA_DIR: 'memory://',
      DATABASE_URL: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_MAX: '0',
      NODE_ENV: 'development',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const baseUrl = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 180_000
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode})`)
    const ready = await fetch(`${baseUrl}/readyz`).then(
      (r) => r.ok,
      () => false,
    )
    if (ready) return { baseUrl, server }
    await new Promise((r) => setTimeout(r, 500))
  }
  server.kill('SIGTERM')
  throw new Error('the server was not ready within 180 s')
}

async function token(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['scripts/token.ts', ...args], { cwd: ROOT })
  return stdout.trim()
}

function runCollection(baseUrl: string, tokens: { token: string; ministryToken: string }) {
  return new Promise<newman.NewmanRunSummary>((resolve, reject) =>
    newman.run(
      {
        collection: `${ROOT}/openapi/postman_collection.json`,
        envVar: [
          { key: 'baseUrl', value: baseUrl },
          { key: 'token', value: tokens.token },
          { key: 'ministryToken', value: tokens.ministryToken },
        ],
        reporters: ['cli'],
        reporter: { cli: { noSummary: false } },
        timeoutRequest: 30_000,
      },
      (error, summary) => (error ? reject(error) : resolve(summary)),
    ),
  )
}

/** Each failed request with what the server answered: a problem's detail says what to fix. */
function reportFailures(summary: newman.NewmanRunSummary) {
  for (const execution of summary.run.executions) {
    if (!execution.assertions?.some((a) => a.error)) continue
    const response = execution.response
    let detail = ''
    try {
      const body = JSON.parse(response?.stream?.toString() ?? '')
      detail = [
        body.detail,
        ...(body.errors ?? []).map((e: { pointer: string; detail: string }) => `${e.pointer}: ${e.detail}`),
      ]
        .filter(Boolean)
        .join('; ')
    } catch {}
    process.stdout.write(
      `FAILED ${execution.item.name}: ${execution.request.method} ${execution.request.url.toString()} → ${response?.code} ${detail}\n`,
    )
  }
}

async function exampleClient(baseUrl: string, provinceToken: string): Promise<boolean> {
  try {
    const { stdout } = await run(process.execPath, ['openapi/examples/client.ts'], {
      cwd: ROOT,
      env: { ...process.env, BASE_URL: baseUrl, TOKEN: provinceToken },
    })
    process.stdout.write(`\nopenapi/examples/client.ts:\n${stdout}`)
    return /^created /m.test(stdout)
  } catch (error) {
    process.stdout.write(`openapi/examples/client.ts failed: ${(error as Error).message}\n`)
    return false
  }
}

const given = process.env.BASE_URL
const started = given ? undefined : await startServer()
const baseUrl = given ?? started?.baseUrl ?? ''
let passed = 0
let failed = 0
try {
  const tokens = {
    token: await token('--role', 'province', '--province', '08'),
    ministryToken: await token('--role', 'ministry'),
  }
  const summary = await runCollection(baseUrl, tokens)
  const { assertions, requests } = summary.run.stats
  reportFailures(summary)
  failed += (assertions.failed ?? 0) + (requests.failed ?? 0)
  passed += (assertions.total ?? 0) - (assertions.failed ?? 0)
  if (await exampleClient(baseUrl, tokens.token)) passed += 1
  else failed += 1
} finally {
  started?.server.kill('SIGTERM')
}
process.stdout.write(`\n${passed} passed, ${failed} failed\n`)
process.exitCode = failed === 0 && passed > 0 ? 0 : 1
