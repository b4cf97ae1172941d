/**
 * Two-step verification (docs/security.md, "Two-step verification"; lib/auth/two-factor.ts)
 * against a real database through the app's pool: the setup, the second sign-in step with codes
 * and recovery codes, its time limit, the sign-in throttle, a race with one code, a support
 * user's required setup, Slå fra, an admin's Nulstil, and `npm run support:reset-two-factor`
 * in a child process. Clocks are injected; codes are computed the way an app computes them.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database, Db } from '@/db/client';
import { auditLog, recoveryCodes, sessions, twoFactorKeys } from '@/db/schema';
import { postgresReachable } from '@/db/throwaway';
import {
  loadActor,
  loadSessionActor,
  NotFoundError,
  type Actor,
  type CompanyActor,
  type PendingSignIn,
} from '@/lib/auth/actor';
import { signInAttempt } from '@/lib/auth/credentials';
import { endSession } from '@/lib/auth/sessions';
import { codeForStep, stepAt } from '@/lib/auth/totp';
import {
  confirmSetup,
  confirmSignInCode,
  disableTwoFactor,
  setupKeyFor,
  SUPPORT_KEEPS_TWO_FACTOR,
  twoFactorStatus,
  WRONG_CODE,
} from '@/lib/auth/two-factor';
import { decryptSecret } from '@/lib/crypto';
import { resetEnvCache } from '@/lib/env';
import { resetUserTwoFactor } from '@/lib/people/company-users';
import { asSystem } from '@/lib/tenancy';
import { createTestDatabase, openAppDatabase, type TestDatabase } from '../support/db';
import { makeCompany, makeSupport } from '../support/factories';
import { runScript, type ScriptRun } from '../support/run-script';
import { actorOf, signedIn, type TestSession } from '../support/sessions';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const PASSWORD = 'secret123'; // tests/support/factories.ts

let t: TestDatabase;
let app: Database | undefined;
/** The app's pool (kladde_app): everything below goes through the doors. The owner's on PGlite. */
let db: Db;

beforeAll(async () => {
  vi.stubEnv('KLADDE_LOG', 'silent');
  resetEnvCache();
  t = await createTestDatabase({ max: 20 });
  app = await openAppDatabase(t, { max: 10 });
  db = app?.db ?? t.db;
});
afterAll(async () => {
  await app?.close();
  await t?.close();
  vi.unstubAllEnvs();
  resetEnvCache();
});

// ---------------------------------------------------------------------------------------------
// helpers

let addressCounter = 0;
/** A client address of its own per test, so the throttle's counts of one test stay out of another. */
const freshAddress = () => `198.51.100.${++addressCounter}`;

/** Each test its own hour, so steps and limits never meet another test's. */
let hourCounter = 0;
const freshHour = () => new Date(Date.UTC(2026, 11, 7, ++hourCounter, 0, 5));

const later = (at: Date, ms: number) => new Date(at.getTime() + ms);

/** The code an app shows at `at`. */
const codeAt = (key: string, at: Date) => codeForStep(key, stepAt(at));

/** Six digits that are no code of `key` within a step of `at`. */
function wrongCodeAt(key: string, at: Date): string {
  const near = [-1, 0, 1].map((d) => codeForStep(key, stepAt(at) + d));
  return ['000000', '123456', '999999', '424242'].find((c) => !near.includes(c))!;
}

async function who(userId: string): Promise<Actor> {
  const actor = await loadActor(db, userId);
  if (!actor) throw new Error(`no active user ${userId}`);
  return actor;
}

/** Slå til and Bekræft, as the setup page does them at `at`: the key and the recovery codes. */
async function turnOn(userId: string, at: Date): Promise<{ key: string; codes: string[] }> {
  const person = await who(userId);
  const setup = await setupKeyFor(db, person, { start: true }, at);
  const done = await confirmSetup(db, person, { code: codeAt(setup!.key, at) }, at);
  if (!done.ok) throw new Error(done.message);
  return { key: setup!.key, codes: done.data!.recoveryCodes };
}

/** The sign-in a session is waiting to finish, as a request at `at` sees it. */
async function pendingOf(session: TestSession, at: Date): Promise<PendingSignIn> {
  const found = await loadSessionActor(db, session, at);
  if (!('pending' in found)) throw new Error(`not pending: ${JSON.stringify(found)}`);
  return found.pending;
}

const keyRows = (userId: string) =>
  t.db.select().from(twoFactorKeys).where(eq(twoFactorKeys.userId, userId));
const codeRows = (userId: string) =>
  t.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, userId));
const auditOf = (action: string, userId: string) =>
  t.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), sql`${auditLog.details}->>'userId' = ${userId}`));

// ---------------------------------------------------------------------------------------------

describe('setup', () => {
  it('makes no key until started; then one key, the same on every call, encrypted at rest', async () => {
    const c = await makeCompany(t.db);
    const member = await who(c.member.id);
    expect(await setupKeyFor(db, member, { start: false })).toBeNull();
    expect(await keyRows(c.member.id)).toEqual([]);

    const made = await setupKeyFor(db, member, { start: true });
    expect(made!.key).toMatch(/^[A-Z2-7]{32}$/);
    expect(made!.uri).toContain(`secret=${made!.key}`);
    expect(made!.uri).toContain(encodeURIComponent(c.member.email));
    expect(await setupKeyFor(db, member, { start: false })).toEqual(made);
    expect(await setupKeyFor(db, member, { start: true })).toEqual(made);

    const [row] = await keyRows(c.member.id);
    expect(row!.secret).not.toContain(made!.key);
    expect(row!.secret).toMatch(/^v1:/);
    expect(decryptSecret(row!.secret)).toBe(made!.key);
    expect(row!.enabledAt).toBeNull();
    // Shown, not confirmed: not on yet, and a sign-in needs no code.
    expect(await twoFactorStatus(db, c.member.id)).toEqual({
      enabled: false,
      recoveryCodesLeft: 0,
    });
    expect(await actorOf(db, await signedIn(db, c.member.id))).not.toBeNull();
  });

  it('Bekræft: a wrong code is refused at the field; the right one turns it on with 10 recovery codes', async () => {
    const c = await makeCompany(t.db);
    const member = await who(c.member.id);
    const now = freshHour();
    const { key } = (await setupKeyFor(db, member, { start: true }, now))!;

    const wrong = await confirmSetup(db, member, { code: wrongCodeAt(key, now) }, now);
    expect(wrong).toMatchObject({ ok: false, fieldErrors: { code: WRONG_CODE } });
    expect(await confirmSetup(db, member, {}, now)).toMatchObject({
      ok: false,
      fieldErrors: { code: 'Koden er forkert.' },
    });
    expect((await twoFactorStatus(db, c.member.id)).enabled).toBe(false);

    const done = await confirmSetup(db, member, { code: codeAt(key, now) }, now);
    expect(done.ok, done.message).toBe(true);
    const codes = done.data!.recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect(await twoFactorStatus(db, c.member.id)).toEqual({
      enabled: true,
      recoveryCodesLeft: 10,
    });
    // Stored as keyed hashes, never as the codes.
    const stored = (await codeRows(c.member.id)).map((r) => r.codeHash);
    expect(stored).toHaveLength(10);
    for (const code of codes) {
      expect(stored.join(' ')).not.toContain(code);
      expect(stored.join(' ')).not.toContain(code.replace('-', ''));
    }
    expect(await auditOf('user.two_factor_enabled', c.member.id)).toHaveLength(1);

    // On: nothing more to set up, and a second Bekræft changes nothing.
    expect(await setupKeyFor(db, member, { start: true }, now)).toBeNull();
    const again = await confirmSetup(db, member, { code: codeAt(key, later(now, 30 * SECOND)) });
    expect(again.ok).toBe(false);
    expect(again.message).toContain('allerede slået til');
    expect(await codeRows(c.member.id)).toHaveLength(10);
  });
});

describe('the second sign-in step', () => {
  it('a sign-in owes the code; the code that confirmed the setup is refused, the next one lets it in', async () => {
    const c = await makeCompany(t.db);
    const setupAt = freshHour();
    const { key } = await turnOn(c.member.id, setupAt);
    const setupCode = codeAt(key, setupAt);

    const signInAt = later(setupAt, 10 * SECOND);
    const session = await signedIn(db, c.member.id, signInAt);
    const found = await loadSessionActor(db, session, signInAt);
    expect(found.actor).toBeNull();
    expect(found).toMatchObject({
      pending: { userId: c.member.id, sessionId: session.sessionId, step: 'code' },
    });
    const pending = await pendingOf(session, signInAt);

    const address = freshAddress();
    // The same code again, still in its own 30 seconds: a code is accepted once.
    expect(stepAt(signInAt)).toBe(stepAt(setupAt));
    expect(await confirmSignInCode(db, pending, setupCode, address, signInAt)).toBe('wrong');
    expect(await actorOf(db, session, signInAt)).toBeNull();

    const nextAt = later(setupAt, 30 * SECOND);
    const nextCode = codeAt(key, nextAt);
    expect(await confirmSignInCode(db, pending, nextCode, address, nextAt)).toBe('ok');
    expect(await actorOf(db, session, nextAt)).toMatchObject({
      userId: c.member.id,
      sessionId: session.sessionId,
    });
    // The same row: no new session, and a second Bekræft on it is refused.
    expect(await confirmSignInCode(db, pending, nextCode, address, nextAt)).toBe('wrong');

    // That code is used up for another sign-in too; an older step's code is never taken.
    const other = await signedIn(db, c.member.id, nextAt);
    const otherPending = await pendingOf(other, nextAt);
    expect(await confirmSignInCode(db, otherPending, nextCode, address, nextAt)).toBe('wrong');
    expect(await confirmSignInCode(db, otherPending, setupCode, address, nextAt)).toBe('wrong');
    expect(await actorOf(db, other, nextAt)).toBeNull();
  });

  it('a recovery code works once, with or without the dash, in any case', async () => {
    const c = await makeCompany(t.db);
    const setupAt = freshHour();
    const { codes } = await turnOn(c.admin.id, setupAt);
    const at = later(setupAt, 5 * MINUTE);
    const address = freshAddress();

    const first = await signedIn(db, c.admin.id, at);
    expect(await confirmSignInCode(db, await pendingOf(first, at), codes[0]!, address, at)).toBe(
      'ok',
    );
    expect(await actorOf(db, first, at)).not.toBeNull();
    expect((await twoFactorStatus(db, c.admin.id)).recoveryCodesLeft).toBe(9);

    const second = await signedIn(db, c.admin.id, at);
    const pending = await pendingOf(second, at);
    for (const used of [codes[0]!, codes[0]!.replace('-', ''), codes[0]!.toUpperCase()])
      expect(await confirmSignInCode(db, pending, used, address, at)).toBe('wrong');
    expect(await actorOf(db, second, at)).toBeNull();
    const undashed = ` ${codes[1]!.replace('-', '').toUpperCase()} `;
    expect(await confirmSignInCode(db, pending, undashed, address, at)).toBe('ok');
    expect(await actorOf(db, second, at)).not.toBeNull();
    expect((await twoFactorStatus(db, c.admin.id)).recoveryCodesLeft).toBe(8);
    expect(await auditOf('user.recovery_code_used', c.admin.id)).toHaveLength(2);

    // Used codes stay used.
    const third = await signedIn(db, c.admin.id, at);
    expect(await confirmSignInCode(db, await pendingOf(third, at), codes[1]!, address, at)).toBe(
      'wrong',
    );
  });

  it('the code step lasts 5 minutes from the password; then the sign-in has to start over', async () => {
    const c = await makeCompany(t.db);
    const setupAt = freshHour();
    const { key } = await turnOn(c.member.id, setupAt);
    const signInAt = later(setupAt, MINUTE);
    const session = await signedIn(db, c.member.id, signInAt);

    const lastMoment = later(signInAt, 5 * MINUTE - 1);
    expect((await pendingOf(session, lastMoment)).step).toBe('code');
    for (const at of [later(signInAt, 5 * MINUTE), later(signInAt, 6 * MINUTE)])
      expect(await loadSessionActor(db, session, at)).toEqual({
        actor: null,
        ended: 'second_step_expired',
      });

    // A new sign-in gets its own 5 minutes.
    const again = later(signInAt, 6 * MINUTE);
    const fresh = await signedIn(db, c.member.id, again);
    expect(
      await confirmSignInCode(
        db,
        await pendingOf(fresh, again),
        codeAt(key, again),
        freshAddress(),
        again,
      ),
    ).toBe('ok');
    expect(await actorOf(db, fresh, again)).not.toBeNull();
    expect(await actorOf(db, session, again)).toBeNull();
  });

  it('a request read inside the 5 minutes but confirmed after them opens nothing', async () => {
    const c = await makeCompany(t.db);
    const setupAt = freshHour();
    const { key } = await turnOn(c.member.id, setupAt);
    const signInAt = later(setupAt, MINUTE);
    const session = await signedIn(db, c.member.id, signInAt);
    // The page read the sign-in in time; the code arrives after the limit (a slow request).
    const pending = await pendingOf(session, later(signInAt, 4 * MINUTE));
    const tooLate = later(signInAt, 10 * MINUTE);
    expect(
      await confirmSignInCode(db, pending, codeAt(key, tooLate), freshAddress(), tooLate),
    ).toBe('expired');
    expect(await actorOf(db, session, tooLate)).toBeNull();
  });

  it('wrong codes count as failed sign-ins: after 5, the right code and the right password are refused from that address', async () => {
    const c = await makeCompany(t.db);
    const setupAt = freshHour();
    const { key } = await turnOn(c.member.id, setupAt);
    const start = later(setupAt, MINUTE);
    const session = await signedIn(db, c.member.id, start);
    const pending = await pendingOf(session, start);
    const address = freshAddress();

    for (let i = 0; i < 5; i++) {
      const at = later(start, i * 10 * SECOND);
      expect(await confirmSignInCode(db, pending, wrongCodeAt(key, at), address, at)).toBe('wrong');
    }
    const locked = later(start, MINUTE);
    expect(await confirmSignInCode(db, pending, wrongCodeAt(key, locked), address, locked)).toBe(
      'throttled',
    );
    expect(await confirmSignInCode(db, pending, codeAt(key, locked), address, locked)).toBe(
      'throttled',
    );
    expect((await pendingOf(session, locked)).step).toBe('code');
    // The password page from that address is locked for that e-mail too …
    expect(
      await signInAttempt(db, { email: c.member.email, password: PASSWORD }, address, locked),
    ).toEqual({ ok: false, reason: 'throttled' });
    // … not from another address: there the right code still works.
    expect(await confirmSignInCode(db, pending, codeAt(key, locked), freshAddress(), locked)).toBe(
      'ok',
    );
    expect(await actorOf(db, session, locked)).not.toBeNull();
  });

  it('two sign-ins racing with one right code: exactly one gets in (10 rounds)', async () => {
    const c = await makeCompany(t.db);
    const setupAt = freshHour();
    const { key } = await turnOn(c.member.id, setupAt);
    for (let round = 0; round < 10; round++) {
      // Each round three steps later, so its code is new.
      const at = later(setupAt, (round + 1) * 90 * SECOND);
      const a = await signedIn(db, c.member.id, at);
      const b = await signedIn(db, c.member.id, at);
      const [pa, pb] = [await pendingOf(a, at), await pendingOf(b, at)];
      const code = codeAt(key, at);
      // From two addresses, so the throttle's lock per address does not line them up.
      const results = await Promise.all([
        confirmSignInCode(db, pa, code, freshAddress(), at),
        confirmSignInCode(db, pb, code, freshAddress(), at),
      ]);
      expect(results.sort(), `round ${round}`).toEqual(['ok', 'wrong']);
      const inside = [await actorOf(db, a, at), await actorOf(db, b, at)].filter(Boolean);
      expect(inside, `round ${round}`).toHaveLength(1);
    }
  });

  it('the step done on one instance is seen on another at once; a session ended there is refused here', async () => {
    // Ending a session on one instance and loading it on another is tests/integration/sessions.test.ts
    // ("a session ended on one instance is refused on the other at once"); here the second step.
    if (!t.url) return; // PGlite has one connection: there is no other instance.
    const other = (await openAppDatabase(t, { max: 2 }))!;
    try {
      const c = await makeCompany(t.db);
      const setupAt = freshHour();
      const { key } = await turnOn(c.member.id, setupAt);
      const at = later(setupAt, MINUTE);
      const session = await signedIn(db, c.member.id, at);
      const pending = (await loadSessionActor(other.db, session, at)) as { pending: PendingSignIn };
      expect(pending.pending.step).toBe('code');
      expect(
        await confirmSignInCode(other.db, pending.pending, codeAt(key, at), freshAddress(), at),
      ).toBe('ok');
      expect(await actorOf(db, session, at)).not.toBeNull();
      await asSystem(other.db, 'sign-in', (tx) => endSession(tx, session.sessionId, at));
      expect(await loadSessionActor(db, session, at)).toEqual({ actor: null, ended: 'ended' });
    } finally {
      await other.close();
    }
  });
});

describe('support', () => {
  it('a support user’s sign-in owes the setup; confirming it with that sign-in lets the session in', async () => {
    const s = await makeSupport(t.db);
    const at = freshHour();
    const session = await signedIn(db, s.id, at);
    const found = await loadSessionActor(db, session, at);
    expect(found.actor).toBeNull();
    const pending = await pendingOf(session, at);
    expect(pending).toMatchObject({ userId: s.id, role: 'support', step: 'setup' });
    // The code page is not the way past a setup.
    expect(await confirmSignInCode(db, pending, '123456', freshAddress(), at)).toBe('wrong');

    const setup = await setupKeyFor(db, pending, { start: true }, at);
    const wrong = await confirmSetup(db, pending, { code: wrongCodeAt(setup!.key, at) }, at);
    expect(wrong).toMatchObject({ ok: false, fieldErrors: { code: WRONG_CODE } });
    expect((await pendingOf(session, at)).step).toBe('setup');

    const done = await confirmSetup(db, pending, { code: codeAt(setup!.key, at) }, at);
    expect(done.ok, done.message).toBe(true);
    expect(done.data!.recoveryCodes).toHaveLength(10);
    expect(await actorOf(db, session, at)).toMatchObject({ userId: s.id, role: 'support' });
    expect(await twoFactorStatus(db, s.id)).toEqual({ enabled: true, recoveryCodesLeft: 10 });

    // From now on its sign-ins owe the code.
    const next = later(at, MINUTE);
    expect((await pendingOf(await signedIn(db, s.id, next), next)).step).toBe('code');
  });

  it('the setup step lasts 15 minutes from the password', async () => {
    const s = await makeSupport(t.db);
    const at = freshHour();
    const session = await signedIn(db, s.id, at);
    expect((await pendingOf(session, later(at, 15 * MINUTE - 1))).step).toBe('setup');
    expect(await loadSessionActor(db, session, later(at, 15 * MINUTE))).toEqual({
      actor: null,
      ended: 'second_step_expired',
    });
  });
});

describe('Slå fra', () => {
  it('support cannot turn it off', async () => {
    const s = await makeSupport(t.db);
    const at = freshHour();
    const { key } = await turnOn(s.id, at);
    const next = later(at, MINUTE);
    const result = await disableTwoFactor(
      db,
      await who(s.id),
      { code: codeAt(key, next) },
      freshAddress(),
      next,
    );
    expect(result).toEqual({ ok: false, message: SUPPORT_KEEPS_TWO_FACTOR });
    expect((await twoFactorStatus(db, s.id)).enabled).toBe(true);
  });

  it('an admin or member turns it off with a right code only; then a sign-in needs no code', async () => {
    const c = await makeCompany(t.db);
    const at = freshHour();
    const { key } = await turnOn(c.member.id, at);
    const next = later(at, MINUTE);
    const member = await who(c.member.id);
    const address = freshAddress();

    await expect(
      disableTwoFactor(db, null, { code: codeAt(key, next) }, address, next),
    ).rejects.toBeInstanceOf(NotFoundError);
    const wrong = await disableTwoFactor(
      db,
      member,
      { code: wrongCodeAt(key, next) },
      address,
      next,
    );
    expect(wrong).toMatchObject({ ok: false, fieldErrors: { code: WRONG_CODE } });
    expect((await twoFactorStatus(db, c.member.id)).enabled).toBe(true);

    const off = await disableTwoFactor(db, member, { code: codeAt(key, next) }, address, next);
    expect(off).toEqual({ ok: true, message: 'To-trinsbekræftelse er slået fra.' });
    expect(await twoFactorStatus(db, c.member.id)).toEqual({
      enabled: false,
      recoveryCodesLeft: 0,
    });
    expect(await keyRows(c.member.id)).toEqual([]);
    expect(await codeRows(c.member.id)).toEqual([]);
    expect(await auditOf('user.two_factor_disabled', c.member.id)).toHaveLength(1);
    expect(await actorOf(db, await signedIn(db, c.member.id, next), next)).not.toBeNull();
  });
});

describe('Nulstil to-trinsbekræftelse (an admin)', () => {
  it('removes the key and codes and ends every session of the user; another company’s admin gets not found', async () => {
    const c = await makeCompany(t.db);
    const elsewhere = await makeCompany(t.db);
    const at = freshHour();
    const { key } = await turnOn(c.member.id, at);
    const signInAt = later(at, MINUTE);
    const inside = await signedIn(db, c.member.id, signInAt);
    expect(
      await confirmSignInCode(
        db,
        await pendingOf(inside, signInAt),
        codeAt(key, signInAt),
        freshAddress(),
        signInAt,
      ),
    ).toBe('ok');
    const waiting = await signedIn(db, c.member.id, signInAt);
    expect(await actorOf(db, inside, signInAt)).not.toBeNull();

    const adminActor = (await who(c.admin.id)) as CompanyActor;
    const otherAdmin = (await who(elsewhere.admin.id)) as CompanyActor;
    const memberActor = (await who(c.member.id)) as CompanyActor;
    await expect(
      resetUserTwoFactor(db, otherAdmin, { userId: c.member.id }, signInAt),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      resetUserTwoFactor(db, memberActor, { userId: c.member.id }, signInAt),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect((await twoFactorStatus(db, c.member.id)).enabled).toBe(true);
    expect(await actorOf(db, inside, signInAt)).not.toBeNull();

    const reset = await resetUserTwoFactor(db, adminActor, { userId: c.member.id }, signInAt);
    expect(reset).toEqual({
      ok: true,
      message: 'To-trinsbekræftelse er nulstillet for Member, som er logget ud overalt.',
    });
    expect(await loadSessionActor(db, inside, signInAt)).toEqual({ actor: null, ended: 'ended' });
    expect(await loadSessionActor(db, waiting, signInAt)).toEqual({ actor: null, ended: 'ended' });
    const ended = await t.db.select().from(sessions).where(eq(sessions.userId, c.member.id));
    expect(ended.map((r) => r.endedReason)).toEqual(['two_factor_reset', 'two_factor_reset']);
    expect(await keyRows(c.member.id)).toEqual([]);
    expect(await codeRows(c.member.id)).toEqual([]);
    const [audit] = await auditOf('user.two_factor_reset', c.member.id);
    expect(audit).toMatchObject({ companyId: c.company.id, actorUserId: c.admin.id });

    // The next sign-in opens at once (a member without two-step verification), and a second
    // reset says there was nothing to reset.
    expect(await actorOf(db, await signedIn(db, c.member.id, signInAt), signInAt)).not.toBeNull();
    expect(await resetUserTwoFactor(db, adminActor, { userId: c.member.id }, signInAt)).toEqual({
      ok: true,
      message: 'Member har ikke to-trinsbekræftelse slået til.',
    });
  });
});

// ---------------------------------------------------------------------------------------------
// npm run support:reset-two-factor -- <e-mail>

const reachable = process.env.TEST_DB !== 'pglite' && (await postgresReachable());
const USAGE = 'Brug: npm run support:reset-two-factor -- <e-mail>';

describe.skipIf(!reachable)('npm run support:reset-two-factor, in production', () => {
  let emptyDataDir: string;
  beforeAll(() => {
    emptyDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kladde-reset-two-factor-'));
  });
  afterAll(() => {
    if (emptyDataDir) fs.rmSync(emptyDataDir, { recursive: true, force: true });
  });

  /** The CLI with only production's settings: nothing from this shell leaks in. */
  function runCli(args: string[]): Promise<ScriptRun> {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of [
      'DATABASE_URL',
      'MIGRATION_DATABASE_URL',
      'DATABASE_POOLER',
      'KLADDE_DATA_DIR',
      'APP_URL',
      'RESEND_API_KEY',
      'RESEND_BASE_URL',
      'AUTH_SECRET',
      'CREDENTIALS_KEY',
      'CREDENTIALS_KEYS_PREVIOUS',
      'KLADDE_LOG',
    ])
      delete env[k];
    Object.assign(env, {
      NODE_ENV: 'production',
      DATABASE_URL: t.url,
      AUTH_SECRET: randomBytes(24).toString('base64url'),
      CREDENTIALS_KEY: randomBytes(32).toString('base64'),
      APP_URL: 'https://kladde.example.dk',
      KLADDE_DATA_DIR: emptyDataDir,
    });
    return runScript('scripts/support-reset-two-factor.ts', args, env);
  }

  it('resets a support user: key and codes gone, every session ended, audited as the command', async () => {
    const s = await makeSupport(t.db);
    const at = new Date(Date.now() - 2 * MINUTE);
    const setupSession = await signedIn(db, s.id, at);
    const pending = await pendingOf(setupSession, at);
    const { key } = (await setupKeyFor(db, pending, { start: true }, at))!;
    expect((await confirmSetup(db, pending, { code: codeAt(key, at) }, at)).ok).toBe(true);
    const waiting = await signedIn(db, s.id);
    expect(await actorOf(db, setupSession)).not.toBeNull();

    const run = await runCli([`  ${s.email.toUpperCase()} `]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      `To-trinsbekræftelse er nulstillet for ${s.name}, som er logget ud overalt.`,
    );
    expect(run.stdout).toContain(
      'Ved næste login sætter brugeren to-trinsbekræftelse op igen med en ny nøgle.',
    );
    expect(run.stderr).toBe('');

    expect(await keyRows(s.id)).toEqual([]);
    expect(await codeRows(s.id)).toEqual([]);
    expect(await twoFactorStatus(db, s.id)).toEqual({ enabled: false, recoveryCodesLeft: 0 });
    expect(await loadSessionActor(db, setupSession)).toEqual({ actor: null, ended: 'ended' });
    expect(await loadSessionActor(db, waiting)).toEqual({ actor: null, ended: 'ended' });
    const audits = await auditOf('user.two_factor_reset', s.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actorRole: 'command',
      actorUserId: null,
      companyId: null,
      details: { userId: s.id, email: s.email, wasOn: true, sessionsEnded: 2 },
    });
    // The next sign-in sets it up again.
    expect((await pendingOf(await signedIn(db, s.id), new Date())).step).toBe('setup');
  }, 60_000);

  it('refuses an unknown e-mail and a company user’s, changing nothing', async () => {
    const c = await makeCompany(t.db);
    await turnOn(c.member.id, new Date(Date.now() - MINUTE));
    const unknown = `ingen-${randomBytes(3).toString('hex')}@kladde.example.dk`;

    const [nobody, companyUser] = await Promise.all([runCli([unknown]), runCli([c.member.email])]);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain(`Ingen bruger har e-mailen ${unknown}.`);
    expect(nobody.stderr).toContain(USAGE);
    expect(nobody.stdout).toBe('');

    expect(companyUser.code).toBe(1);
    expect(companyUser.stderr).toContain(
      'Brugeren er ikke en supportbruger: en virksomheds administrator nulstiller to-trinsbekræftelse på brugerens side.',
    );
    expect(companyUser.stdout).toBe('');
    expect((await twoFactorStatus(db, c.member.id)).enabled).toBe(true);
    expect(await auditOf('user.two_factor_reset', c.member.id)).toEqual([]);
  }, 60_000);

  it('refuses to run without exactly one e-mail, saying how to call it', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Angiv e-mail.');
    expect(run.stderr).toContain(USAGE);
  }, 60_000);
});
