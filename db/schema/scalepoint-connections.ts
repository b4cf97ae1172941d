import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { companies, users } from './companies';

export const scalepointEnvironments = ['sandbox', 'production'] as const;

/**
 * A company's connection to Scalepoint's Events API, one per insurer tenant and environment
 * (docs/events-api.md). The private keys are AES-256-GCM envelopes (lib/crypto.ts) and never
 * leave lib. The receiver's cursor and health live here too, so a change of the connection and
 * the receiver's bookkeeping are one row; which instance polls it is a lease of the background
 * room (db/schema/background.ts).
 */
export const scalepointConnections = pgTable(
  'scalepoint_connections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    clientId: text('client_id').notNull(),
    tenant: text('tenant').notNull(),
    environment: text('environment', { enum: scalepointEnvironments }).notNull(),
    certificatePem: text('certificate_pem').notNull(),
    privateKeyEnc: text('private_key_enc').notNull(),
    previousCertificatePem: text('previous_certificate_pem'),
    previousPrivateKeyEnc: text('previous_private_key_enc'),
    previousValidUntil: timestamp('previous_valid_until', { withTimezone: true }),
    // The poller's state: the id of the last event handled, and its health.
    cursor: text('cursor'),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
    lastErrorCode: text('last_error_code'),
    lastErrorAt: timestamp('last_error_at', { withTimezone: true }),
    failingSince: timestamp('failing_since', { withTimezone: true }),
    alertedAt: timestamp('alerted_at', { withTimezone: true }),
    // Bumped on every change by support, so a running poller notices and reloads.
    version: integer('version').notNull().default(1),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('scalepoint_connections_company_tenant_env_key').on(
      t.companyId,
      t.tenant,
      t.environment,
    ),
    // A client id with its tenant and environment is one queue at Scalepoint, so it belongs to
    // one connection in all of Kladde (docs/events-api.md, "One client id, one connection");
    // the client id compared case-insensitively (migration 0021 says why). The action answers
    // its clash by this name (lib/scalepoint/support/connections.ts).
    uniqueIndex('scalepoint_connections_client_key').on(
      sql`lower(${t.clientId})`,
      t.tenant,
      t.environment,
    ),
    index('scalepoint_connections_changed_idx').on(t.changedAt),
  ],
);
