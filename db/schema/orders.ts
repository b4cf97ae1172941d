import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { addressColumns, prefixedAddressColumns } from './address';
import { companies, orderTypes, users } from './companies';
import { customers } from './customers';
import { scalepointConnections } from './scalepoint-connections';

// draft → new (approved, numbered) → in_progress (Arbejde startet) → closed (Arbejde færdigt);
// closed → in_progress (Genåbn); draft ⇄ rejected. Words: lib/orders/status.ts; the job's steps:
// db/schema/order-steps.ts and docs/drafts.md, "After Godkend: the job".
export const orderStatuses = ['draft', 'new', 'in_progress', 'rejected', 'closed'] as const;
export type OrderStatus = (typeof orderStatuses)[number];
/** The statuses of a numbered order, as the partial indexes' predicate writes them. */
const approved = sql`status in ('new', 'in_progress', 'closed')`;
export const orderSources = ['manual', 'scalepoint'] as const;

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    status: text('status', { enum: orderStatuses }).notNull().default('draft'),
    // The status in the job's order (Ny 1, I gang 2, Afsluttet 3; a draft or a rejected one 0), so
    // Ordrer sorted by Status is an index scan of orders_approved_rank_idx (migration 0018).
    statusRank: smallint('status_rank')
      .notNull()
      .generatedAlwaysAs(
        sql`case status when 'new' then 1 when 'in_progress' then 2 when 'closed' then 3 else 0 end`,
      ),
    // The company's order number, given at approval (lib/orders/numbering.ts); null for drafts.
    orderNumber: integer('order_number'),
    orderTypeId: uuid('order_type_id')
      .notNull()
      .references(() => orderTypes.id),
    heading: text('heading').notNull(),
    requisitionNumber: text('requisition_number'),
    workDescription: text('work_description'),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    // Copied from the customer when the order is made, so the list sorts and searches by
    // customer name without a join over 100,000 rows.
    customerName: text('customer_name').notNull(),
    // Likewise the order type's name, so sorting by Ordretype is an index scan.
    orderTypeName: text('order_type_name').notNull(),
    // The Installationsadresse (installation_street, …).
    ...prefixedAddressColumns('installation'),
    source: text('source', { enum: orderSources }).notNull().default('manual'),
    scalepointCaseNumber: text('scalepoint_case_number'),
    // Scalepoint's identifiers of the case, kept as it arrived (docs/intake.md, "Scalepoint's
    // identifiers"): what an outbound message to Scalepoint names the case by. Each channel brings
    // its own; the rest stay null. Their lengths are the zod schemas' (event-content.ts, claim.ts).
    // From an event: case.id, case.externalId, service.id, service.referenceNumber (Serviceopgave),
    // and the connection it came through with that connection's tenant at the time.
    scalepointCaseId: text('scalepoint_case_id'),
    scalepointCaseExternalId: text('scalepoint_case_external_id'),
    scalepointServiceId: text('scalepoint_service_id'),
    scalepointServiceReference: text('scalepoint_service_reference'),
    scalepointTenant: text('scalepoint_tenant'),
    // No index: only support's rare deletion of a connection looks orders up by it.
    scalepointConnectionId: uuid('scalepoint_connection_id').references(
      () => scalepointConnections.id,
      { onDelete: 'set null' },
    ),
    // From a direct claim: caseUrl, caseType, policyNumber, insurer.alias.
    scalepointCaseUrl: text('scalepoint_case_url'),
    scalepointCaseType: text('scalepoint_case_type'),
    scalepointPolicyNumber: text('scalepoint_policy_number'),
    scalepointInsurerAlias: text('scalepoint_insurer_alias'),
    // The marks shown as badges (docs/drafts.md): set by the intake / the Events API.
    missingPolicyholder: boolean('missing_policyholder').notNull().default(false),
    scalepointClosedAt: timestamp('scalepoint_closed_at', { withTimezone: true }),
    scalepointCloseReason: text('scalepoint_close_reason'),
    // The case's clocks (docs/deadlines.md): each deadline as it stands (contact and visit from
    // Oprettet and the company's Frister, re-dated when they change; the work from service.endDate)
    // and when its clock stopped (Kunde kontaktet's Tidspunkt, the first Besigtigelse aftalt's
    // recording, Arbejde færdigt's Tidspunkt). All null for a case from before migration 0020 and
    // for an order not from Scalepoint: no clocks.
    contactDueAt: timestamp('contact_due_at', { withTimezone: true }),
    inspectionDueAt: timestamp('inspection_due_at', { withTimezone: true }),
    workDueAt: timestamp('work_due_at', { withTimezone: true }),
    contactStoppedAt: timestamp('contact_stopped_at', { withTimezone: true }),
    inspectionStoppedAt: timestamp('inspection_stopped_at', { withTimezone: true }),
    workStoppedAt: timestamp('work_stopped_at', { withTimezone: true }),
    // Frist: the earliest open deadline; null when none is open — a case Afvist, Afsluttet or Sag
    // lukket hos Scalepoint, every clock stopped, or no clocks. Generated, so every status change
    // is right without code; sorted and filtered (Forsinkede) on the deadline indexes below.
    deadlineAt: timestamp('deadline_at', { withTimezone: true }).generatedAlwaysAs(
      sql`case when status in ('draft', 'new', 'in_progress') and scalepoint_closed_at is null then least(case when contact_stopped_at is null then contact_due_at end, case when inspection_stopped_at is null then inspection_due_at end, case when work_stopped_at is null then work_due_at end) end`,
    ),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    approvedBy: uuid('approved_by').references(() => users.id, { onDelete: 'set null' }),
    rejectedAt: timestamp('rejected_at', { withTimezone: true }),
    rejectedBy: uuid('rejected_by').references(() => users.id, { onDelete: 'set null' }),
    rejectionReason: text('rejection_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // A Scalepoint case becomes at most one order per company.
    uniqueIndex('orders_company_case_key')
      .on(t.companyId, t.scalepointCaseNumber)
      .where(sql`scalepoint_case_number is not null`),
    uniqueIndex('orders_company_number_key')
      .on(t.companyId, t.orderNumber)
      .where(sql`order_number is not null`),
    // Partial indexes per list (docs/drafts.md): the drafts list, the rejected drafts, the orders list.
    // Each row sits in the indexes of its own list only, so an intake insert maintains the draft ones.
    index('orders_draft_created_idx')
      .on(t.companyId, t.createdAt, t.id)
      .where(sql`status = 'draft'`),
    index('orders_draft_heading_idx')
      .on(t.companyId, t.heading, t.id)
      .where(sql`status = 'draft'`),
    index('orders_draft_requisition_idx')
      .on(t.companyId, t.requisitionNumber, t.id)
      .where(sql`status = 'draft'`),
    index('orders_draft_customer_name_idx')
      .on(t.companyId, t.customerName, t.id)
      .where(sql`status = 'draft'`),
    index('orders_draft_type_idx')
      .on(t.companyId, t.orderTypeName, t.id)
      .where(sql`status = 'draft'`),
    index('orders_rejected_created_idx')
      .on(t.companyId, t.createdAt, t.id)
      .where(sql`status = 'rejected'`),
    index('orders_approved_number_idx').on(t.companyId, t.orderNumber, t.id).where(approved),
    index('orders_approved_created_idx').on(t.companyId, t.createdAt, t.id).where(approved),
    index('orders_approved_heading_idx').on(t.companyId, t.heading, t.id).where(approved),
    index('orders_approved_requisition_idx')
      .on(t.companyId, t.requisitionNumber, t.id)
      .where(approved),
    index('orders_approved_customer_name_idx')
      .on(t.companyId, t.customerName, t.id)
      .where(approved),
    index('orders_approved_type_idx').on(t.companyId, t.orderTypeName, t.id).where(approved),
    // The filters I gang and Afsluttede (and their counts), and the Status sort in the job's order.
    index('orders_approved_status_idx').on(t.companyId, t.status, t.id).where(approved),
    index('orders_approved_rank_idx').on(t.companyId, t.statusRank, t.id).where(approved),
    // Frist, both ways with the empty cells last, and Forsinkede (deadline_at < now, oldest first).
    index('orders_draft_deadline_idx')
      .on(t.companyId, t.deadlineAt, t.id)
      .where(sql`status = 'draft'`),
    index('orders_draft_deadline_desc_idx')
      .on(t.companyId, t.deadlineAt.desc().nullsLast(), t.id.desc())
      .where(sql`status = 'draft'`),
    index('orders_approved_deadline_idx').on(t.companyId, t.deadlineAt, t.id).where(approved),
    index('orders_approved_deadline_desc_idx')
      .on(t.companyId, t.deadlineAt.desc().nullsLast(), t.id.desc())
      .where(approved),
    index('orders_customer_idx').on(t.companyId, t.customerId, t.createdAt),
    // An order type's rename walks its orders by id (lib/order-types/name-sync.ts).
    index('orders_type_idx').on(t.companyId, t.orderTypeId, t.id),
    // company_id first (btree_gin), so a search never walks another company's index entries.
    index('orders_search_trgm_idx').using(
      'gin',
      t.companyId,
      sql`(heading || ' ' || coalesce(requisition_number,'') || ' ' || customer_name) gin_trgm_ops`,
    ),
  ],
);

export const orderNotes = pgTable(
  'order_notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    name: text('name'),
    role: text('role'),
    ...addressColumns(),
    phone: text('phone'),
    mobile: text('mobile'),
    email: text('email'),
    text: text('text'),
  },
  (t) => [index('order_notes_order_idx').on(t.companyId, t.orderId, t.position)],
);

/**
 * The next order number of each company, in its own row so approvals do not queue on the
 * company row. Bumped inside the approving transaction (lib/orders/numbering.ts): a rollback
 * rolls the bump back too, so numbers stay gap-free.
 */
export const orderNumberCounters = pgTable('order_number_counters', {
  companyId: uuid('company_id')
    .primaryKey()
    .references(() => companies.id, { onDelete: 'cascade' }),
  lastNumber: integer('last_number').notNull(),
});
