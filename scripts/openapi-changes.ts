// The contract's breaking changes since its last release, and whether CHANGELOG.md names them.
//
//   npm run openapi:changes    # node scripts/openapi-changes.ts check
//   npm run openapi:release    # node scripts/openapi-changes.ts release
//
// `check` compares openapi/openapi.json with the newest openapi/releases/<version>.json using Optic
// (`optic diff --check`, its breaking-change rules), lists each breaking change by operation, and
// fails when an operation with one is not named in the Unreleased section of CHANGELOG.md — as
// `METHOD /path` or as the path alone (`/v1/projects/{id}`, for all its methods). `release` keeps the
// committed contract as openapi/releases/<info.version>.json, once the version has been bumped.
import { execFile } from 'node:child_process'
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CONTRACT = join(ROOT, 'openapi/openapi.json')
const RELEASES = join(ROOT, 'openapi/releases')
const CHANGELOG = join(ROOT, 'CHANGELOG.md')
const OPTIC = join(ROOT, 'node_modules/.bin/optic')

const semver = (v: string) => v.split('.').map(Number) as [number, number, number]
const newer = (a: string, b: string) => {
  const [x, y] = [semver(a), semver(b)]
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] ?? 0) > (y[i] ?? 0)
  return false
}
const versionOf = async (file: string) =>
  (JSON.parse(await readFile(file, 'utf8')) as { info: { version: string } }).info.version

async function latestRelease(): Promise<string | undefined> {
  const versions = (await readdir(RELEASES).catch(() => []))
    .filter((f) => /^\d+\.\d+\.\d+\.json$/.test(f))
    .map((f) => f.replace(/\.json$/, ''))
  return versions.reduce<string | undefined>((best, v) => (!best || newer(v, best) ? v : best), undefined)
}

export interface BreakingChange {
  operation: string
  rule: string
  message: string
}

/**
 * Optic's report, read as text (its --json output carries no check results): an operation line
 * `x PATCH /v1/plans/{id}:` opens the failures of that operation, each `x [rule] message`.
 */
export function parseOptic(report: string): BreakingChange[] {
  const changes: BreakingChange[] = []
  let operation = '(the document)'
  for (const line of report.split('\n')) {
    const opening = /^x ([A-Z]+ \/\S*):\s*$/.exec(line)
    if (opening?.[1]) {
      operation = opening[1]
      continue
    }
    const failure = /^\s+x \[([^\]]+)\] (.+)$/.exec(line)
    if (failure?.[1] && failure[2]) changes.push({ operation, rule: failure[1], message: failure[2].trim() })
  }
  return changes
}

/** The text of the Unreleased section of the changelog. */
export function unreleased(changelog: string): string {
  const at = changelog.search(/^## Unreleased\b/m)
  if (at < 0) return ''
  const rest = changelog.slice(at + 1)
  const next = rest.search(/^## /m)
  return next < 0 ? rest : rest.slice(0, next)
}

/** Whether the section names the operation (`PATCH /v1/plans/{id}`) or its path in backticks. */
export const names = (section: string, operation: string) =>
  section.includes(operation) || section.includes(`\`${operation.split(' ')[1]}\``)

async function check(): Promise<number> {
  const release = await latestRelease()
  if (!release) {
    process.stderr.write('No release in openapi/releases/: run `npm run openapi:release` first.\n')
    return 1
  }
  // Optic lets a new major version break anything silently; this check lists the breaking changes
  // whatever the version says, so both documents are compared under one version.
  const dir = await mkdtemp(join(tmpdir(), 'kc-openapi-changes-'))
  const [base, head] = [join(dir, `release-${release}.json`), join(dir, 'committed.json')]
  for (const [from, to] of [
    [join(RELEASES, `${release}.json`), base],
    [CONTRACT, head],
  ] as const) {
    const doc = JSON.parse(await readFile(from, 'utf8')) as { info: { version: string } }
    await writeFile(to, JSON.stringify({ ...doc, info: { ...doc.info, version: '0.0.0' } }))
  }
  // Optic exits non-zero when a check fails; its report is what matters. No telemetry, no network.
  const report = await promisify(execFile)(OPTIC, ['diff', base, head, '--check', '--severity', 'error'], {
    cwd: dir, // Optic leaves ci-run-details.json where it runs
    env: { ...process.env, OPTIC_TELEMETRY_LEVEL: 'off', CI: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    (r) => r.stdout,
    (error: { stdout?: string; code?: number }) => {
      if (typeof error.stdout === 'string' && error.stdout.length > 0) return error.stdout
      throw error
    },
  )
  await rm(dir, { recursive: true, force: true })
  const changes = parseOptic(report)
  const section = unreleased(await readFile(CHANGELOG, 'utf8'))
  const version = await versionOf(CONTRACT)
  process.stdout.write(
    `Contract ${version} against release ${release}: ${changes.length} breaking change(s).\n`,
  )
  const missing = new Set<string>()
  for (const c of changes) {
    const named = names(section, c.operation)
    if (!named) missing.add(c.operation)
    process.stdout.write(`  ${named ? 'named  ' : 'MISSING'} ${c.operation}: [${c.rule}] ${c.message}\n`)
  }
  if (changes.length > 0 && semver(version)[0] <= semver(release)[0]) {
    process.stdout.write(
      `Note: breaking changes need a new major version when released (CONTRACT_VERSION is ${version}).\n`,
    )
  }
  if (missing.size > 0) {
    process.stderr.write(
      `CHANGELOG.md does not name ${missing.size} operation(s) with a breaking change under "## Unreleased": ` +
        `${[...missing].join(', ')}. Say what changed and what a client must do.\n`,
    )
    return 1
  }
  return 0
}

async function release(): Promise<number> {
  const version = await versionOf(CONTRACT)
  const latest = await latestRelease()
  if (latest && !newer(version, latest)) {
    process.stderr.write(
      `info.version ${version} is not newer than release ${latest}: bump CONTRACT_VERSION.\n`,
    )
    return 1
  }
  await copyFile(CONTRACT, join(RELEASES, `${version}.json`))
  process.stdout.write(
    `kept openapi/releases/${version}.json; give the Unreleased section of CHANGELOG.md its version.\n`,
  )
  return 0
}

// Run as a script (the tests import the functions above).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const mode = process.argv[2]
  if (mode === 'check') process.exitCode = await check()
  else if (mode === 'release') process.exitCode = await release()
  else {
    process.stderr.write('usage: npm run openapi:changes | npm run openapi:release\n')
    process.exitCode = 2
  }
}
