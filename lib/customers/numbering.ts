import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { companies, customers } from '@/db/schema';
import type { Address } from '@/lib/address';
import { nameKey } from '@/lib/name-key';

export type CustomerFields = Address & {
  name: string;
  phone?: string | null;
  mobile?: string | null;
  email?: string | null;
  cvr?: string | null;
};

/** What callers get back from a creation or match: enough to map an order without a read-back. */
export const customerSummary = {
  id: customers.id,
  customerNumber: customers.customerNumber,
  name: customers.name,
  street: customers.street,
  houseNumber: customers.houseNumber,
  floor: customers.floor,
  postalCode: customers.postalCode,
  city: customers.city,
};

function values(companyId: string, customerNumber: string, f: CustomerFields) {
  return {
    companyId,
    customerNumber,
    name: f.name,
    nameKey: nameKey(f.name),
    street: f.street ?? null,
    houseNumber: f.houseNumber ?? null,
    floor: f.floor ?? null,
    postalCode: f.postalCode ?? null,
    city: f.city ?? null,
    phone: f.phone ?? null,
    mobile: f.mobile ?? null,
    email: f.email ?? null,
    cvr: f.cvr ?? null,
  };
}

/** The statement that bumps the company's counter and returns the new value as `n`; it locks the company row until commit. */
function counterBump(db: Db, companyId: string) {
  return db
    .update(companies)
    .set({ lastCustomerNumber: sql`${companies.lastCustomerNumber} + 1` })
    .where(eq(companies.id, companyId))
    .returning({ n: companies.lastCustomerNumber });
}

/** Bumps the company's counter; in a transaction the company row stays locked until commit. */
async function bumpCounter(db: Db, companyId: string): Promise<string> {
  const [counter] = await counterBump(db, companyId);
  if (!counter) throw new Error('company not found');
  return String(counter.n);
}

/**
 * Create a customer with the company's next customer number: the counter bumped in this
 * transaction (gapless; the company row lock serialises concurrent callers until commit). A
 * number already taken by hand or by a phone-number customer is skipped. Call inside a
 * transaction.
 */
export async function createCustomerWithNextNumber(
  tx: Db,
  companyId: string,
  fields: CustomerFields,
) {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const number = await bumpCounter(tx, companyId);
    const [created] = await tx
      .insert(customers)
      .values(values(companyId, number, fields))
      .onConflictDoNothing({ target: [customers.companyId, customers.customerNumber] })
      .returning(customerSummary);
    if (created) return created;
  }
  throw new Error('no free customer number');
}

/**
 * A new customer with a given number (the policyholder's phone), as one statement not yet sent,
 * with the id chosen by the caller: the intake's optimistic path sends it in one write with the
 * statements that point at `id` (docs/performance.md). A number already taken raises a unique
 * violation, which rolls that whole transaction back.
 */
export function insertCustomerWithNumber(
  tx: Db,
  companyId: string,
  id: string,
  customerNumber: string,
  fields: CustomerFields,
) {
  return tx.insert(customers).values({ ...values(companyId, customerNumber, fields), id });
}

/**
 * A new customer with the company's next customer number, as one statement not yet sent: the
 * counter is bumped in the insert's own statement (a data-modifying CTE), so the number costs no
 * round trip and no commit of its own. The company row stays locked until the statement's
 * transaction commits: send it in one write with the rest (inCompanyAtOnce), never ahead of a
 * round trip.
 */
export function insertCustomerWithNextNumber(
  tx: Db,
  companyId: string,
  id: string,
  fields: CustomerFields,
) {
  const next = tx.$with('next_number').as(counterBump(tx, companyId));
  return tx
    .with(next)
    .insert(customers)
    .values({
      ...values(companyId, '', fields),
      id,
      customerNumber: sql`(select ${next.n}::text from ${next})`,
    });
}

/**
 * The customer with this exact customer number, created from `fields` if there is none.
 * Race-safe: ON CONFLICT DO NOTHING waits for a concurrent insert of the same number and
 * then the read finds the winner's row.
 */
export async function findOrCreateCustomerByNumber(
  tx: Db,
  companyId: string,
  customerNumber: string,
  fields: CustomerFields,
) {
  const [created] = await tx
    .insert(customers)
    .values(values(companyId, customerNumber, fields))
    .onConflictDoNothing({ target: [customers.companyId, customers.customerNumber] })
    .returning(customerSummary);
  if (created) return { ...created, created: true };
  const [existing] = await tx
    .select(customerSummary)
    .from(customers)
    .where(
      sql`${customers.companyId} = ${companyId} and ${customers.customerNumber} = ${customerNumber}`,
    )
    .limit(1);
  if (!existing) throw new Error('customer vanished after conflict');
  return { ...existing, created: false };
}
