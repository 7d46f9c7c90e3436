// The committed contract as a validator, for tests that hold the service to it: any schema of
// the contract by its JSON pointer (`/paths/~1v1~1projects/get/responses/200/…`), with the same
// formats as the server.
import Ajv2020Module from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'

// CommonJS modules whose default export is the `default` property under NodeNext.
const Ajv2020 = Ajv2020Module.default
const addFormats = addFormatsModule.default

export interface SchemaError {
  instancePath: string
  keyword: string
  message?: string | undefined
}

/** RFC 6901: a path or media type as one segment of a JSON pointer. */
export const segment = (text: string) => text.replaceAll('~', '~0').replaceAll('/', '~1')

export function contractValidator(spec: object) {
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats(ajv)
  ajv.addSchema(spec, 'contract')
  const compiled = new Map<string, ReturnType<typeof ajv.compile>>()
  /** The errors of `value` against the schema at `pointer` (none: valid). */
  return (pointer: string, value: unknown): SchemaError[] => {
    let validate = compiled.get(pointer)
    if (!validate) {
      validate = ajv.compile({ $ref: `contract#${pointer}` })
      compiled.set(pointer, validate)
    }
    return validate(value) ? [] : [...(validate.errors ?? [])]
  }
}
