import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { companies, orderTypes } from './companies';
import { customers } from './customers';

export const orderStatuses = ['draft', 'open', 'closed'] as const;
export const orderSources = ['manual', 'scalepoint'] as const;

export const orders = pgTable('orders', {
  id: uuid('id').primaryKey().defaultRandom(),
  companyId: uuid('company_id').notNull().references(() => companies.id, { onDelete: 'cascade' }),
  status: text('status', { enum: orderStatuses }).notNull().default('draft'),
  orderTypeId: uuid('order_type_id').notNull().references(() => orderTypes.id),
  heading: text('heading').notNull(),
  requisitionNumber: text('requisition_number'),
  workDescription: text('work_description'),
  customerId: uuid('customer_id').notNull().references(() => customers.id),
  // Copied from the customer when the order is made, so the list sorts and searches by
  // customer name without a join over 100,000 rows.
  customerName: text('customer_name').notNull(),
  // Likewise the order type's name, so sorting by Ordretype is an index scan.
  orderTypeName: text('order_type_name').notNull(),
  installationStreet: text('installation_street'),
  installationHouseNumber: text('installation_house_number'),
  installationFloor: text('installation_floor'),
  installationPostalCode: text('installation_postal_code'),
  installationCity: text('installation_city'),
  source: text('source', { enum: orderSources }).notNull().default('manual'),
  scalepointCaseNumber: text('scalepoint_case_number'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  // A Scalepoint case becomes at most one order per company.
  uniqueIndex('orders_company_case_key').on(t.companyId, t.scalepointCaseNumber).where(sql`scalepoint_case_number is not null`),
  index('orders_company_status_created_idx').on(t.companyId, t.status, t.createdAt, t.id),
  index('orders_company_status_heading_idx').on(t.companyId, t.status, t.heading, t.id),
  index('orders_company_status_requisition_idx').on(t.companyId, t.status, t.requisitionNumber, t.id),
  index('orders_company_status_customer_name_idx').on(t.companyId, t.status, t.customerName, t.id),
  index('orders_company_status_type_idx').on(t.companyId, t.status, t.orderTypeName, t.id),
  index('orders_customer_idx').on(t.companyId, t.customerId, t.createdAt),
  // company_id first (btree_gin), so a search never walks another company's index entries.
  index('orders_search_trgm_idx').using('gin', t.companyId, sql`(heading || ' ' || coalesce(requisition_number,'') || ' ' || customer_name) gin_trgm_ops`),
]);

export const orderNotes = pgTable('order_notes', {
  id: uuid('id').primaryKey().defaultRandom(),
  companyId: uuid('company_id').notNull().references(() => companies.id, { onDelete: 'cascade' }),
  orderId: uuid('order_id').notNull().references(() => orders.id, { onDelete: 'cascade' }),
  position: integer('position').notNull(),
  name: text('name'),
  role: text('role'),
  street: text('street'),
  houseNumber: text('house_number'),
  floor: text('floor'),
  postalCode: text('postal_code'),
  city: text('city'),
  phone: text('phone'),
  mobile: text('mobile'),
  email: text('email'),
  text: text('text'),
}, (t) => [index('order_notes_order_idx').on(t.companyId, t.orderId, t.position)]);
