// Tenancy settings for writes made straight to the database (not through a request), to show that
// the row-level policies refuse what the application refuses: withTenant(db, directScope(…), …).
import type { Scope } from '../../src/db/tenancy.ts'

export const directScope = (role: Scope['role'], province: string | null): Scope => ({
  sub: 'direct',
  role,
  province,
  requestId: 'direct',
})
