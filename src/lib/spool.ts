// An upload body written to a temporary file before any database work starts: a slow client then
// holds a file descriptor, never a database connection. The body is counted (past `limit` → 413)
// and timed (no byte for `idleMs` → 408) as it arrives. The file is unlinked as soon as it is
// opened and used through its descriptor alone: the kernel frees it when the descriptor closes —
// on every failure, after use by remove(), or with the process however it dies (kill -9, OOM).
// With `hash`, the body's SHA-256 is computed as it arrives.
import { createHash, randomBytes } from 'node:crypto'
import { type FileHandle, open, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { type Problem, problem } from './problems.ts'

export interface Spool {
  readonly bytes: number
  /** Hex SHA-256 of the body, when asked for. */
  readonly sha256?: string
  /** A fresh stream of the whole body in pieces of `chunk` bytes, each stream independent of the others. */
  read(chunk?: number): Readable
  /** The file, for a reader that needs random access (positioned reads); closed by remove() alone. */
  readonly handle: FileHandle
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
const READ_SIZE = 64 * 1024

/** Errors of a disk (or quota, or file-size limit) with no room left: the server's state, not the upload's. */
const NO_ROOM = new Set(['ENOSPC', 'EDQUOT', 'EFBIG'])
const noRoom = (error: Error) =>
  NO_ROOM.has((error as NodeJS.ErrnoException).code ?? '')
    ? problem(
        'service_unavailable',
        {
          vi: 'Máy chủ không còn chỗ để lưu tệp được gửi lên; hãy gửi lại sau.',
          en: 'The server has no room left to keep the upload; send it again later.',
        },
        {},
        CLOSE,
      )
    : error

/** The file's `size` bytes from the start, `chunk` at a time, by positioned reads. */
async function* pieces(handle: FileHandle, size: number, chunk: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < size; ) {
    const { bytesRead, buffer } = await handle.read(
      Buffer.allocUnsafe(Math.min(chunk, size - at)),
      0,
      undefined,
      at,
    )
    if (bytesRead === 0) throw new Error(`the spooled file ends at ${at} of ${size} bytes`)
    at += bytesRead
    yield buffer.subarray(0, bytesRead)
  }
}

/** All of `chunk` at the file's end. A short write is retried, so a full disk (ENOSPC) fails it. */
async function append(handle: FileHandle, chunk: Buffer) {
  for (let at = 0; at < chunk.length; ) {
    const { bytesWritten } = await handle.write(chunk, at)
    if (bytesWritten === 0) throw new Error('the spooled file took no byte')
    at += bytesWritten
  }
}

export async function spool(source: Readable, o: SpoolOptions): Promise<Spool> {
  const file = path.join(tmpdir(), `khuyen-cong-upload-${randomBytes(8).toString('hex')}`)
  const handle = await open(file, 'wx+', 0o600).catch((error: Error) => {
    throw noRoom(error)
  })
  await rm(file).catch(async (error) => {
    await handle.close()
    throw error
  })
  // Only through the handle, whose close() waits for a read or write in flight: once remove() has
  // closed it, nothing reads or writes the descriptor's number, which another file may then get.
  const remove = () => handle.close()
  const hash = o.hash ? createHash('sha256') : undefined
  let bytes = 0
  let settled = false
  let written = Promise.resolve()
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
      // One write at a time, the client paused (and not timed) while the disk takes it.
      clearTimeout(timer)
      source.pause()
      written = written
        .then(() => append(handle, chunk))
        .then(
          () => {
            if (!settled) {
              arm()
              source.resume()
            }
          },
          (error: Error) => fail(noRoom(error)),
        )
    }
    const onEnd = () => {
      settle()
      written.then(() =>
        failed
          ? undefined
          : resolve({
              bytes,
              ...(hash ? { sha256: hash.digest('hex') } : {}),
              read: (chunk = READ_SIZE) => Readable.from(pieces(handle, bytes, chunk), { objectMode: false }),
              handle,
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
      settled = true
      clearTimeout(timer)
      source.off('data', onData).off('end', onEnd).off('error', onClose).off('close', onClose)
      o.signal.removeEventListener('abort', onAbort)
    }
    // The first failure is the answer: closing the file makes a write still pending fail too,
    // which must not replace the 413 or 408 that caused it.
    let failed = false
    const fail = (error: Problem | Error) => {
      if (failed) return
      failed = true
      settle()
      source.pause()
      remove()
        .catch(() => {})
        .then(() => reject(error))
    }
    if (o.signal.aborted) return onAbort()
    o.signal.addEventListener('abort', onAbort)
    source.on('data', onData).on('end', onEnd).on('error', onClose).on('close', onClose)
    // The client may have gone while the file was being opened.
    if (source.destroyed) return onClose()
    arm()
  })
}
