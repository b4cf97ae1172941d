import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { customers } from '@/db/schema/index';
import { lockInsurer } from '@/lib/locks';
import type { CustomerMode } from '@/db/schema/index';
import {
  createCustomerWithNextNumber,
  customerSummary,
  findOrCreateCustomerByNumber,
  insertCustomerWithNextNumber,
  insertCustomerWithNumber,
  type CustomerFields,
} from '@/lib/customers/numbering';
import { inCompanyAtOnce } from '@/lib/tenancy';
import type { Address } from '@/lib/address';
import { nameKey } from '@/lib/name-key';
import type { Claim } from '../contract/claim';
import { customerFromInsurer, customerFromPolicyholder } from './mapping';
import { normalisePhone } from './phone';

export type ResolvedCustomer = {
  id: string;
  name: string;
  address: Address;
  created: boolean;
  warnings: string[];
};

type Summary = {
  id: string;
  name: string;
  street: string | null;
  houseNumber: string | null;
  floor: string | null;
  postalCode: string | null;
  city: string | null;
};

function resolved(
  { id, name, street, houseNumber, floor, postalCode, city }: Summary,
  created: boolean,
  warnings: string[] = [],
): ResolvedCustomer {
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
  if (settings.customerMode === 'insurer')
    return resolveInsurerCustomer(tx, companyId, customerFromInsurer(claim));
  const fields = customerFromPolicyholder(claim);
  if (!settings.phoneAsCustomerNumber)
    return resolved(await createCustomerWithNextNumber(tx, companyId, fields), true);
  const phone = policyholderPhone(claim);
  if (!phone)
    return resolved(await createCustomerWithNextNumber(tx, companyId, fields), true, ['no_phone']);
  const found = await findOrCreateCustomerByNumber(tx, companyId, phone, fields);
  return resolved(found, found.created);
}

/**
 * The insurer as customer (Forsikringsselskab): the company's customer with the same normalised
 * name and the lowest customer number, else a new one with the next number. A
 * transaction-scoped advisory lock on (company, normalised name) serialises the look-up and
 * the creation, since names are not unique. The Events API's insurer goes through here too.
 */
export async function resolveInsurerCustomer(
  tx: Db,
  companyId: string,
  fields: CustomerFields,
): Promise<ResolvedCustomer> {
  const key = nameKey(fields.name);
  await lockInsurer(tx, companyId, key);
  const [match] = await tx
    .select(customerSummary)
    .from(customers)
    .where(and(eq(customers.companyId, companyId), eq(customers.nameKey, key)))
    .orderBy(...insurerMatchOrder)
    .limit(1);
  if (match) return resolved(match, false);
  return resolved(await createCustomerWithNextNumber(tx, companyId, fields), true);
}

/** Of several customers with the insurer's name, the one with the lowest customer number. */
const insurerMatchOrder = [
  asc(sql`length(${customers.customerNumber})`),
  asc(customers.customerNumber),
];

/** The claim's customer for the intake's fast path: who it is, and the insert to send with the draft if it is new. */
export type FastCustomer = { customer: ResolvedCustomer; insert: SQLWrapper | null };

/**
 * resolveCustomer's answer without its locks, for the intake's fast path (docs/performance.md):
 * at most one read (one round trip) before the draft's single write. A new customer comes back
 * as an insert, not yet sent, with the id chosen here and its number taken in the insert itself
 * (the counter, or the policyholder's phone); if that number is taken meanwhile, the unique
 * index refuses it and the fast path gives way.
 * Null where only the careful path can decide: a new insurer customer needs the insurer lock.
 */
export async function resolveCustomerFast(
  db: Db,
  companyId: string,
  settings: { customerMode: CustomerMode; phoneAsCustomerNumber: boolean },
  claim: Claim,
): Promise<FastCustomer | null> {
  if (settings.customerMode === 'insurer') {
    const found = await findOne(
      db,
      companyId,
      sql`${customers.nameKey} = ${nameKey(customerFromInsurer(claim).name)}`,
      insurerMatchOrder,
    );
    return found ? { customer: resolved(found, false), insert: null } : null;
  }
  const phone = settings.phoneAsCustomerNumber ? policyholderPhone(claim) : null;
  if (phone) {
    const found = await findOne(db, companyId, sql`${customers.customerNumber} = ${phone}`);
    if (found) return { customer: resolved(found, false), insert: null };
    return newCustomer(db, companyId, phone, claim, []);
  }
  return newCustomer(
    db,
    companyId,
    null,
    claim,
    settings.phoneAsCustomerNumber ? ['no_phone'] : [],
  );
}

/** A new customer from the policyholder: with this number, or (null) the company's next, taken in the insert itself. */
function newCustomer(
  db: Db,
  companyId: string,
  customerNumber: string | null,
  claim: Claim,
  warnings: string[],
): FastCustomer {
  const fields = customerFromPolicyholder(claim);
  const id = randomUUID();
  const {
    name,
    street = null,
    houseNumber = null,
    floor = null,
    postalCode = null,
    city = null,
  } = fields;
  return {
    customer: resolved({ id, name, street, houseNumber, floor, postalCode, city }, true, warnings),
    insert:
      customerNumber === null
        ? insertCustomerWithNextNumber(db, companyId, id, fields)
        : insertCustomerWithNumber(db, companyId, id, customerNumber, fields),
  };
}

/** customerSummary's columns, each named by its key (raw rows of the one-write door). */
const summaryColumns = sql.join(
  Object.entries(customerSummary).map(([key, column]) => sql`${column} as ${sql.identifier(key)}`),
  sql`, `,
);

async function findOne(
  db: Db,
  companyId: string,
  where: SQL,
  orderBy: SQL[] = [],
): Promise<Summary | null> {
  const [[row]] = (await inCompanyAtOnce(db, companyId, [
    sql`select ${summaryColumns} from ${customers} where ${customers.companyId} = ${companyId} and ${where}
      ${orderBy.length ? sql`order by ${sql.join(orderBy, sql`, `)}` : sql``} limit 1`,
  ])) as [[Summary | undefined]];
  return row ?? null;
}

/** The policyholder's phone as a customer number: phone, else mobile, normalised. */
export function policyholderPhone(claim: Claim): string | null {
  return normalisePhone(claim.policyholder.phone) ?? normalisePhone(claim.policyholder.mobile);
}
