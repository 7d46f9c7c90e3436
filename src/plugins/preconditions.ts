// The contract marks If-Match required on every update, delete and state change (RFC 9110
// §13.1.1); a request without it must still get 428 Precondition Required (RFC 6585), which says
// what to do, not the validator's 400. So such routes check for the header before validation.
import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { preconditionRequired } from '../domain/versioned.ts'

const requiresIfMatch = (headers: unknown) =>
  Array.isArray((headers as { required?: unknown } | undefined)?.required) &&
  (headers as { required: string[] }).required.includes('if-match')

async function ifMatchPresent(request: FastifyRequest) {
  if (!request.headers['if-match']?.trim()) throw preconditionRequired()
}

export default fp(
  async (app) => {
    app.addHook('onRoute', (route) => {
      if (!requiresIfMatch(route.schema?.headers)) return
      route.preValidation = [route.preValidation ?? []].flat().concat(ifMatchPresent)
    })
  },
  { name: 'preconditions' },
)
