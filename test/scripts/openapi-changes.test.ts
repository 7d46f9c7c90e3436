// The breaking-change check: Optic's report read as breaking changes per operation, and the
// changelog's Unreleased section naming them. Optic itself runs in CI (npm run openapi:changes).
import t from 'tap'
import { names, parseOptic, unreleased } from '../../scripts/openapi-changes.ts'

// Optic's text report as `optic diff --check` prints it (cut down from a real run).
const REPORT = `x Khuyến công API base.json
Operations: 46 operations added, 83 changed
x  Checks: 1050/1102 passed

✔ GET /v1/key-products: added

x PATCH /v1/plans/{id}:
  - header parameter if-match:
    - /required, /description changed
    x [prevent requiring existing header parameters] cannot make optional header parameter 'if-match' required. This is a breaking change.
  - request:
      - property /schema/properties/targets/items/required:
        x [prevent changing request property to required] cannot add a required request property 'unit' to an existing operation. This is a breaking change.
x DELETE /v1/plans/{id}:
    x [prevent requiring existing header parameters] cannot make optional header parameter 'if-match' required. This is a breaking change.
✔ GET /v1/plans: changed
`

t.test('each failed check is a breaking change of the operation it is listed under', async (t) => {
  const changes = parseOptic(REPORT)
  t.same(
    changes.map((c) => [c.operation, c.rule]),
    [
      ['PATCH /v1/plans/{id}', 'prevent requiring existing header parameters'],
      ['PATCH /v1/plans/{id}', 'prevent changing request property to required'],
      ['DELETE /v1/plans/{id}', 'prevent requiring existing header parameters'],
    ],
  )
  t.match(changes[0]?.message, /if-match/)
  t.same(parseOptic('✔ Khuyến công API base.json\nOperations: No operations changed\n'), [])
})

const CHANGELOG = `# Changelog

## Unreleased

### Breaking

- \`PATCH /v1/plans/{id}\`: \`If-Match\` is required.

## 2.0.0 — 2026-11-30

- \`DELETE /v1/plans/{id}\`: named in an older release only.
`

t.test('only the Unreleased section names the changes still to release', async (t) => {
  const section = unreleased(CHANGELOG)
  t.ok(names(section, 'PATCH /v1/plans/{id}'), 'named as METHOD /path')
  t.notOk(names(section, 'DELETE /v1/plans/{id}'), 'a release’s section does not count')
  t.ok(names('- `/v1/plans/{id}`: every method', 'DELETE /v1/plans/{id}'), 'the path alone names its methods')
  t.notOk(names('- `/v1/plans/{id}/attachments`', 'DELETE /v1/plans/{id}'), 'not a longer path')
  t.equal(unreleased('# Changelog\n\n## 1.0.0\n'), '', 'no Unreleased section names nothing')
})
