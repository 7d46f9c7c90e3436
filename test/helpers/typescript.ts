// Test processes run TypeScript with Node's own transform (.taprc: --experimental-transform-types)
// instead of tsx, which scans every module it loads (node_modules included): 0.7 s of CPU per
// test file. The sources import each other as `./x.js` (NodeNext), which Node does
// not map to `./x.ts`: this hook does, for the relative imports of TypeScript files.
import { registerHooks } from 'node:module'

registerHooks({
  resolve(specifier, context, next) {
    const fromTypeScript = context.parentURL?.endsWith('.ts') === true
    if (fromTypeScript && /^\.\.?\/.*\.js$/.test(specifier)) {
      try {
        return next(`${specifier.slice(0, -3)}.ts`, context)
      } catch {
        // a JavaScript file after all
      }
    }
    return next(specifier, context)
  },
})
