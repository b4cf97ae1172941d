/**
 * The demo companies, users, customers and drafts (README: Demo accounts), idempotent: `npm run db:seed`,
 * the first `npm run dev`, the e2e server and tests. Lives in lib/ because it goes through the domain
 * (numbering, draft creation, the system door); db/ imports nothing from lib/ but the settings.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { companies, customers, orders, orderTypes, scalepointSettings, users } from '@/db/schema';
import { hashPassword } from '@/lib/auth/password';
import { createCustomerWithNextNumber } from '@/lib/customers/numbering';
import { insertDraft } from '@/lib/orders/create';
import { asSystem } from '@/lib/tenancy';

export const demoSignIns = [
  { email: 'admin@demo-vvs.dk', password: 'demo1234', what: 'admin, Demo VVS ApS' },
  { email: 'montor@demo-vvs.dk', password: 'demo1234', what: 'member, Demo VVS ApS' },
  { email: 'admin@nord-byg.dk', password: 'demo1234', what: 'admin, Nord Byg ApS' },
  { email: 'support@kladde.dk', password: 'support1234', what: 'Kladde support' },
];

export type CompanySeed = {
  name: string;
  cvr: string;
  orderTypes: string[];
  users: { email: string; name: string; role: 'admin' | 'member'; password: string }[];
};

const demoCompanies: CompanySeed[] = [
  {
    name: 'Demo VVS ApS',
    cvr: '12345678',
    orderTypes: ['Service', 'Skadeservice', 'Tilbud'],
    users: [
      { email: 'admin@demo-vvs.dk', name: 'Anne Admin', role: 'admin', password: 'demo1234' },
      { email: 'montor@demo-vvs.dk', name: 'Martin Montør', role: 'member', password: 'demo1234' },
    ],
  },
  {
    name: 'Nord Byg ApS',
    cvr: '87654321',
    orderTypes: ['Service', 'Forsikring'],
    users: [
      { email: 'admin@nord-byg.dk', name: 'Niels Nord', role: 'admin', password: 'demo1234' },
    ],
  },
];

const sampleCustomers = [
  {
    name: 'Karen Sørensen',
    street: 'Nørregade',
    houseNumber: '4',
    postalCode: '8000',
    city: 'Aarhus C',
    phone: '86 12 34 56',
    email: 'karen@example.dk',
  },
  {
    name: 'Bo Østergaard',
    street: 'Søndergade',
    houseNumber: '21',
    floor: '1. tv.',
    postalCode: '8700',
    city: 'Horsens',
    phone: '23 45 67 89',
    email: null,
  },
  {
    name: 'Boligforeningen Åbo',
    street: 'Åboulevarden',
    houseNumber: '70',
    postalCode: '8000',
    city: 'Aarhus C',
    phone: '70 20 30 40',
    email: 'drift@aabo.dk',
    cvr: '11223344',
  },
];

const sampleDrafts = [
  {
    customer: 0,
    type: 'Service',
    heading: 'Udskiftning af blandingsbatteri',
    req: 'K-1001',
    work: 'Køkkenbatteriet drypper. Udskift til nyt etgrebsbatteri.',
  },
  {
    customer: 1,
    type: 'Tilbud',
    heading: 'Tilbud på nyt badeværelse',
    req: null,
    work: 'Besigtigelse og tilbud på totalrenovering af bad, ca. 6 m².',
  },
  {
    customer: 2,
    type: 'Service',
    heading: 'Årligt eftersyn af varmeanlæg',
    req: 'ÅBO-2026-17',
    work: 'Eftersyn af fjernvarmeunits i opgang A–D.',
  },
  {
    customer: 0,
    type: 'Skadeservice',
    heading: 'Utæt afløb under køkkenvask',
    req: null,
    work: 'Vand under vasken; tjek vandlås og afløb.',
  },
];

export type SeedOptions = {
  /**
   * 'fixed' (the default): the public demo passwords of the README. 'random': every user the seed
   * creates gets its own crypto-random password instead (a DATABASE_URL database whose APP_URL is
   * not this machine, lib/demo-seed-policy.ts); the result is the only place it is shown.
   */
  passwords?: 'fixed' | 'random';
};

/** One user of the seed: created now (with `password`) or already there (left alone, `password` null). */
export type SeededUser = {
  email: string;
  role: 'admin' | 'member' | 'support';
  company: string | null;
  created: boolean;
  password: string | null;
};

// Whatever its case: an existing user is left alone, never a second one made beside it.
const sameEmail = (email: string) => sql`lower(${users.email}) = ${email.toLowerCase()}`;

/** 16 base64url characters (96 bits) from the system's CSPRNG. */
export function randomDemoPassword(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * Adds the demo data (README.md, "Demo accounts"). Idempotent: running it twice changes nothing,
 * and a user who exists already is left alone (its password too).
 * `extraCompanies` lets a test server add companies of its own beside the demo.
 * Returns every user of the seed, in order, saying which it created and with which password.
 */
export async function seed(
  db: Db,
  extraCompanies: CompanySeed[] = [],
  options: SeedOptions = {},
): Promise<SeededUser[]> {
  const passwordFor = (fixed: string) =>
    options.passwords === 'random' ? randomDemoPassword() : fixed;
  const seeded: SeededUser[] = [];
  await asSystem(db, 'seed', async (tx) => {
    for (const c of [...demoCompanies, ...extraCompanies]) {
      await tx
        .insert(companies)
        .values({ name: c.name, cvr: c.cvr })
        .onConflictDoNothing({ target: companies.cvr });
      const [company] = await tx
        .select({ id: companies.id })
        .from(companies)
        .where(eq(companies.cvr, c.cvr));
      if (!company) throw new Error('seed: company missing');
      for (const name of c.orderTypes) {
        await tx.insert(orderTypes).values({ companyId: company.id, name }).onConflictDoNothing();
      }
      for (const u of c.users) {
        const exists = await tx.select({ id: users.id }).from(users).where(sameEmail(u.email));
        const password = exists.length ? null : passwordFor(u.password);
        if (password !== null) {
          await tx.insert(users).values({
            email: u.email,
            name: u.name,
            role: u.role,
            companyId: company.id,
            passwordHash: await hashPassword(password),
          });
        }
        seeded.push({
          email: u.email,
          role: u.role,
          company: c.name,
          created: password !== null,
          password,
        });
      }
      // The module starts off, with no credentials and no mail sent.
      await tx.insert(scalepointSettings).values({ companyId: company.id }).onConflictDoNothing();
    }

    const supportExists = await tx
      .select({ id: users.id })
      .from(users)
      .where(sameEmail('support@kladde.dk'));
    const supportPassword = supportExists.length ? null : passwordFor('support1234');
    if (supportPassword !== null) {
      await tx.insert(users).values({
        email: 'support@kladde.dk',
        name: 'Kladde Support',
        role: 'support',
        companyId: null,
        passwordHash: await hashPassword(supportPassword),
      });
    }
    seeded.push({
      email: 'support@kladde.dk',
      role: 'support',
      company: null,
      created: supportPassword !== null,
      password: supportPassword,
    });

    // Demo VVS gets a few hand-made customers and drafts, once.
    const [demo] = await tx
      .select({ id: companies.id })
      .from(companies)
      .where(eq(companies.cvr, '12345678'));
    if (!demo) return;
    const [{ n }] = (await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(customers)
      .where(eq(customers.companyId, demo.id))) as [{ n: number }];
    if (n > 0) return;
    const made: { id: string; name: string }[] = [];
    for (const c of sampleCustomers) {
      const created = await createCustomerWithNextNumber(tx, demo.id, c);
      made.push({ id: created.id, name: c.name });
    }
    for (const d of sampleDrafts) {
      const [type] = await tx
        .select({ id: orderTypes.id })
        .from(orderTypes)
        .where(and(eq(orderTypes.companyId, demo.id), eq(orderTypes.name, d.type)));
      const customer = made[d.customer];
      if (!type || !customer) throw new Error('seed: sample data inconsistent');
      await insertDraft(tx, demo.id, {
        orderTypeId: type.id,
        orderTypeName: d.type,
        heading: d.heading,
        requisitionNumber: d.req,
        workDescription: d.work,
        customerId: customer.id,
        customerName: customer.name,
        source: 'manual',
      });
    }
    const [{ m }] = (await tx
      .select({ m: sql<number>`count(*)::int` })
      .from(orders)
      .where(eq(orders.companyId, demo.id))) as [{ m: number }];
    if (m !== sampleDrafts.length) throw new Error('seed: drafts not created');
  });
  return seeded;
}
