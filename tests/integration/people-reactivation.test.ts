import { actorOf, signedIn } from '@/tests/support/sessions';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '@/db/client';
import { users } from '@/db/schema';
import { loadActor, type CompanyActor } from '@/lib/auth/actor';
import { checkCredentials } from '@/lib/auth/credentials';
import { resetEnvCache } from '@/lib/env';
import { deactivateCompanyUser, reactivateCompanyUser } from '@/lib/people/company-users';
import { createTestDatabase, openAppDatabase, type TestDatabase } from '../support/db';
import { makeCompany } from '../support/factories';

/** A user made with a password (the seed, the factories) comes back Aktiv, through the app's own pool. */
let t: TestDatabase;
let app: Database | undefined;

beforeAll(async () => {
  vi.stubEnv('KLADDE_LOG', 'silent');
  resetEnvCache();
  t = await createTestDatabase();
  app = await openAppDatabase(t);
});
afterAll(async () => {
  await app?.close();
  await t?.close();
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe('reactivation', () => {
  it('gives a user with a password back Aktiv, and it can sign in again; its old session stays ended', async () => {
    const db = app?.db ?? t.db;
    const c = await makeCompany(t.db);
    const admin = (await loadActor(t.db, c.admin.id)) as CompanyActor;
    const before = await signedIn(db, c.member.id);
    expect((await deactivateCompanyUser(db, admin, { userId: c.member.id })).ok).toBe(true);
    expect(await checkCredentials(db, { email: c.member.email, password: 'secret123' })).toBeNull();
    expect((await reactivateCompanyUser(db, admin, { userId: c.member.id })).ok).toBe(true);
    const [row] = await t.db
      .select({ status: users.status })
      .from(users)
      .where(eq(users.id, c.member.id));
    expect(row?.status).toBe('active');
    expect(await checkCredentials(db, { email: c.member.email, password: 'secret123' })).toBe(
      c.member.id,
    );
    expect(await actorOf(db, before)).toBeNull();
    expect(await actorOf(db, await signedIn(db, c.member.id))).not.toBeNull();
  });
});
