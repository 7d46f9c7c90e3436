// The service's pg client: prepared statements, and a statement context sent in the same round
// trip as each statement it governs.
import { AsyncLocalStorage } from 'node:async_hooks'
import { createHash } from 'node:crypto'
import pg from 'pg'

/** The most statements one connection keeps prepared; queries beyond them are parsed each time. */
const PREPARED_PER_CONNECTION = 500
/**
 * The most parameters of a statement worth preparing: a request's queries have a few; a batch's
 * (an import's 500-row insert, its IN lists) vary in length and would each keep a large plan.
 */
const PREPARED_MAX_PARAMETERS = 64

/**
 * Statement names by text, shared by the connections (bounded: texts are the app's own queries).
 * A text that selects `*` stays unnamed: a column added by a migration while the service runs
 * would change its result, and PostgreSQL refuses to run a prepared statement whose result changed.
 */
const names = new Map<string, string | null>()
function nameOf(text: string): string | null {
  let name = names.get(text)
  if (name === undefined) {
    name = text.replaceAll('count(*)', '').includes('*')
      ? null
      : `kc_${createHash('sha1').update(text).digest('base64url')}`
    if (names.size < 5_000) names.set(text, name)
  }
  return name
}

/**
 * A statement that sets up what the statements after it may see (a read's tenancy, see withTenant):
 * its effects must be local to the transaction (set_config(…, true)). Its rows are dropped.
 */
export interface StatementContext {
  text: string
  values: string[]
}

/**
 * While a context is stored here, every statement the client sends goes with it: the context's
 * Bind/Execute, then the statement's Bind/Execute (and its Parse and Describe, the first time on a
 * connection for a prepared one), then one Sync — one round trip.
 * Outside BEGIN … COMMIT that is one implicit transaction, which ends at the Sync, so the context
 * ends with its statement and never reaches the next user of the connection, without the two extra
 * round trips of BEGIN and COMMIT; inside them, it lasts until COMMIT, as the same settings would.
 */
export const statementContext = new AsyncLocalStorage<StatementContext>()

// The parts of pg's Query (lib/query.js) and Result (lib/result.js) this file builds on; @types/pg
// declares none of them.
interface ProtocolConnection {
  parse(config: { text: string; name?: string }): void
  bind(config: { statement?: string; values: string[] }): void
  execute(config: { portal?: string }): void
  describe(config: { type: 'P'; name: string }): void
}
/** What a RowDescription sets up in pg's Result: the columns and a parser for each. */
interface RowShape {
  fields: unknown[]
  _parsers: unknown[]
  _prebuiltEmptyResultObject: object
}
interface QueryInternals {
  name?: string
  queryMode?: 'extended'
  _result: RowShape
  _accumulateRows: boolean
  prepare(connection: ProtocolConnection): void
  handleRowDescription(message: unknown): void
  handleDataRow(message: unknown): void
  handleCommandComplete(message: unknown, connection: ProtocolConnection): void
}
type QueryCallback = (error: Error | undefined, result: unknown) => void
const Query = pg.Query as unknown as new (
  text: string,
  values: unknown[] | undefined,
  callback: QueryCallback,
) => QueryInternals

/** Each connection as the pipeline of a statement already described sees it: Describe sends nothing. */
const undescribed = new WeakMap<ProtocolConnection, ProtocolConnection>()
function withoutDescribe(connection: ProtocolConnection): ProtocolConnection {
  let quiet = undescribed.get(connection)
  if (!quiet) {
    quiet = Object.create(connection, { describe: { value() {} } }) as ProtocolConnection
    undescribed.set(connection, quiet)
  }
  return quiet
}

/**
 * A statement preceded, in the same pipeline, by its context. A named context (`contextName`) is
 * prepared on the connection by a query queued just before: this pipeline then parses only the
 * statement itself, and pg's own bookkeeping of which statements a connection has parsed (it
 * credits every ParseComplete to the query's name) stays true. An unnamed context goes with an
 * unnamed statement, for the same reason.
 *
 * A named statement that returns rows is described once per connection (`shapes`): its
 * RowDescription cannot change (PostgreSQL refuses to run a prepared statement whose result
 * changed), so later runs skip the Describe and give pg's Result the columns and parsers the first
 * one set up — building them again for every read was a twentieth of a read by id.
 */
class ContextQuery extends Query {
  /** The context's rows and CommandComplete come first; they are not part of the result. */
  #contextAnswered = false

  private readonly context: StatementContext
  private readonly contextName: string | undefined
  private readonly shapes: Map<string, RowShape>

  constructor(
    context: StatementContext,
    contextName: string | undefined,
    shapes: Map<string, RowShape>,
    query: { text: string; values: unknown[] | undefined; name: string | undefined },
    callback: QueryCallback,
  ) {
    // The text as a string: pg clones a config object, property by property.
    super(query.text, query.values, callback)
    this.context = context
    this.contextName = contextName
    this.shapes = shapes
    this.name = query.name
    // Extended protocol even without parameters: the simple protocol carries one statement.
    this.queryMode = 'extended'
  }

  override prepare(connection: ProtocolConnection) {
    if (!this.contextName) connection.parse({ text: this.context.text })
    // No Describe: its rows, unread, come without a RowDescription.
    connection.bind({
      ...(this.contextName ? { statement: this.contextName } : {}),
      values: this.context.values,
    })
    connection.execute({})
    const shape = this.name ? this.shapes.get(this.name) : undefined
    if (!shape) return super.prepare(connection)
    Object.assign(this._result, shape)
    this._accumulateRows = true
    super.prepare(withoutDescribe(connection))
  }

  override handleRowDescription(message: unknown) {
    super.handleRowDescription(message)
    if (!this.#contextAnswered || !this.name) return
    const { fields, _parsers, _prebuiltEmptyResultObject } = this._result
    this.shapes.set(this.name, { fields, _parsers, _prebuiltEmptyResultObject })
  }

  override handleDataRow(message: unknown) {
    if (this.#contextAnswered) super.handleDataRow(message)
  }

  override handleCommandComplete(message: unknown, connection: ProtocolConnection) {
    if (!this.#contextAnswered) {
      this.#contextAnswered = true
      return
    }
    super.handleCommandComplete(message, connection)
  }
}

/** Statements that end a transaction or work on its savepoints. */
const TRANSACTION_END = /^\s*(commit|end|rollback|abort|release|savepoint)\b/i

/**
 * The service's client. It prepares each parameterised query Kysely sends, named after its text, so
 * PostgreSQL parses and plans it once per connection instead of on every request (what pg does for a
 * query given a `name`): only parameterised ones, with not too many parameters — a text with inlined
 * literals varies, and the parameterless ones include multi-statement texts, which the extended
 * protocol refuses. Plans stay correct under row-level security: PostgreSQL re-plans a prepared
 * statement for another role. And it sends the statement context, when there is one, ahead of each
 * statement (see statementContext). `prepared: false` (DB_PREPARED_STATEMENTS=false, e.g. behind a
 * pooler in transaction mode) names nothing.
 */
export function serviceClient(prepared: boolean): typeof pg.Client {
  return class ServiceClient extends pg.Client {
    readonly #named = new Set<string>()
    /** The result of each named statement this connection has described (see ContextQuery). */
    readonly #shapes = new Map<string, RowShape>()

    #nameFor(text: string, values: unknown): string | undefined {
      if (
        !prepared ||
        !Array.isArray(values) ||
        values.length === 0 ||
        values.length > PREPARED_MAX_PARAMETERS
      )
        return undefined
      const name = nameOf(text)
      if (!name || !(this.#named.has(name) || this.#named.size < PREPARED_PER_CONNECTION)) return undefined
      this.#named.add(name)
      return name
    }

    #withContext(context: StatementContext, text: string, values: unknown): Promise<unknown> {
      const contextName = prepared ? (nameOf(context.text) ?? undefined) : undefined
      // Prepared once per connection by pg's own named query (run, harmlessly: its settings are the
      // same and local too), queued in the same tick as the statement, so nothing the work leaves
      // unawaited can come between them. If it fails, the statement's Bind of it fails as well.
      if (contextName && !this.#named.has(contextName)) {
        this.#named.add(contextName)
        super.query({ name: contextName, text: context.text, values: context.values }).catch(() => {})
      }
      const name = contextName ? this.#nameFor(text, values) : undefined
      return new Promise((resolve, reject) => {
        const query = new ContextQuery(
          context,
          contextName,
          this.#shapes,
          { text, values: Array.isArray(values) ? values : undefined, name },
          (error, result) => (error ? reject(error) : resolve(result)),
        )
        super.query(query as unknown as pg.Submittable)
      })
    }

    // biome-ignore lint/suspicious/noExplicitAny: pg's query() has many overloads; this one forwards all
    override query(config: any, values?: any, callback?: any): any {
      const context = statementContext.getStore()
      if (context) {
        const text: unknown = typeof config === 'string' ? config : config?.text
        // Fail closed: a statement this client cannot put its context in front of (a cursor, a
        // stream) must not run without it.
        if (typeof text !== 'string' || typeof config?.submit === 'function') {
          throw new Error('a statement inside a tenant context must be a query text')
        }
        const params: unknown =
          typeof config === 'string' ? (Array.isArray(values) ? values : undefined) : config.values
        const done = typeof values === 'function' ? values : callback
        // The end of a transaction or a savepoint goes alone: after an error in the transaction,
        // the context in front of it would fail and keep it from running.
        const answer = TRANSACTION_END.test(text)
          ? super.query(text, params as unknown[] | undefined)
          : this.#withContext(context, text, params)
        if (typeof done !== 'function') return answer
        answer.then(
          (result: unknown) => done(undefined, result),
          (error: Error) => done(error),
        )
        return undefined
      }
      if (typeof config !== 'string') return super.query(config, values, callback)
      const name = this.#nameFor(config, values)
      return name
        ? super.query({ name, text: config, values }, callback)
        : super.query(config, values, callback)
    }
  }
}
