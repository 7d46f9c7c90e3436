// A throwaway Redis server of the test's own (Debian's redis-server), on a free loopback port, with
// nothing kept on disk: a test may kill it and start it again on the same port.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { Redis } from 'ioredis'
import { eventually, freePort } from './service.ts'

interface Teardown {
  teardown(fn: () => unknown): void
}

export interface RedisServer {
  url: string
  /** SIGKILL: the way a crashed or unreachable Redis looks to its clients. */
  kill(): Promise<void>
  start(): Promise<void>
  /** SIGSTOP / SIGCONT: a Redis that hangs, its connections open and silent. */
  pause(): void
  resume(): void
}

export async function startRedis(t: Teardown): Promise<RedisServer> {
  const port = await freePort()
  const url = `redis://127.0.0.1:${port}`
  let child: ChildProcess | undefined
  const kill = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    const exited = once(child, 'exit')
    child.kill('SIGKILL')
    await exited
  }
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    )
    const failed = once(child, 'error').then(([error]) => {
      throw new Error(
        `redis-server did not start (apt-get install redis-server): ${(error as Error).message}`,
      )
    })
    const ping = async () => {
      const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
      client.on('error', () => {})
      try {
        await client.connect()
        return (await client.ping()) === 'PONG'
      } catch {
        return false
      } finally {
        client.disconnect()
      }
    }
    if (!(await Promise.race([eventually(ping, 100, 50), failed]))) throw new Error('redis-server not ready')
  }
  await start()
  t.teardown(kill)
  return { url, kill, start, pause: () => child?.kill('SIGSTOP'), resume: () => child?.kill('SIGCONT') }
}
