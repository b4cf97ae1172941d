import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { addressColumns } from './address';

export const companies = pgTable(
  'companies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    cvr: text('cvr').notNull(),
    // Per-company customer number counter; bumped with UPDATE … RETURNING so concurrent
    // writers are serialised by the row lock instead of reading max()+1.
    lastCustomerNumber: integer('last_customer_number').notNull().default(0),
    // Firmaoplysninger (docs/people.md): the admin keeps them; the access mail uses them.
    ...addressColumns(),
    phone: text('phone'),
    email: text('email'),
    // Set by support's Deaktiver virksomhed: its people are signed out and refused, nothing is
    // polled or sent for it, its data stays.
    deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('companies_cvr_key').on(t.cvr),
    // Support's list (lib/scalepoint/support/company-list.ts): sorted by name, searched by name or CVR.
    index('companies_name_idx').on(t.name, t.id),
    index('companies_search_trgm_idx').using('gin', sql`(name || ' ' || cvr) gin_trgm_ops`),
  ],
);

export const userRoles = ['admin', 'member', 'support'] as const;
export type UserRole = (typeof userRoles)[number];

/** invited: has a live or spent invitation and no password yet; deactivated: cannot sign in (docs/people.md). */
export const userStatuses = ['invited', 'active', 'deactivated'] as const;
export type UserStatus = (typeof userStatuses)[number];

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // Stored trimmed and lower-cased (lib/people/email.ts); unique in all of Kladde.
    email: text('email').notNull(),
    name: text('name').notNull(),
    // Null until the invitation is accepted.
    passwordHash: text('password_hash'),
    role: text('role', { enum: userRoles }).notNull(),
    status: text('status', { enum: userStatuses }).notNull().default('active'),
    companyId: uuid('company_id').references(() => companies.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // E-mails are unique in all of Kladde, whatever their case.
    uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`),
    index('users_company_idx').on(t.companyId, t.name),
    // Support belongs to no company; everybody else to exactly one.
    check('users_role_company_check', sql`(${t.role} = 'support') = (${t.companyId} is null)`),
    // Nobody is active without a password.
    check(
      'users_active_password_check',
      sql`${t.status} <> 'active' or ${t.passwordHash} is not null`,
    ),
  ],
);

/**
 * One invitation link (docs/people.md): the token itself is never stored, only its SHA-256.
 * Valid 7 days and once; a new one voids the old (at most one live invitation per user).
 * `company_id` is null for a support user's invitation. The mail's outcome is kept on the row.
 */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    companyId: uuid('company_id').references(() => companies.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    voidedAt: timestamp('voided_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    mailStatus: text('mail_status', { enum: ['sending', 'sent', 'not_sent', 'failed'] })
      .notNull()
      .default('sending'),
    mailError: text('mail_error'),
    mailProviderId: text('mail_provider_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('invitations_token_hash_key').on(t.tokenHash),
    uniqueIndex('invitations_live_user_key')
      .on(t.userId)
      .where(sql`used_at is null and voided_at is null`),
    index('invitations_company_idx').on(t.companyId, t.createdAt),
  ],
);

export const orderTypes = pgTable(
  'order_types',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    // A deactivated type is offered for no new draft or edit; orders that have it keep it.
    active: boolean('active').notNull().default(true),
    // Set by Omdøb until every order's copied name (orders.order_type_name) has the new name
    // (lib/order-types/name-sync.ts); a sweep finishes what a crashed rename left.
    nameSyncPending: boolean('name_sync_pending').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Names are unique per company, ignoring case.
    uniqueIndex('order_types_company_name_lower_key').on(t.companyId, sql`lower(${t.name})`),
    index('order_types_name_sync_idx')
      .on(t.id)
      .where(sql`name_sync_pending`),
  ],
);
