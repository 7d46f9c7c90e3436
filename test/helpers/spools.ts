// Upload spools are unlinked as soon as they are opened (src/lib/spool.ts): a directory listing
// never shows them, a process's descriptors do. Linux only (/proc).
import { readdirSync, readlinkSync } from 'node:fs'

/** The targets of the descriptors of process `pid` that name an upload's temporary file. */
export function openSpools(pid = process.pid): string[] {
  return readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`)
      return target.includes('khuyen-cong-upload-') ? [target] : []
    } catch {
      return [] // closed meanwhile
    }
  })
}
