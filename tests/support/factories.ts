import type { Db } from '@/db/client';
import { companies, orderTypes, scalepointSettings, users } from '@/db/schema';
import { hashPassword } from '@/lib/auth/password';

let counter = 0;

/** A company with an admin, a member and order types, for tests that need a tenant. */
export async function makeCompany(db: Db, name = `Firma ${++counter}`) {
  const cvr = String(10000000 + Math.floor(Math.random() * 89999999));
  const [company] = await db.insert(companies).values({ name, cvr }).returning();
  if (!company) throw new Error('no company');
  const types = await db
    .insert(orderTypes)
    .values([
      { companyId: company.id, name: 'Service' },
      { companyId: company.id, name: 'Skadeservice' },
    ])
    .returning();
  const hash = await hashPassword('secret123');
  const [admin] = await db
    .insert(users)
    .values({
      email: `admin-${company.id}@test.dk`,
      name: 'Admin',
      role: 'admin',
      companyId: company.id,
      passwordHash: hash,
    })
    .returning();
  const [member] = await db
    .insert(users)
    .values({
      email: `member-${company.id}@test.dk`,
      name: 'Member',
      role: 'member',
      companyId: company.id,
      passwordHash: hash,
    })
    .returning();
  await db.insert(scalepointSettings).values({ companyId: company.id }).onConflictDoNothing();
  return {
    company,
    types: types as [(typeof types)[number], (typeof types)[number]],
    admin: admin!,
    member: member!,
  };
}

export async function makeSupport(db: Db) {
  const [user] = await db
    .insert(users)
    .values({
      email: `support-${++counter}-${Date.now()}@kladde.dk`,
      name: 'Support',
      role: 'support',
      companyId: null,
      passwordHash: await hashPassword('secret123'),
    })
    .returning();
  return user!;
}
