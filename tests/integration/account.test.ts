/** Min konto (docs/people.md, "Min konto"): the name and Skift adgangskode, support included. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database, Db } from '@/db/client';
import { auditLog, users } from '@/db/schema';
import { NotFoundError } from '@/lib/auth/actor';
import { checkCredentials } from '@/lib/auth/credentials';
import { resetEnvCache } from '@/lib/env';
import {
  accountForPage,
  changeOwnPassword,
  renameAccount,
  WRONG_CURRENT_PASSWORD,
} from '@/lib/people/account';
import { createTestDatabase, openAppDatabase, type TestDatabase } from '../support/db';
import { makeCompany, makeSupport } from '../support/factories';
import { actorOf, signedIn, signedInPastSecondStep } from '../support/sessions';

const NEW_PASSWORD = 'Blå-Hest-Løber-7';

let t: TestDatabase;
let pool: Database | undefined;
let db: Db;

beforeAll(async () => {
  vi.stubEnv('KLADDE_LOG', 'silent');
  resetEnvCache();
  t = await createTestDatabase();
  pool = await openAppDatabase(t);
  db = pool?.db ?? t.db;
});
afterAll(async () => {
  await pool?.close();
  await t?.close();
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe('Min konto', () => {
  it('a member renames itself, and only itself', async () => {
    const c = await makeCompany(t.db);
    const here = (await actorOf(db, await signedIn(db, c.member.id)))!;
    expect((await renameAccount(db, here, { name: '  ' })).fieldErrors?.name).toBeTruthy();
    expect(await renameAccount(db, here, { name: 'Mona Montør', userId: c.admin.id })).toEqual({
      ok: true,
      message: 'Gemt.',
    });
    const [member] = await t.db.select().from(users).where(eq(users.id, c.member.id));
    const [admin] = await t.db.select().from(users).where(eq(users.id, c.admin.id));
    expect(member?.name).toBe('Mona Montør');
    expect(admin?.name).toBe('Admin');
    expect((await accountForPage(db, here)).email).toBe(c.member.email);
    const audit = await t.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'user.renamed_self'));
    expect(audit.some((a) => a.actorUserId === c.member.id)).toBe(true);
  });

  it('support has a Min konto too (no company)', async () => {
    const s = await makeSupport(t.db);
    // A support user's sign-in owes the two-step setup first (docs/security.md); past it here.
    const here = (await actorOf(db, await signedInPastSecondStep(db, s.id)))!;
    expect(here.role).toBe('support');
    expect((await renameAccount(db, here, { name: 'Sofie Support' })).ok).toBe(true);
    expect((await accountForPage(db, here)).name).toBe('Sofie Support');
  });

  it('refuses a signed-out caller with a 404', async () => {
    await expect(renameAccount(db, null, { name: 'x' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(changeOwnPassword(db, null, {})).rejects.toBeInstanceOf(NotFoundError);
  });

  it('Skift adgangskode: the current one is required; the other sessions end, this one goes on', async () => {
    const c = await makeCompany(t.db);
    const phone = await signedIn(db, c.admin.id);
    const desk = await signedIn(db, c.admin.id);
    const here = (await actorOf(db, desk))!;
    const wrong = await changeOwnPassword(db, here, {
      current: 'forkert-kode',
      password: NEW_PASSWORD,
      repeat: NEW_PASSWORD,
    });
    expect(wrong.ok).toBe(false);
    expect(wrong.fieldErrors?.current).toBe(WRONG_CURRENT_PASSWORD);
    const weak = await changeOwnPassword(db, here, {
      current: 'secret123',
      password: c.admin.email,
      repeat: c.admin.email,
    });
    expect(weak.fieldErrors?.password).toBeTruthy();
    expect(await actorOf(db, phone)).not.toBeNull();

    const done = await changeOwnPassword(db, here, {
      current: 'secret123',
      password: NEW_PASSWORD,
      repeat: NEW_PASSWORD,
    });
    expect(done.ok, done.message).toBe(true);
    expect(done.message).toContain('Adgangskoden er skiftet');
    expect(await actorOf(db, phone)).toBeNull();
    expect(await actorOf(db, desk)).not.toBeNull();
    expect(await checkCredentials(db, { email: c.admin.email, password: NEW_PASSWORD })).toBe(
      c.admin.id,
    );
    expect(await checkCredentials(db, { email: c.admin.email, password: 'secret123' })).toBeNull();
  });
});
