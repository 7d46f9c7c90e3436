// A typed client in a few lines: openapi-fetch with the contract's generated types
// (openapi/types.d.ts), so paths, parameters, bodies and responses are checked by the compiler.
//
//   TOKEN=$(npm run -s token -- --role province --province 08) BASE_URL=http://127.0.0.1:3000 \
//     node openapi/examples/client.ts
//
// It lists the first establishments of the caller's province, then creates one (a retry with the
// same Idempotency-Key would return the same establishment, never a second one).
import { randomUUID } from 'node:crypto'
import createClient from 'openapi-fetch'
import type { components, paths } from '../types.js'

type Establishment = components['schemas']['Establishment']

// JSON media types only (application/json, application/problem+json): the JSON side of the
// operations that also answer CSV, and problems as typed errors.
const client = createClient<paths, `application/${string}json`>({
  baseUrl: process.env.BASE_URL ?? 'http://127.0.0.1:3000',
  headers: { authorization: `Bearer ${process.env.TOKEN ?? ''}` },
})

const list = await client.GET('/v1/establishments', { params: { query: { limit: 5, q: 'chè' } } })
if (list.error) throw new Error(`list: ${list.response.status} ${list.error.detail}`)
for (const e of list.data.items) console.log(`${e.id}  ${e.commune_code}  ${e.name}`)

const created = await client.POST('/v1/establishments', {
  params: { header: { 'idempotency-key': randomUUID() } },
  body: {
    commune_code: '00691', // Phường Hà Giang 2, province 08
    name: `Hợp tác xã Chè Shan tuyết ${new Date().toISOString().slice(0, 10)}`,
    kind: 'cooperative',
    industry: 'agro_food_processing',
    main_products: 'Chè Shan tuyết',
  },
})
if (created.error) throw new Error(`create: ${created.response.status} ${created.error.detail}`)
const establishment: Establishment = created.data
console.log(`created ${establishment.id} (ETag ${created.response.headers.get('etag')})`)
