import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { companies } from '@/db/schema';
import { companyAction, companyRead } from '@/lib/door';
import { companyDetailsSchema } from '@/lib/people/schemas';
import { recentPeopleAudit } from './directory';

/**
 * The admin's Firmaoplysninger (docs/people.md): name, address, phone and e-mail; the CVR is shown
 * and only support changes it. The access mail to Scalepoint (lib/scalepoint/admin/access-mail.ts) uses them.
 */
export const companyDetailColumns = {
  name: companies.name,
  cvr: companies.cvr,
  street: companies.street,
  houseNumber: companies.houseNumber,
  postalCode: companies.postalCode,
  city: companies.city,
  phone: companies.phone,
  email: companies.email,
};

export type CompanyDetails = {
  name: string;
  cvr: string;
  street: string | null;
  houseNumber: string | null;
  postalCode: string | null;
  city: string | null;
  phone: string | null;
  email: string | null;
};

export async function companyDetailsOf(tx: Db, companyId: string): Promise<CompanyDetails | null> {
  const [row] = await tx
    .select(companyDetailColumns)
    .from(companies)
    .where(eq(companies.id, companyId));
  return row ?? null;
}

/** Firmaoplysninger: the admin's own company's details and its recent changes. */
export const getCompanyDetails = companyRead(
  { name: 'company.details', roles: ['admin'] },
  async ({ tx, companyId }) => ({
    details: (await companyDetailsOf(tx, companyId))!,
    audit: await recentPeopleAudit(tx, companyId, 10),
  }),
);

/**
 * The company's Ændringslog (people, order types, company details) for its admin's pages. Here, not
 * in lib/people/company-users.ts, because directory.ts (where the query lives) imports that file.
 */
export const peopleAudit = companyRead(
  {
    name: 'company.audit',
    roles: ['admin'],
    input: z.object({ limit: z.number().int().min(1).max(100).catch(20) }).default({ limit: 20 }),
  },
  ({ tx, companyId, input: { limit } }) => recentPeopleAudit(tx, companyId, limit),
);

export const saveCompanyDetails = companyAction(
  { name: 'company.saveDetails', roles: ['admin'], input: companyDetailsSchema },
  async ({ tx, companyId, input, audit }) => {
    const before = await companyDetailsOf(tx, companyId);
    await tx.update(companies).set(input).where(eq(companies.id, companyId));
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of Object.keys(input) as (keyof typeof input)[])
      if (before?.[key] !== input[key])
        changes[key] = { from: before?.[key] ?? null, to: input[key] };
    await audit('company.details_saved', { changes });
    return { ok: true, message: 'Gemt.' };
  },
);

/** The company's address as one line for mails, or null. */
export function companyAddressLine(
  d: Pick<CompanyDetails, 'street' | 'houseNumber' | 'postalCode' | 'city'>,
): string | null {
  const street = [d.street, d.houseNumber].filter(Boolean).join(' ');
  const town = [d.postalCode, d.city].filter(Boolean).join(' ');
  return [street, town].filter(Boolean).join(', ') || null;
}
