/**
 * Sessions as rows (docs/security.md, "Sessions"): the limits with an injected clock, last seen
 * written at most once a minute, and an end seen at once by another instance's pool.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database, Db } from '@/db/client';
import { sessions } from '@/db/schema';
import { loadSessionActor } from '@/lib/auth/actor';
import { endSession, endSessionsOf, pruneSessions } from '@/lib/auth/sessions';
import { resetEnvCache } from '@/lib/env';
import { asSystem } from '@/lib/tenancy';
import { createTestDatabase, openAppDatabase, type TestDatabase } from '../support/db';
import { makeCompany } from '../support/factories';
import { actorOf, signedIn } from '../support/sessions';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let t: TestDatabase;
let a: Database | undefined;
let b: Database | undefined;
/** Two instances' pools (one connection each is enough); the owner's on PGlite. */
let one: Db;
let two: Db;

beforeAll(async () => {
  vi.stubEnv('KLADDE_LOG', 'silent');
  resetEnvCache();
  t = await createTestDatabase();
  a = await openAppDatabase(t, { max: 2 });
  b = await openAppDatabase(t, { max: 2 });
  one = a?.db ?? t.db;
  two = b?.db ?? t.db;
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await t?.close();
  vi.unstubAllEnvs();
  resetEnvCache();
});

const lastSeen = async (id: string) =>
  (await t.db.select().from(sessions).where(eq(sessions.id, id)))[0]!.lastSeenAt;

describe('sessions', () => {
  it('end after 60 minutes without a request', async () => {
    const c = await makeCompany(t.db);
    const start = new Date('2026-12-07T08:00:00Z');
    const s = await signedIn(one, c.member.id, start);
    expect(await actorOf(one, s, new Date(start.getTime() + 59 * MINUTE))).not.toBeNull();
    // That request kept it alive for another hour.
    expect(await actorOf(one, s, new Date(start.getTime() + 118 * MINUTE))).not.toBeNull();
    expect(await loadSessionActor(one, s, new Date(start.getTime() + 179 * MINUTE))).toEqual({
      actor: null,
      ended: 'idle',
    });
  });

  it('end 12 hours after sign-in, however busy', async () => {
    const c = await makeCompany(t.db);
    const start = new Date('2026-12-07T06:00:00Z');
    const s = await signedIn(one, c.member.id, start);
    for (let h = 0.5; h < 12; h += 0.5)
      expect(await actorOf(one, s, new Date(start.getTime() + h * HOUR))).not.toBeNull();
    expect(await loadSessionActor(one, s, new Date(start.getTime() + 12 * HOUR))).toEqual({
      actor: null,
      ended: 'expired',
    });
  });

  it('write last seen at most once a minute', async () => {
    const c = await makeCompany(t.db);
    const start = new Date('2026-12-07T10:00:00Z');
    const s = await signedIn(one, c.member.id, start);
    await actorOf(one, s, new Date(start.getTime() + 30_000));
    expect(await lastSeen(s.sessionId)).toEqual(start);
    await actorOf(one, s, new Date(start.getTime() + 61_000));
    expect(await lastSeen(s.sessionId)).toEqual(new Date(start.getTime() + 61_000));
  });

  it('a session ended on one instance is refused on the other at once; the user’s others go on', async () => {
    const c = await makeCompany(t.db);
    const here = await signedIn(one, c.admin.id);
    const there = await signedIn(two, c.admin.id);
    expect(await actorOf(two, here)).not.toBeNull();
    await asSystem(one, 'sign-in', (tx) => endSession(tx, here.sessionId, new Date()));
    expect(await loadSessionActor(two, here)).toEqual({ actor: null, ended: 'ended' });
    expect(await actorOf(two, there)).not.toBeNull();
    expect(await endSessionsOf(one, c.admin.id, { now: new Date(), reason: 'deactivated' })).toBe(
      1,
    );
    expect(await actorOf(two, there)).toBeNull();
  });

  it('opens nothing for a session id of another user, a made-up id or none', async () => {
    const c = await makeCompany(t.db);
    const s = await signedIn(one, c.admin.id);
    expect(
      (await loadSessionActor(one, { userId: c.member.id, sessionId: s.sessionId })).actor,
    ).toBeNull();
    expect(
      (await loadSessionActor(one, { userId: c.admin.id, sessionId: crypto.randomUUID() })).actor,
    ).toBeNull();
    expect((await loadSessionActor(one, { userId: c.admin.id, sessionId: '' })).actor).toBeNull();
  });

  it('rows older than 30 days are pruned', async () => {
    const c = await makeCompany(t.db);
    const old = await signedIn(one, c.member.id, new Date(Date.now() - 31 * 24 * HOUR));
    const fresh = await signedIn(one, c.member.id);
    await pruneSessions(one, new Date());
    const left = await t.db
      .select({ id: sessions.id })
      .from(sessions)
      .where(eq(sessions.userId, c.member.id));
    expect(left.map((r) => r.id)).toEqual([fresh.sessionId]);
    void old;
  });
});
