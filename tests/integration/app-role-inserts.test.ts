/**
 * The admins' two inserts under kladde_app's column grants (migration 0011): a new order type and
 * an invited user, through the app's pool. kladde_app may insert only the columns it is granted —
 * never a user's password_hash — so these inserts name exactly those columns (drizzle's own insert
 * names every column, `default` for the rest, which PostgreSQL refuses as "permission denied").
 */
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '@/db/client';
import { orderTypes, users } from '@/db/schema';
import { loadActor, type Actor } from '@/lib/auth/actor';
import { pgErrorCode } from '@/lib/db-errors';
import { createResendMailer } from '@/lib/email';
import { resetEnvCache } from '@/lib/env';
import { createOrderType } from '@/lib/order-types/order-types';
import { inviteCompanyUser } from '@/lib/people/company-users';
import { EMAIL_IN_USE, ORDER_TYPE_NAME_IN_USE } from '@/lib/people/schemas';
import { inCompany } from '@/lib/tenancy';
import { createTestDatabase, openAppDatabase, type TestDatabase } from '../support/db';
import { makeCompany } from '../support/factories';

let t: TestDatabase;
let app: Database | undefined;
let admin: Actor;
let companyId: string;
// No RESEND_API_KEY: the mail is recorded as not sent (the real mailer's own answer).
const mailer = createResendMailer();

beforeAll(async () => {
  vi.stubEnv('KLADDE_LOG', 'silent');
  vi.stubEnv('RESEND_API_KEY', '');
  resetEnvCache();
  t = await createTestDatabase();
  app = await openAppDatabase(t);
  const c = await makeCompany(t.db, `Kolonnefirma ${randomBytes(3).toString('hex')}`);
  companyId = c.company.id;
  admin = (await loadActor(t.db, c.admin.id))!;
});
afterAll(async () => {
  await app?.close();
  await t?.close();
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe('through the app pool (kladde_app)', () => {
  it('Ny ordretype: made, with its defaults; the same name in other case is refused at the field', async () => {
    const db = app?.db ?? t.db;
    expect(await createOrderType(db, admin, { name: 'Stormskade' })).toMatchObject({ ok: true });
    const [made] = await t.db.select().from(orderTypes).where(eq(orderTypes.name, 'Stormskade'));
    expect(made).toMatchObject({ companyId, active: true, nameSyncPending: false });
    expect(await createOrderType(db, admin, { name: 'STORMSKADE' })).toMatchObject({
      ok: false,
      fieldErrors: { name: ORDER_TYPE_NAME_IN_USE },
    });
  });

  it('Inviter bruger: an invited user without a password; an e-mail in use is refused at the field', async () => {
    const db = app?.db ?? t.db;
    const email = `ny-${randomBytes(3).toString('hex')}@kolonne.test`;
    const result = await inviteCompanyUser(mailer)(db, admin, {
      name: 'Nina Ny',
      email,
      role: 'member',
    });
    expect(result.ok, result.message).toBe(true);
    expect((result.data as { link?: string }).link).toMatch(/\/invitation\/[A-Za-z0-9_-]{43}$/);
    const [user] = await t.db.select().from(users).where(eq(users.email, email));
    expect(user).toMatchObject({
      companyId,
      role: 'member',
      status: 'invited',
      passwordHash: null,
    });
    const again = await inviteCompanyUser(mailer)(db, admin, {
      name: 'Nina Igen',
      email: email.toUpperCase(),
      role: 'admin',
    });
    expect(again).toMatchObject({ ok: false, fieldErrors: { email: EMAIL_IN_USE } });
  });

  it('and kladde_app still cannot insert a password_hash', async () => {
    if (!app) return; // PGlite (no PostgreSQL here): one session as the owner, no app pool to prove it with
    const attempt = inCompany(app.db, companyId, (tx) =>
      tx.execute(
        sql`insert into ${users} (email, name, role, company_id, status, password_hash) values (${`hash-${randomBytes(3).toString('hex')}@kolonne.test`}, 'X', 'member', ${companyId}, 'active', 'x')`,
      ),
    );
    await expect(attempt).rejects.toSatisfy((e: unknown) => pgErrorCode(e) === '42501');
  });
});
