import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { companies, users } from './companies';
import { orders } from './orders';

/**
 * The kinds of a recorded step (docs/drafts.md, "After Godkend: the job"). The words and the
 * milestone subset: lib/orders/step-words.ts (no server imports, so kept apart from this file).
 */
export const orderStepKinds = [
  'approved',
  'rejected',
  'restored',
  'customer_contacted',
  'inspection_scheduled',
  'work_started',
  'work_completed',
  'reopened',
] as const;
export type OrderStepKind = (typeof orderStepKinds)[number];

/**
 * One row per step of a case: Godkend, Afvis, Gendan, each milestone, Genåbn — written in the
 * step's own transaction beside its audit row (lib/orders/job-actions.ts, draft-actions.ts). The
 * next issue's outbox to Scalepoint references a step by its id. Never updated or deleted by the app.
 */
export const orderSteps = pgTable(
  'order_steps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: orderStepKinds }).notNull(),
    // The step's Tidspunkt: a milestone's as typed (read as Danish time); for Godkend, Afvis,
    // Gendan and Genåbn the moment it was done.
    at: timestamp('at', { withTimezone: true }).notNull(),
    // Bemærkning (a milestone's, optional).
    note: text('note'),
    // Afvis's Begrundelse.
    reason: text('reason'),
    recordedBy: uuid('recorded_by').references(() => users.id, { onDelete: 'set null' }),
    // Set by the actions to clock_timestamp() after the order's row lock: the steps of one order
    // are ordered by it as they happened.
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The order page's Forløb, oldest first.
    index('order_steps_order_idx').on(t.companyId, t.orderId, t.recordedAt),
    check(
      'order_steps_kind_check',
      sql`${t.kind} in ('approved', 'rejected', 'restored', 'customer_contacted', 'inspection_scheduled', 'work_started', 'work_completed', 'reopened')`,
    ),
    check('order_steps_note_check', sql`char_length(${t.note}) <= 1000`),
  ],
);
