// PGlite runs in this thread, and its queries resolve without ever leaving the microtask queue:
// a long run of them (an import) would starve every other request, /healthz included. Used on
// such work, this plugin lets the event loop turn once after every query.
import { setImmediate } from 'node:timers/promises'
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely'

export class YieldToEventLoop implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    await setImmediate()
    return args.result
  }
}
