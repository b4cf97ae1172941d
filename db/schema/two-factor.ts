import { bigint, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './companies';

/**
 * A user's TOTP key (docs/security.md, "Two-step verification"). `secret` is the base32 key
 * encrypted under CREDENTIALS_KEY (lib/crypto.ts); `enabled_at` is null while the key is being set
 * up (shown, not yet confirmed with a code). `last_step` is the last 30-second step whose code
 * was accepted: a code is accepted once, never again in its own window. No company and no grant
 * to kladde_app: only the system door ('two-factor') touches it.
 */
export const twoFactorKeys = pgTable('two_factor_keys', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  secret: text('secret').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  enabledAt: timestamp('enabled_at', { withTimezone: true }),
  lastStep: bigint('last_step', { mode: 'number' }),
});

/**
 * The 10 recovery codes of a user with two-step verification on, as keyed hashes
 * (lib/crypto.ts, `macSecret`): shown once, each accepted once.
 */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    index('recovery_codes_user_idx').on(t.userId),
    uniqueIndex('recovery_codes_hash_key').on(t.codeHash),
  ],
);
