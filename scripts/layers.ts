// Imports point down only: app → routes → plugins → domain → db → lib (src/README files say why). Run by
// `npm run lint`; prints each import that runs the wrong way and exits 1.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const SRC = fileURLToPath(new URL('../src', import.meta.url))

/** What each folder (or top-level file) of src may import, besides itself and npm packages. */
const MAY: Record<string, string[]> = {
  lib: [],
  'config.ts': ['lib'],
  'runtime.ts': [],
  db: ['lib', 'config.ts'],
  domain: ['db', 'lib'],
  demo: ['domain', 'db', 'lib'],
  plugins: ['domain', 'db', 'lib', 'config.ts', 'demo', 'logger.ts'],
  routes: ['plugins', 'domain', 'db', 'lib', 'config.ts'],
  'logger.ts': ['lib', 'config.ts'],
  'app.ts': ['plugins', 'routes', 'db', 'lib', 'config.ts', 'logger.ts'],
  'server.ts': ['app.ts', 'config.ts', 'logger.ts', 'runtime.ts', 'db', 'lib'],
}

const layerOf = (file: string) => (path.relative(SRC, file).split(path.sep)[0] ?? '').replace(/\.js$/, '.ts')

const wrong: string[] = []
for (const entry of readdirSync(SRC, { recursive: true, encoding: 'utf8' })) {
  if (!entry.endsWith('.ts')) continue
  const file = path.join(SRC, entry)
  const from = layerOf(file)
  const allowed = MAY[from]
  if (!allowed) {
    wrong.push(`${entry}: src/${from} has no rule in scripts/layers.ts`)
    continue
  }
  // Static imports and re-exports (`import … from`, `export … from`, `import '…'`): not any line that
  // starts with `export` and names a relative path, such as a URL of a folder.
  for (const [, specifier] of readFileSync(file, 'utf8').matchAll(
    /^(?:(?:import|export)\s[^'";]*?\bfrom\s*|import\s*)['"](\.[^'"]+)['"]/gm,
  )) {
    const to = layerOf(path.resolve(path.dirname(file), specifier as string))
    if (to !== from && !allowed.includes(to)) wrong.push(`${entry}: imports ${specifier} (src/${to})`)
  }
}
if (wrong.length > 0) {
  console.error(`Imports that run up the layers (routes → domain → db → lib):\n${wrong.join('\n')}`)
  process.exit(1)
}
