// An upload body written to a temporary file before any database work starts: a slow client then
// holds a file descriptor, never a database connection. The body is counted (past `limit` → 413)
// and timed (no byte for `idleMs` → 408) as it arrives; the file is removed on every failure and,
// after use, by remove(). With `hash`, the body's SHA-256 is computed as it arrives.
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { type Problem, problem } from './problems.ts'

export interface Spool {
  readonly bytes: number
  /** The temporary file (for readers that want a path). */
  readonly path: string
  /** Hex SHA-256 of the body, when asked for. */
  readonly sha256?: string
  /** A fresh stream of the whole body. */
  read(): Readable
  remove(): Promise<void>
}

export interface SpoolOptions {
  limit: number
  idleMs: number
  /** Aborted when the server shuts down: the upload is cut with 503. */
  signal: AbortSignal
  hash?: boolean
}

// The rest of a refused body is not read: the connection closes after the answer.
const CLOSE = { connection: 'close' }

export function spool(source: Readable, o: SpoolOptions): Promise<Spool> {
  const file = path.join(tmpdir(), `khuyen-cong-upload-${randomBytes(8).toString('hex')}`)
  const out = createWriteStream(file, { mode: 0o600 })
  const remove = () => rm(file, { force: true })
  const hash = o.hash ? createHash('sha256') : undefined
  let bytes = 0
  return new Promise<Spool>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined
    const arm = () => {
      clearTimeout(timer)
      timer = setTimeout(() => {
        const seconds = o.idleMs / 1000
        const detail = {
          vi: `Không nhận được dữ liệu trong ${seconds} giây.`,
          en: `No data arrived for ${seconds} s.`,
        }
        fail(problem('request_timeout', detail, {}, CLOSE))
      }, o.idleMs)
    }
    const onData = (chunk: Buffer) => {
      bytes += chunk.length
      if (bytes > o.limit) {
        const detail = { vi: `Nội dung vượt quá ${o.limit} byte.`, en: `The body exceeds ${o.limit} bytes.` }
        return fail(problem('payload_too_large', detail, {}, CLOSE))
      }
      hash?.update(chunk)
      if (!out.write(chunk)) {
        // The disk is slower than the client: stop reading (and timing) until it catches up.
        clearTimeout(timer)
        source.pause()
        out.once('drain', () => {
          arm()
          source.resume()
        })
      } else arm()
    }
    const onEnd = () => {
      settle()
      out.end(() =>
        resolve({
          bytes,
          path: file,
          ...(hash ? { sha256: hash.digest('hex') } : {}),
          read: () => createReadStream(file),
          remove: () => remove().catch(() => {}),
        }),
      )
    }
    const onClose = () =>
      fail(
        problem(
          'bad_request',
          { vi: 'Việc tải lên bị ngắt trước khi hoàn tất.', en: 'The upload ended before its end.' },
          {},
          CLOSE,
        ),
      )
    const onAbort = () =>
      fail(
        problem(
          'service_unavailable',
          {
            vi: 'Máy chủ đang dừng hoạt động; hãy gửi lại tệp.',
            en: 'The server is shutting down; send the file again.',
          },
          {},
          CLOSE,
        ),
      )
    const settle = () => {
      clearTimeout(timer)
      source.off('data', onData).off('end', onEnd).off('error', onClose).off('close', onClose)
      o.signal.removeEventListener('abort', onAbort)
    }
    // The first failure is the answer: destroying the file makes a write still pending fail too
    // (ERR_STREAM_DESTROYED), which must not replace the 413 or 408 that caused it.
    let failed = false
    const fail = (error: Problem | Error) => {
      if (failed) return
      failed = true
      settle()
      source.pause()
      out.destroy()
      remove().finally(() => reject(error))
    }
    out.on('error', fail)
    if (o.signal.aborted) return onAbort()
    o.signal.addEventListener('abort', onAbort)
    source.on('data', onData).on('end', onEnd).on('error', onClose).on('close', onClose)
    arm()
  })
}
