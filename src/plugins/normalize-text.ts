// Vietnamese text is stored NFC-normalised and trimmed, whatever the client sent (officials'
// files are often NFD, with stray spaces). Done once here, for every JSON body, before validation.
import fp from 'fastify-plugin'

function normalize(value: unknown): unknown {
  if (typeof value === 'string') return value.normalize('NFC').trim()
  if (Array.isArray(value)) return value.map(normalize)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]))
  }
  return value
}

export default fp(
  async (app) => {
    app.addHook('preValidation', (request, _reply, done) => {
      if (request.body && typeof request.body === 'object') request.body = normalize(request.body)
      done()
    })
  },
  { name: 'normalize-text' },
)
