// A short name for the content of some files and folders: what a kept database was made from
// (src/db/pglite.ts), so that another content names another one.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'

/** A short hash of every file of `paths` (files or folders, recursively; one that is absent counts as such). */
export function contentHash(paths: string[]): string {
  const hash = createHash('sha256')
  const file = (name: string, full: string) => {
    const content = readFileSync(full)
    // Name and length first: no two contents run into each other.
    hash.update(`${name}\0${content.length}\0`).update(content)
  }
  for (const p of paths) {
    if (!existsSync(p)) {
      hash.update(`${p}\0absent\0`)
    } else if (statSync(p).isDirectory()) {
      for (const name of readdirSync(p, { recursive: true, encoding: 'utf8' }).sort()) {
        const full = path.join(p, name)
        if (statSync(full).isFile()) file(name, full)
      }
    } else {
      file(path.basename(p), p)
    }
  }
  return hash.digest('hex').slice(0, 16)
}
