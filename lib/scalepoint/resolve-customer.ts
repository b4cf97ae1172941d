import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { customers } from '@/db/schema';
import type { CustomerMode } from '@/db/schema';
import { createCustomerWithNextNumber, findOrCreateCustomerByNumber } from '@/lib/customers/numbering';
import { nameKey, type Address } from '@/lib/text';
import type { Claim } from './claim';
import { customerFromInsurer, customerFromPolicyholder } from './mapping';
import { normalisePhone } from './phone';

export type ResolvedCustomer = { id: string; name: string; address: Address; created: boolean; warnings: string[] };

const customerColumns = {
  id: customers.id,
  name: customers.name,
  street: customers.street,
  houseNumber: customers.houseNumber,
  floor: customers.floor,
  postalCode: customers.postalCode,
  city: customers.city,
};

async function byId(tx: Db, companyId: string, id: string, created: boolean, warnings: string[] = []): Promise<ResolvedCustomer> {
  const [row] = await tx.select(customerColumns).from(customers).where(and(eq(customers.companyId, companyId), eq(customers.id, id)));
  if (!row) throw new Error('resolved customer not found');
  const { id: rid, name, ...address } = row;
  return { id: rid, name, address, created, warnings };
}

/**
 * The customer of a claim by the company's Kunde setting (SPEC.md §4). Runs inside the
 * delivery's transaction; races end with one customer:
 *  - insurer: a transaction-scoped advisory lock on (company, normalised name) serialises the
 *    look-up and the creation, since names are not unique;
 *  - phone as customer number: the unique (company, customer number) index with ON CONFLICT.
 */
export async function resolveCustomer(
  tx: Db,
  companyId: string,
  settings: { customerMode: CustomerMode; phoneAsCustomerNumber: boolean },
  claim: Claim,
): Promise<ResolvedCustomer> {
  if (settings.customerMode === 'insurer') {
    const key = nameKey(claim.insurer.name);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`insurer:${companyId}:${key}`}, 0))`);
    const [match] = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.companyId, companyId), eq(customers.nameKey, key)))
      .orderBy(asc(sql`length(${customers.customerNumber})`), asc(customers.customerNumber))
      .limit(1);
    if (match) return byId(tx, companyId, match.id, false);
    const made = await createCustomerWithNextNumber(tx, companyId, customerFromInsurer(claim));
    return byId(tx, companyId, made.id, true);
  }

  const fields = customerFromPolicyholder(claim);
  if (!settings.phoneAsCustomerNumber) {
    const made = await createCustomerWithNextNumber(tx, companyId, fields);
    return byId(tx, companyId, made.id, true);
  }
  const phone = normalisePhone(claim.policyholder.phone) ?? normalisePhone(claim.policyholder.mobile);
  if (!phone) {
    const made = await createCustomerWithNextNumber(tx, companyId, fields);
    return byId(tx, companyId, made.id, true, ['no_phone']);
  }
  const found = await findOrCreateCustomerByNumber(tx, companyId, phone, fields);
  return byId(tx, companyId, found.id, found.created);
}
