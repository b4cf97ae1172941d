import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { companies, orderTypes, users } from './companies';
import { customers } from './customers';
import { orders } from './orders';

/** How a delivery's customer is found: Forsikringstager or Forsikringsselskab (the settings' Kunde). */
export const customerResolutionModes = ['policyholder', 'insurer'] as const;
export type CustomerMode = (typeof customerResolutionModes)[number];

export const scalepointSettings = pgTable(
  'scalepoint_settings',
  {
    companyId: uuid('company_id')
      .primaryKey()
      .references(() => companies.id, { onDelete: 'cascade' }),
    enabled: boolean('enabled').notNull().default(false),
    orderTypeId: uuid('order_type_id').references(() => orderTypes.id),
    customerMode: text('customer_mode', { enum: customerResolutionModes })
      .notNull()
      .default('policyholder'),
    phoneAsCustomerNumber: boolean('phone_as_customer_number').notNull().default(false),
    // Frister (docs/deadlines.md): Kontakt kunden inden for and Besigtigelse inden for, in hours.
    contactHours: smallint('contact_hours').notNull().default(24),
    inspectionHours: smallint('inspection_hours').notNull().default(72),
    // Each Gem frister bumps the generation; a re-date that finishes records the generation it
    // applied, so one cut short (a crash) is finished by the deadlines sweep.
    deadlinesGeneration: integer('deadlines_generation').notNull().default(0),
    deadlinesApplied: integer('deadlines_applied').notNull().default(0),
    // The Danish day of the last morning mail Forsinkede sager: one UPDATE claims a day's mail.
    lateMailOn: date('late_mail_on', { mode: 'string' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    // The limits of the Frister form (lib/scalepoint/settings/schema.ts).
    check('scalepoint_settings_contact_hours_check', sql`${t.contactHours} between 1 and 168`),
    check(
      'scalepoint_settings_inspection_hours_check',
      sql`${t.inspectionHours} between 1 and 720`,
    ),
  ],
);

export const scalepointCredentials = pgTable(
  'scalepoint_credentials',
  {
    companyId: uuid('company_id')
      .primaryKey()
      .references(() => companies.id, { onDelete: 'cascade' }),
    accountId: text('account_id').notNull(),
    // AES-256-GCM envelope "v1:keyId:iv:ciphertext:tag" (base64 parts, lib/crypto.ts); never leaves lib.
    secretEnc: text('secret_enc').notNull(),
    secretLast4: text('secret_last4').notNull(),
    previousSecretEnc: text('previous_secret_enc'),
    previousValidUntil: timestamp('previous_valid_until', { withTimezone: true }),
    storedAt: timestamp('stored_at', { withTimezone: true }).notNull().defaultNow(),
    storedBy: uuid('stored_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [uniqueIndex('scalepoint_credentials_account_key').on(t.accountId)],
);

export const mailStatuses = ['sending', 'sent', 'not_sent', 'failed'] as const;
export type MailStatus = (typeof mailStatuses)[number];
/** access_request: the admin's mail asking Scalepoint for access; connection_alert: an Events API connection keeps failing; late_cases: the morning mail Forsinkede sager. */
export const mailKinds = ['access_request', 'connection_alert', 'late_cases'] as const;

export const scalepointMails = pgTable(
  'scalepoint_mails',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: mailKinds }).notNull().default('access_request'),
    toAddress: text('to_address').notNull(),
    ccAddress: text('cc_address'),
    replyTo: text('reply_to'),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    status: text('status', { enum: mailStatuses }).notNull(),
    providerId: text('provider_id'),
    error: text('error'),
    idempotencyKey: text('idempotency_key').notNull(),
    sentBy: uuid('sent_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('scalepoint_mails_company_idx').on(t.companyId, t.createdAt)],
);

// rejected: reason validation_failed (Ugyldig) or module_disabled (Modul slået fra); ignored: an
// event that is not a claim for us (Events API). The words: lib/scalepoint/intake/words.ts.
// updated: an Events API claim_updated that marked or unmarked a case's draft or order.
export const deliveryStatuses = [
  'created',
  'duplicate',
  'updated',
  'rejected',
  'failed',
  'ignored',
] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** How a delivery reached Kladde: pushed to the intake endpoint, or fetched from the Events API. */
export const deliveryChannels = ['direct', 'events'] as const;
export type DeliveryChannel = (typeof deliveryChannels)[number];

export const scalepointDeliveries = pgTable(
  'scalepoint_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    channel: text('channel', { enum: deliveryChannels }).notNull().default('direct'),
    // The message's id within its channel: the webhook-id header (direct) or the event's id (events).
    messageId: text('message_id').notNull(),
    // Who sent it: the Scalepoint account (direct) or the Events API connection (events), never both.
    // No foreign key: a removed connection's deliveries stay in the log.
    accountId: text('account_id'),
    connectionId: uuid('connection_id'),
    caseNumber: text('case_number'),
    status: text('status', { enum: deliveryStatuses }).notNull(),
    // Machine reason (module_disabled, validation_failed, duplicate_case, …); the page words it in Danish.
    reason: text('reason'),
    issues: jsonb('issues').$type<{ path: string; message: string }[]>(),
    warnings: jsonb('warnings').$type<string[]>(),
    rawBody: text('raw_body').notNull(),
    headers: jsonb('headers').$type<Record<string, string>>().notNull(),
    orderId: uuid('order_id').references(() => orders.id, { onDelete: 'set null' }),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    attempts: integer('attempts').notNull().default(1),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The idempotency key (docs/intake.md): the account and webhook-id, or the connection and
    // event id — two connections may use the same event ids. The unused sender column is null
    // in every row of a channel, so nulls count as equal.
    unique('scalepoint_deliveries_sender_message_key')
      .on(t.companyId, t.channel, t.accountId, t.connectionId, t.messageId)
      .nullsNotDistinct(),
    check(
      'scalepoint_deliveries_sender_check',
      sql`(channel = 'direct' and account_id is not null and connection_id is null) or (channel = 'events' and connection_id is not null and account_id is null)`,
    ),
    index('scalepoint_deliveries_company_received_idx').on(t.companyId, t.receivedAt),
    index('scalepoint_deliveries_company_status_idx').on(t.companyId, t.status, t.receivedAt),
    // An order's page shows the delivery it came from (docs/drafts.md).
    index('scalepoint_deliveries_company_order_idx')
      .on(t.companyId, t.orderId)
      .where(sql`order_id is not null`),
  ],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    companyId: uuid('company_id').references(() => companies.id, { onDelete: 'cascade' }),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    actorRole: text('actor_role').notNull(),
    action: text('action').notNull(),
    details: jsonb('details')
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    // details.orderId as a column, so an order's history is an index look-up under row-level
    // security (a jsonb operator is not leakproof, a uuid comparison is). docs/drafts.md.
    orderId: uuid('order_id').generatedAlwaysAs(
      sql`case when (details->>'orderId') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then (details->>'orderId')::uuid end`,
    ),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('audit_log_company_idx').on(t.companyId, t.createdAt),
    index('audit_log_company_order_idx')
      .on(t.companyId, t.orderId, t.createdAt)
      .where(sql`order_id is not null`),
  ],
);
