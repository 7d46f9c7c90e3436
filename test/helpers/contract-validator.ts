// A whole OpenAPI document as a validator, for the tests (test/helpers/contract.ts) and for
// `npm run openapi:check`, which checks every example of the contract against its schema.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import formats from 'ajv-formats'

/** RFC 6901: a path or media type as one segment of a JSON pointer. */
export const segment = (text: string) => text.replaceAll('~', '~0').replaceAll('/', '~1')

/**
 * A whole OpenAPI document (e.g. the running app's `app.swagger()`) as a validator: the errors of
 * a value against the schema at a JSON pointer of it, `[]` when valid.
 */
export function contractValidator(spec: object) {
  // strict off: the document carries OpenAPI's keywords (`example`, `content`) beside JSON Schema's.
  const own = new Ajv2020({ strict: false, allErrors: true })
  // ajv-formats is CommonJS: its plugin is the module's `default` export once imported from ESM.
  formats.default(own)
  // OpenAPI's format of an uploaded file's bytes: any string.
  own.addFormat('binary', true)
  own.addSchema(spec, 'contract')
  const compiledAt = new Map<string, ValidateFunction>()
  return (pointer: string, value: unknown) => {
    let validate = compiledAt.get(pointer)
    if (!validate) {
      validate = own.compile({ $ref: `contract#${pointer}` })
      compiledAt.set(pointer, validate)
    }
    return validate(value) ? [] : [...(validate.errors ?? [])]
  }
}
