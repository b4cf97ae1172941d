import { bigserial, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Failed sign-ins, for the throttle (docs/security.md). No company: it is read and written only
 * through asSystem(db, 'sign-in', …). `key` is a hash of the client address, or of the address and
 * the e-mail, never the address or e-mail itself. Rows older than the window are pruned as new
 * failures arrive.
 */
export const signInFailures = pgTable(
  'sign_in_failures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    key: text('key').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sign_in_failures_key_at').on(t.key, t.at), index('sign_in_failures_at').on(t.at)],
);
