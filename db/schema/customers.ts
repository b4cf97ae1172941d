import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { addressColumns } from './address';
import { companies } from './companies';

export const customers = pgTable(
  'customers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    // Text, because a policyholder's phone number (possibly with a leading +) can be the number.
    customerNumber: text('customer_number').notNull(),
    name: text('name').notNull(),
    // Normalised name (trimmed, whitespace collapsed, Danish lower case) for insurer matching.
    nameKey: text('name_key').notNull(),
    ...addressColumns(),
    phone: text('phone'),
    mobile: text('mobile'),
    email: text('email'),
    cvr: text('cvr'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('customers_company_number_key').on(t.companyId, t.customerNumber),
    // Customer numbers are text; (length, text) orders digit-only numbers by value.
    index('customers_company_number_sort_idx').on(
      t.companyId,
      sql`length(${t.customerNumber})`,
      t.customerNumber,
    ),
    index('customers_company_name_key_idx').on(t.companyId, t.nameKey),
    index('customers_company_name_idx').on(t.companyId, t.name, t.id),
    index('customers_company_created_idx').on(t.companyId, t.createdAt),
    index('customers_company_phone_idx').on(t.companyId, t.phone, t.id),
    index('customers_company_address_idx').on(t.companyId, t.street, t.houseNumber, t.id),
    // company_id first (btree_gin), so a search never walks another company's index entries.
    index('customers_search_trgm_idx').using(
      'gin',
      t.companyId,
      sql`(name || ' ' || customer_number || ' ' || coalesce(phone,'') || ' ' || coalesce(street,'') || ' ' || coalesce(house_number,'') || ' ' || coalesce(postal_code,'') || ' ' || coalesce(city,'')) gin_trgm_ops`,
    ),
  ],
);
