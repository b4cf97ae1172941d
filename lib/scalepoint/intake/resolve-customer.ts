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
 * How a case's customer is found, by the company's Kunde setting (docs/intake.md, "Customer
 * resolution"): the one place the rule is written. Both ways of applying it read it from here —
 * `resolveCustomer` under locks, `resolveCustomerOptimistically` without — so a rule changes once.
 *  - insurer: the company's customer with the insurer's normalised name and the lowest customer
 *    number, else a new one with the next number;
 *  - number: phone as customer number: the customer with that number, else a new one with it;
 *  - next: a new customer with the company's next number (with a warning when the phone was wanted
 *    as the number but the claim has none).
 */
export type CustomerRule =
  | { by: 'insurer'; fields: CustomerFields }
  | { by: 'number'; customerNumber: string; fields: CustomerFields }
  | { by: 'next'; fields: CustomerFields; warnings: string[] };

/** A direct claim's customer rule. The Events API's events name only the insurer: `{ by: 'insurer' }`. */
export function customerRule(
  settings: { customerMode: CustomerMode; phoneAsCustomerNumber: boolean },
  claim: Claim,
): CustomerRule {
  if (settings.customerMode === 'insurer')
    return { by: 'insurer', fields: customerFromInsurer(claim) };
  const fields = customerFromPolicyholder(claim);
  if (!settings.phoneAsCustomerNumber) return { by: 'next', fields, warnings: [] };
  const phone = policyholderPhone(claim);
  return phone
    ? { by: 'number', customerNumber: phone, fields }
    : { by: 'next', fields, warnings: ['no_phone'] };
}

/**
 * The rule applied inside the delivery's transaction, under locks, so races end with one customer:
 *  - insurer: a transaction-scoped advisory lock on (company, normalised name) serialises the
 *    look-up and the creation, since names are not unique;
 *  - number: the unique (company, customer number) index with ON CONFLICT;
 *  - next: the company's counter, bumped in this transaction.
 */
export async function resolveCustomer(
  tx: Db,
  companyId: string,
  rule: CustomerRule,
): Promise<ResolvedCustomer> {
  switch (rule.by) {
    case 'insurer': {
      const key = nameKey(rule.fields.name);
      await lockInsurer(tx, companyId, key);
      const [match] = await tx
        .select(customerSummary)
        .from(customers)
        .where(and(eq(customers.companyId, companyId), eq(customers.nameKey, key)))
        .orderBy(...insurerMatchOrder)
        .limit(1);
      if (match) return resolved(match, false);
      return resolved(await createCustomerWithNextNumber(tx, companyId, rule.fields), true);
    }
    case 'number': {
      const found = await findOrCreateCustomerByNumber(
        tx,
        companyId,
        rule.customerNumber,
        rule.fields,
      );
      return resolved(found, found.created);
    }
    case 'next':
      return resolved(
        await createCustomerWithNextNumber(tx, companyId, rule.fields),
        true,
        rule.warnings,
      );
  }
}

/** Of several customers with the insurer's name, the one with the lowest customer number. */
const insurerMatchOrder = [
  asc(sql`length(${customers.customerNumber})`),
  asc(customers.customerNumber),
];

/** The customer for the intake's optimistic path: who it is, and the insert to send with the draft if it is new. */
export type OptimisticCustomer = { customer: ResolvedCustomer; insert: SQLWrapper | null };

/**
 * The same rule without locks, for the intake's optimistic path (docs/performance.md): at most
 * one read (one round trip) before the draft's single write. A new customer comes back as an
 * insert, not yet sent, with the id chosen here and its number taken in the insert itself (the
 * counter, or the policyholder's phone); if that number is taken meanwhile, the unique index
 * refuses it and the optimistic path gives way to the locking one.
 * Null where only the locking path can decide: a new insurer customer needs the insurer lock.
 */
export async function resolveCustomerOptimistically(
  db: Db,
  companyId: string,
  rule: CustomerRule,
): Promise<OptimisticCustomer | null> {
  switch (rule.by) {
    case 'insurer': {
      const found = await findOne(
        db,
        companyId,
        sql`${customers.nameKey} = ${nameKey(rule.fields.name)}`,
        insurerMatchOrder,
      );
      return found ? { customer: resolved(found, false), insert: null } : null;
    }
    case 'number': {
      const found = await findOne(
        db,
        companyId,
        sql`${customers.customerNumber} = ${rule.customerNumber}`,
      );
      if (found) return { customer: resolved(found, false), insert: null };
      return newCustomer(db, companyId, rule.customerNumber, rule.fields, []);
    }
    case 'next':
      return newCustomer(db, companyId, null, rule.fields, rule.warnings);
  }
}

/** A new customer: with this number, or (null) the company's next, taken in the insert itself. */
function newCustomer(
  db: Db,
  companyId: string,
  customerNumber: string | null,
  fields: CustomerFields,
  warnings: string[],
): OptimisticCustomer {
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
