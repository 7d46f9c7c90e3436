// Requests over a real socket to a listening app: for what app.inject cannot show — uploads that
// arrive slowly or stall, and requests answered while others are still in progress.
import { type ClientRequest, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'

export interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
  json(): Record<string, unknown> & { items?: Record<string, unknown>[] }
}

export type Call = (
  method: string,
  path: string,
  headers?: Record<string, string | number>,
  /** The body, or a function that writes it at its own pace (and must end the request). */
  body?: string | ((req: ClientRequest) => void),
) => Promise<Answer>

/** Listens on a free port of the loopback address; the promise of a call settles with its answer. */
export async function listening(app: FastifyInstance): Promise<Call> {
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  return (method, path, headers = {}, body = undefined) =>
    new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text,
            json: () => JSON.parse(text),
          })
        })
      })
      req.on('error', reject)
      if (typeof body === 'function') body(req)
      else req.end(body)
    })
}
