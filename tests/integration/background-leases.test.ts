import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backgroundLeases } from '@/db/schema';
import { startBackgroundInstance, type BackgroundInstance } from '@/lib/background/instance';
import { createTestDatabase, type TestDatabase } from '../support/db';

/**
 * The background room's leases (docs/architecture.md, "Background work") on a real database:
 * one holder per piece whoever races, every lease of an instance renewed by its heartbeat, a lost
 * lease reported, and everything given back at a stop.
 */
let t: TestDatabase;
const started: BackgroundInstance[] = [];

beforeAll(async () => {
  process.env.KLADDE_LOG = process.env.DEBUG_LOG ? '' : 'silent';
  t = await createTestDatabase({ max: 8 });
});
afterAll(async () => {
  await Promise.all(started.map((i) => i.stop()));
  await t?.close();
});

function instance(owner: string, leaseMs = 30_000) {
  const i = startBackgroundInstance({ db: t.db, owner, leaseMs });
  started.push(i);
  return i;
}

const rowsOf = (job: string) =>
  t.db
    .select({
      key: backgroundLeases.key,
      owner: backgroundLeases.owner,
      expiresAt: backgroundLeases.expiresAt,
    })
    .from(backgroundLeases)
    .where(eq(backgroundLeases.job, job));

async function until<T>(what: () => Promise<T> | T, ok: (v: T) => boolean, ms = 5_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out; last ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('background leases', () => {
  it('gives each piece one holder when two instances claim the same pieces at once', async () => {
    const keys = Array.from({ length: 300 }, (_, i) => `piece-${i}`);
    const a = instance('race-a');
    const b = instance('race-b');
    const [gotA, gotB] = await Promise.all([a.claim('race', keys), b.claim('race', keys)]);
    expect(new Set([...gotA, ...gotB])).toEqual(new Set(keys));
    expect(gotA.filter((k) => gotB.includes(k))).toEqual([]);
    const rows = await rowsOf('race');
    expect(rows).toHaveLength(300);
    for (const row of rows) expect(gotA.includes(row.key) ? 'race-a' : 'race-b').toBe(row.owner);
    // Claiming again renews what one holds and takes nothing of the other's.
    expect((await a.claim('race', keys)).sort()).toEqual([...gotA].sort());
    expect(a.held('race').sort()).toEqual([...gotA].sort());
  });

  it('renews every lease of an instance, of every job, with its heartbeat', async () => {
    const a = instance('beat-a', 900);
    const keys = Array.from({ length: 500 }, (_, i) => `k-${i}`);
    await a.claim('beat-one', keys);
    await a.claim('beat-two', ['']);
    const before = new Map((await rowsOf('beat-one')).map((r) => [r.key, r.expiresAt.getTime()]));
    // Past the first lease period: every row still this instance's, each expiry moved on.
    await new Promise((r) => setTimeout(r, 1_200));
    const after = await rowsOf('beat-one');
    expect(after).toHaveLength(500);
    for (const row of after) {
      expect(row.owner).toBe('beat-a');
      expect(row.expiresAt.getTime()).toBeGreaterThan(before.get(row.key)!);
      expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now());
    }
    expect((await rowsOf('beat-two'))[0]).toMatchObject({ owner: 'beat-a' });
    // Another instance cannot take a lease that is renewed.
    expect(await instance('beat-b').claim('beat-one', keys)).toEqual([]);
  });

  it('reports a lease another instance took after it ran out, and keeps the rest', async () => {
    const a = instance('lost-a', 600);
    await a.claim('lost', ['one', 'two']);
    const lost: string[] = [];
    a.onLost((job, key) => lost.push(`${job}/${key}`));
    // As if a's heartbeat had stalled past the lease: b finds 'one' run out and takes it.
    await t.db
      .update(backgroundLeases)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(and(eq(backgroundLeases.job, 'lost'), eq(backgroundLeases.key, 'one')));
    expect(await instance('lost-b').claim('lost', ['one', 'two'])).toEqual(['one']);
    await until(
      () => lost,
      (l) => l.length > 0,
    );
    expect(lost).toEqual(['lost/one']);
    expect(a.held('lost')).toEqual(['two']);
  });

  it('gives every lease back at a stop, so another instance takes over at once', async () => {
    const a = instance('stop-a');
    await a.claim('stop', ['x', 'y']);
    await a.claim('stop-other', ['z']);
    await a.stop();
    expect(await rowsOf('stop')).toEqual([]);
    expect(await rowsOf('stop-other')).toEqual([]);
    expect(await a.claim('stop', ['x'])).toEqual([]);
    expect(await instance('stop-b').claim('stop', ['x', 'y'])).toEqual(['x', 'y']);
  });
});
