import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './companies';

export const sessionEndReasons = [
  'signed_out',
  'password_changed',
  'password_reset',
  'role_changed',
  'deactivated',
  'two_factor_reset',
] as const;
export type SessionEndReason = (typeof sessionEndReasons)[number];

/**
 * One row per signed-in session (docs/security.md, "Sessions"). The JWT carries only the row's
 * id and its user; every request reads the row, so ending it ends the session everywhere at
 * once, whatever cookie copies exist. No company: read and written only through
 * asSystem(db, 'actor' | 'sign-in' | 'people', …).
 */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    // Written at most once a minute (the idle limit is an hour).
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endedReason: text('ended_reason', { enum: sessionEndReasons }),
    // What the sign-in still owes (docs/security.md, "Two-step verification"): 'code' — the
    // password was right, the code from the app is awaited; 'setup' — a support user must set up
    // two-step verification first. Either opens no page. Null: signed in.
    secondStep: text('second_step', { enum: ['code', 'setup'] }),
  },
  (t) => [
    index('sessions_user_open_idx')
      .on(t.userId)
      .where(sql`${t.endedAt} is null`),
  ],
);
