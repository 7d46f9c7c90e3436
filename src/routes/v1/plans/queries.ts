// Temporary: projects (converted separately) still imports from here; remove with that change.
export { findById } from './repository.js'
