import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './companies';

/**
 * One "Glemt adgangskode?" request (docs/people.md, "Forgotten password"). Every request makes a
 * row, for a known e-mail or not, so both answers cost the same statements: `email_key` (a hash of
 * the normalised e-mail, never the e-mail itself) counts the requests for the hourly limit;
 * `user_id` and `token_hash` are set only when a link is made. The mail is sent after the answer,
 * from this row (its outbox): `mail_status` queued → sent / not_sent / failed. Links last an hour
 * and work once. No company and no grant to kladde_app: only the system door touches it.
 */
export const passwordResets = pgTable(
  'password_resets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    emailKey: text('email_key').notNull(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    mailStatus: text('mail_status', { enum: ['none', 'queued', 'sent', 'not_sent', 'failed'] })
      .notNull()
      .default('none'),
    mailError: text('mail_error'),
    mailProviderId: text('mail_provider_id'),
  },
  (t) => [
    uniqueIndex('password_resets_token_hash_key').on(t.tokenHash),
    index('password_resets_email_key_idx').on(t.emailKey, t.createdAt),
    index('password_resets_queued_idx')
      .on(t.createdAt)
      .where(sql`mail_status = 'queued'`),
  ],
);
