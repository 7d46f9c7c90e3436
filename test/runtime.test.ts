// The Node.js line: the tests themselves run on it (tap starts each file with its own node, so a
// file running on 24 proves npm put node_modules/.bin/node first), the guard agrees with
// package.json "engines", and a server started by an older node stops with a message.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { MINIMUM_NODE, unsupportedNode } from '../src/runtime.ts'

const ROOT = path.resolve(import.meta.dirname, '..')

t.test('the tests run on a supported Node.js', async (t) => {
  t.comment(`node ${process.version} (${process.execPath})`)
  t.equal(unsupportedNode(), undefined)
  t.ok(Number(process.versions.node.split('.')[0]) >= 24)
})

t.test('the guard and package.json "engines" name the same minimum', async (t) => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'))
  t.equal(`${pkg.engines.node}.0`, `>=${MINIMUM_NODE}`)
})

t.test('older lines are refused, this line and newer ones accepted', async (t) => {
  for (const version of ['20.20.2', '22.22.0', '24.10.0']) {
    t.match(unsupportedNode(version), `Node.js ${version} is not supported`)
  }
  for (const version of ['24.11.0', '24.22.3', '26.0.0']) t.equal(unsupportedNode(version), undefined)
})

// A node found on PATH past node_modules/.bin (the machine's own), when it is older: the server
// started with it exits before opening a database, with the guard's message.
const systemNode = (process.env.PATH ?? '')
  .split(path.delimiter)
  .filter((dir) => dir && !dir.includes(`node_modules${path.sep}.bin`))
  .map((dir) => path.join(dir, 'node'))
  .find((file) => existsSync(file))
const systemVersion =
  systemNode && execFileSync(systemNode, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim()

t.test(
  'a server started by an older node stops with a message',
  { skip: !systemVersion || !unsupportedNode(systemVersion) ? 'no older node on this machine' : false },
  async (t) => {
    // Through tsx: Node 20 cannot strip types itself.
    const run = spawnSync(systemNode as string, ['--import', 'tsx', 'src/server.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, PORT: '0', DATA_DIR: 'memory://', DEMO_DATA: 'false' },
      timeout: 60_000,
    })
    t.equal(run.status, 1)
    t.match(run.stderr, `Node.js ${systemVersion} is not supported`)
    t.notMatch(run.stdout, /listening/)
  },
)
