import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const companies = pgTable('companies', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  cvr: text('cvr').notNull(),
  // Per-company customer number counter; bumped with UPDATE … RETURNING so concurrent
  // writers are serialised by the row lock instead of reading max()+1.
  lastCustomerNumber: integer('last_customer_number').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('companies_cvr_key').on(t.cvr),
  // Support's list (lib/scalepoint/support-list.ts): sorted by name, searched by name or CVR.
  index('companies_name_idx').on(t.name, t.id),
  index('companies_search_trgm_idx').using('gin', sql`(name || ' ' || cvr) gin_trgm_ops`),
]);

export const userRoles = ['admin', 'member', 'support'] as const;
export type UserRole = (typeof userRoles)[number];

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: userRoles }).notNull(),
  companyId: uuid('company_id').references(() => companies.id, { onDelete: 'cascade' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('users_email_key').on(t.email),
  index('users_company_idx').on(t.companyId),
  // Support belongs to no company; everybody else to exactly one.
  check('users_role_company_check', sql`(${t.role} = 'support') = (${t.companyId} is null)`),
]);

export const orderTypes = pgTable('order_types', {
  id: uuid('id').primaryKey().defaultRandom(),
  companyId: uuid('company_id').notNull().references(() => companies.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
}, (t) => [uniqueIndex('order_types_company_name_key').on(t.companyId, t.name)]);
