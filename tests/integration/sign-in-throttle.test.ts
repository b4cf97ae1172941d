import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAttempt, type SignInResult } from '@/lib/auth/credentials';
import { hashPassword, verifyPassword } from '@/lib/auth/password';
import { failuresFor, throttleKeys } from '@/lib/auth/throttle';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { makeCompany } from '../support/factories';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ max: 20 });
});
afterAll(async () => {
  await t?.close();
});

const minutes = (n: number) => n * 60_000;
let addressCounter = 0;
const freshAddress = () => `203.0.113.${++addressCounter}`;

const reason = (r: SignInResult) => (r.ok ? 'ok' : r.reason);

async function fail(email: string, address: string, now: Date) {
  return signInAttempt(t.db, { email, password: 'forkert-kode' }, address, now);
}

describe('sign-in throttle', () => {
  it('refuses the 6th attempt after 5 failures for one e-mail from one address, even with the right password', async () => {
    const { admin } = await makeCompany(t.db);
    const address = freshAddress();
    const start = new Date('2026-11-30T10:00:00Z');
    for (let i = 0; i < 5; i++) {
      expect(await fail(admin.email, address, new Date(start.getTime() + minutes(i)))).toEqual({
        ok: false,
        reason: 'invalid',
      });
    }
    const right = { email: admin.email, password: 'secret123' };
    expect(
      await signInAttempt(t.db, right, address, new Date(start.getTime() + minutes(5))),
    ).toEqual({ ok: false, reason: 'throttled' });
    // Refused for 15 minutes from the failure that reached the limit (minute 4) …
    expect(
      await signInAttempt(t.db, right, address, new Date(start.getTime() + minutes(18))),
    ).toEqual({ ok: false, reason: 'throttled' });
    // … and let in after.
    expect(
      await signInAttempt(t.db, right, address, new Date(start.getTime() + minutes(19) + 1000)),
    ).toEqual({ ok: true, userId: admin.id });
  });

  it('does not lock the same e-mail from another address, nor another e-mail from the same address', async () => {
    const { admin, member } = await makeCompany(t.db);
    const address = freshAddress();
    const now = new Date('2026-11-30T11:00:00Z');
    for (let i = 0; i < 5; i++) await fail(admin.email, address, now);
    expect(
      (await signInAttempt(t.db, { email: admin.email, password: 'secret123' }, address, now)).ok,
    ).toBe(false);
    expect(
      await signInAttempt(t.db, { email: admin.email, password: 'secret123' }, freshAddress(), now),
    ).toEqual({ ok: true, userId: admin.id });
    expect(
      await signInAttempt(t.db, { email: member.email, password: 'secret123' }, address, now),
    ).toEqual({ ok: true, userId: member.id });
  });

  it('counts failures for unknown e-mails, case and spaces ignored', async () => {
    const address = freshAddress();
    const now = new Date('2026-11-30T12:00:00Z');
    for (let i = 0; i < 5; i++)
      expect(reason(await fail(i % 2 ? ' Ingen@Demo.dk ' : 'ingen@demo.dk', address, now))).toBe(
        'invalid',
      );
    expect(await fail('ingen@demo.dk', address, now)).toEqual({ ok: false, reason: 'throttled' });
  });

  it('is not fooled by failures spread wider than 15 minutes', async () => {
    const address = freshAddress();
    const start = new Date('2026-11-30T13:00:00Z');
    for (let i = 0; i < 8; i++)
      expect(
        reason(await fail('spredt@demo.dk', address, new Date(start.getTime() + minutes(4 * i)))),
      ).toBe('invalid');
  });

  it('locks an address after 50 failures within 15 minutes, whatever the e-mail', async () => {
    const { admin } = await makeCompany(t.db);
    const address = freshAddress();
    const now = new Date('2026-11-30T14:00:00Z');
    for (let i = 0; i < 50; i++)
      expect(reason(await fail(`nr${i}@demo.dk`, address, now))).toBe('invalid');
    expect(
      await signInAttempt(t.db, { email: admin.email, password: 'secret123' }, address, now),
    ).toEqual({ ok: false, reason: 'throttled' });
    expect(
      await signInAttempt(t.db, { email: admin.email, password: 'secret123' }, freshAddress(), now),
    ).toEqual({ ok: true, userId: admin.id });
  });

  it('does not count successful sign-ins', async () => {
    const { admin } = await makeCompany(t.db);
    const address = freshAddress();
    const now = new Date('2026-11-30T15:00:00Z');
    const right = { email: admin.email, password: 'secret123' };
    for (let i = 0; i < 8; i++)
      expect((await signInAttempt(t.db, right, address, now)).ok).toBe(true);
    for (let i = 0; i < 4; i++) await fail(admin.email, address, now);
    expect((await signInAttempt(t.db, right, address, now)).ok).toBe(true);
    expect(await failuresFor(t.db, throttleKeys(address, admin.email).pair)).toBe(4);
  });

  it('counts parallel attempts one by one: 12 at once give at most 5 failures', async () => {
    const address = freshAddress();
    const now = new Date('2026-11-30T16:00:00Z');
    const results = await Promise.all(
      Array.from({ length: 12 }, () => fail('parallel@demo.dk', address, now)),
    );
    expect(results.filter((r) => reason(r) === 'invalid')).toHaveLength(5);
    expect(results.filter((r) => reason(r) === 'throttled')).toHaveLength(7);
    expect(await failuresFor(t.db, throttleKeys(address, 'parallel@demo.dk').pair)).toBe(5);
  });

  it('stores no address and no e-mail in the clear', async () => {
    const keys = throttleKeys('198.51.100.7', 'someone@demo.dk');
    expect(JSON.stringify(keys)).not.toMatch(/198\.51|someone/);
  });
});

describe('password hashing', () => {
  it('still verifies $2a$ and $2b$ hashes made by bcryptjs', async () => {
    // Made by bcryptjs 3 (cost 4) before the switch to native bcrypt.
    const a = '$2a$04$J2IDIeTQDFM7Q5NqgfiFke5MSC2PjgnESmNjsTj.u/5Kmh7L/Vvdi';
    const b = '$2b$04$J2IDIeTQDFM7Q5NqgfiFke5MSC2PjgnESmNjsTj.u/5Kmh7L/Vvdi';
    expect(await verifyPassword('demo1234', a)).toBe(true);
    expect(await verifyPassword('demo1234', b)).toBe(true);
    expect(await verifyPassword('forkert', a)).toBe(false);
    expect(await verifyPassword('demo1234', null)).toBe(false);
  });

  it('keeps the event loop free during 3 parallel compares', async () => {
    const hash = await hashPassword('demo1234');
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 2);
    const before = performance.eventLoopUtilization();
    const started = performance.now();
    const results = await Promise.all([
      verifyPassword('demo1234', hash),
      verifyPassword('x', hash),
      verifyPassword('demo1234', hash),
    ]);
    const took = performance.now() - started;
    const loop = performance.eventLoopUtilization(before);
    clearInterval(ticker);
    expect(results).toEqual([true, false, true]);
    // bcrypt on the main thread keeps the loop busy the whole time (utilisation ≈ 1) and the
    // 2 ms ticker stalls for each ~100 ms chunk; off the loop it stays nearly idle and ticks on.
    expect(took).toBeGreaterThan(20);
    expect(loop.utilization).toBeLessThan(0.3);
    expect(ticks).toBeGreaterThan(took / 20);
  });
});
