import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { customers } from '@/db/schema';
import { lockInsurer } from '@/lib/locks';
import type { CustomerMode } from '@/db/schema';
import { createCustomerWithNextNumber, customerSummary, findOrCreateCustomerByNumber, type CustomerFields } from '@/lib/customers/numbering';
import type { Address } from '@/lib/address';
import { nameKey } from '@/lib/name-key';
import type { Claim } from './claim';
import { customerFromInsurer, customerFromPolicyholder } from './mapping';
import { normalisePhone } from './phone';

export type ResolvedCustomer = { id: string; name: string; address: Address; created: boolean; warnings: string[] };

type Summary = { id: string; name: string; street: string | null; houseNumber: string | null; floor: string | null; postalCode: string | null; city: string | null };

function resolved({ id, name, street, houseNumber, floor, postalCode, city }: Summary, created: boolean, warnings: string[] = []): ResolvedCustomer {
  return { id, name, address: { street, houseNumber, floor, postalCode, city }, created, warnings };
}

/**
 * The customer of a claim by the company's Kunde setting (docs/intake.md, "Customer resolution"). Runs inside the
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
  if (settings.customerMode === 'insurer') return resolveInsurerCustomer(tx, companyId, customerFromInsurer(claim));
  const fields = customerFromPolicyholder(claim);
  if (!settings.phoneAsCustomerNumber) return resolved(await createCustomerWithNextNumber(tx, companyId, fields), true);
  const phone = policyholderPhone(claim);
  if (!phone) return resolved(await createCustomerWithNextNumber(tx, companyId, fields), true, ['no_phone']);
  const found = await findOrCreateCustomerByNumber(tx, companyId, phone, fields);
  return resolved(found, found.created);
}

/**
 * The insurer as customer (Forsikringsselskab): the company's customer with the same normalised
 * name and the lowest customer number, else a new one with the next number. A
 * transaction-scoped advisory lock on (company, normalised name) serialises the look-up and
 * the creation, since names are not unique. The Events API's insurer goes through here too.
 */
export async function resolveInsurerCustomer(tx: Db, companyId: string, fields: CustomerFields): Promise<ResolvedCustomer> {
  const key = nameKey(fields.name);
  await lockInsurer(tx, companyId, key);
  const [match] = await tx
    .select(customerSummary)
    .from(customers)
    .where(and(eq(customers.companyId, companyId), eq(customers.nameKey, key)))
    .orderBy(asc(sql`length(${customers.customerNumber})`), asc(customers.customerNumber))
    .limit(1);
  if (match) return resolved(match, false);
  return resolved(await createCustomerWithNextNumber(tx, companyId, fields), true);
}

/** The policyholder's phone as a customer number: phone, else mobile, normalised. */
export function policyholderPhone(claim: Claim): string | null {
  return normalisePhone(claim.policyholder.phone) ?? normalisePhone(claim.policyholder.mobile);
}

/**
 * The claim's policyholder as the new customer `id` with a number already taken: what
 * resolveCustomer returns when needsNextNumber holds, without a read-back (the intake's fast path).
 */
export function newPolicyholderCustomer(id: string, settings: { phoneAsCustomerNumber: boolean }, claim: Claim): ResolvedCustomer & { fields: CustomerFields } {
  const fields = customerFromPolicyholder(claim);
  const { street = null, houseNumber = null, floor = null, postalCode = null, city = null } = fields;
  const customer = resolved({ id, name: fields.name, street, houseNumber, floor, postalCode, city }, true, settings.phoneAsCustomerNumber ? ['no_phone'] : []);
  return { ...customer, fields };
}

/** Whether resolving this claim will surely create a customer with the company's next number. */
export function needsNextNumber(settings: { customerMode: CustomerMode; phoneAsCustomerNumber: boolean }, claim: Claim): boolean {
  return settings.customerMode === 'policyholder' && (!settings.phoneAsCustomerNumber || !policyholderPhone(claim));
}
