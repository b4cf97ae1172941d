import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { companies } from './companies';
import { orderSteps } from './order-steps';
import { orders } from './orders';
import { scalepointConnections } from './scalepoint-connections';

/** pending → sent | failed (Send igen: failed → pending); not_sent is final (no connection, case closed). */
export const outboxStatuses = ['pending', 'sent', 'failed', 'not_sent'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

/**
 * What Kladde sends to Scalepoint (docs/events-api.md, "What Kladde sends"): one row per step of
 * a Scalepoint case, written in the step's own transaction (a transactional outbox,
 * lib/scalepoint/outbound/outbox.ts) with the event's body as it is then — never rebuilt. The
 * sender (lib/scalepoint/outbound/sender.ts) moves it to sent or failed.
 */
export const scalepointOutbox = pgTable(
  'scalepoint_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    stepId: uuid('step_id')
      .notNull()
      .references(() => orderSteps.id, { onDelete: 'cascade' }),
    // Chosen when the step is recorded; null once support deletes the connection (then the
    // row is failed 'connection_deleted' in the same transaction) or when there was none.
    connectionId: uuid('connection_id').references(() => scalepointConnections.id, {
      onDelete: 'set null',
    }),
    // The event's correlationId: the same on every retry of this one event.
    correlationId: uuid('correlation_id').notNull(),
    caseNumber: text('case_number').notNull(),
    // The changes vocabulary (lib/scalepoint/outbound/event.ts): ServiceAccepted, …
    property: text('property').notNull(),
    body: jsonb('body').notNull(),
    status: text('status', { enum: outboxStatuses }).notNull().default('pending'),
    // A machine code (lib/scalepoint/outbound/words.ts): why not sent, why failed, or the last
    // retryable error of a pending row.
    reason: text('reason'),
    // The HTTP status of the last answer, if any.
    lastStatus: integer('last_status'),
    attempts: integer('attempts').notNull().default(0),
    firstAttemptAt: timestamp('first_attempt_at', { withTimezone: true }),
    // Due from then; while one send is in flight, the end of its claim.
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    // The end of the 72-hour retry window: set at the window's first attempt, pushed on by the
    // time the module was off (held_since), cleared by Send igen (a new window).
    retryUntil: timestamp('retry_until', { withTimezone: true }),
    // Set while the company's module is off (lib/scalepoint/settings/save.ts).
    heldSince: timestamp('held_since', { withTimezone: true }),
    // When the last send was tried (a failure's time, for the connection's state).
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    // clock_timestamp() at the insert, after the order's lock: one case's rows in step order.
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('scalepoint_outbox_step_key').on(t.stepId),
    uniqueIndex('scalepoint_outbox_correlation_key').on(t.correlationId),
    // The sender's pick: a connection's due pending rows, oldest first.
    index('scalepoint_outbox_pick_idx').on(t.connectionId, t.status, t.nextAttemptAt, t.createdAt),
    // A case's rows in order (the per-case rule; the order page).
    index('scalepoint_outbox_case_idx').on(t.companyId, t.caseNumber, t.createdAt),
    // Afsendelser on the admin's page, newest first.
    index('scalepoint_outbox_company_created_idx').on(t.companyId, t.createdAt),
    index('scalepoint_outbox_order_idx').on(t.companyId, t.orderId, t.createdAt),
    check(
      'scalepoint_outbox_status_check',
      sql`${t.status} in ('pending', 'sent', 'failed', 'not_sent')`,
    ),
  ],
);
