import { pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The background room's leases (docs/architecture.md, "Background work"): which instance does a
 * piece of background work now. `job` names the kind of work (the Events API receiver, …), `key`
 * the piece (a connection's id, or '' for work done once for all). Only the system door reads
 * or writes it; kladde_app has no rights on it.
 */
export const backgroundLeases = pgTable(
  'background_leases',
  {
    job: text('job').notNull(),
    key: text('key').notNull(),
    // host:pid:random of the instance that holds the lease.
    owner: text('owner').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.job, t.key] })],
);
