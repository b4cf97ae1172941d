import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Db } from '@/db/client';
import { errorFields, log } from '@/lib/log';
import { claimLeases, releaseLeases, renewLeases } from './leases';

/**
 * One process's share of the background work (docs/architecture.md, "Background work"): its
 * name, the leases it holds, and one heartbeat that renews all of them with one statement per
 * period, whatever the number of jobs and pieces. A job asks for the pieces it wants (`claim`),
 * does the work of those it got, and is told when one is lost (`onLost`) — taken over by another
 * instance after this one's lease ran out, or not renewed for a whole lease period (the database
 * away). `stop` gives every lease back, so another instance takes over at once.
 */
export type BackgroundInstance = {
  /** host:pid:random; the lease rows name it. */
  readonly owner: string;
  readonly leaseMs: number;
  /** Takes the free or run-out leases among `keys` of `job` (one statement); returns the keys held now. */
  claim(job: string, keys: readonly string[]): Promise<string[]>;
  /** Gives up leases this instance no longer needs. */
  release(job: string, keys: readonly string[]): Promise<void>;
  /** The keys of `job` this instance holds, as of its last statement. */
  held(job: string): string[];
  /** Called for each lease lost; returns the unsubscribe. */
  onLost(listener: (job: string, key: string) => void): () => void;
  /** Stops the heartbeat and releases every lease (one statement). */
  stop(): Promise<void>;
};

export type BackgroundInstanceOptions = {
  db: Db;
  owner?: string;
  /** How long a lease lasts without renewal; the heartbeat renews every third of it. */
  leaseMs?: number;
  clock?: () => number;
};

export const DEFAULT_LEASE_MS = 30_000;

const id = (job: string, key: string) => `${job}\u0000${key}`;

export function startBackgroundInstance(options: BackgroundInstanceOptions): BackgroundInstance {
  const { db } = options;
  const owner = options.owner ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const clock = options.clock ?? (() => Date.now());
  /** job → key → when the lease was last confirmed (the clock's ms). */
  const leases = new Map<string, Map<string, number>>();
  const listeners = new Set<(job: string, key: string) => void>();
  let stopped = false;

  const of = (job: string) => {
    let keys = leases.get(job);
    if (!keys) leases.set(job, (keys = new Map()));
    return keys;
  };
  function lose(job: string, key: string) {
    if (!leases.get(job)?.delete(key)) return;
    log.info('background.lease_lost', { job, key });
    for (const listener of listeners) listener(job, key);
  }

  async function heartbeat() {
    if (stopped) return;
    const startedAt = clock();
    try {
      const rows = await renewLeases(db, owner, leaseMs);
      const still = new Set(rows.map((r) => id(r.job, r.key)));
      for (const [job, keys] of leases)
        for (const key of [...keys.keys()]) {
          if (still.has(id(job, key))) keys.set(key, startedAt);
          // A lease confirmed by a claim after this heartbeat was sent is not lost.
          else if (keys.get(key)! < startedAt) lose(job, key);
        }
    } catch (e) {
      log.warn('background.heartbeat_failed', errorFields(e));
      // Not renewed for a whole period: another instance may hold them by now.
      for (const [job, keys] of leases)
        for (const [key, confirmedAt] of [...keys])
          if (startedAt - confirmedAt >= leaseMs) lose(job, key);
    }
  }
  let beating: Promise<void> | null = null;
  const timer = setInterval(
    () => {
      beating ??= heartbeat().finally(() => (beating = null));
    },
    Math.max(200, Math.floor(leaseMs / 3)),
  );
  timer.unref?.();

  return {
    owner,
    leaseMs,
    async claim(job, keys) {
      if (stopped) return [];
      const at = clock();
      const got = await claimLeases(db, { job, keys, owner, leaseMs });
      const mine = of(job);
      for (const key of got) mine.set(key, at);
      // Asked for and not granted: another instance holds it (and this one no longer does).
      const granted = new Set(got);
      for (const key of keys) if (!granted.has(key)) lose(job, key);
      return got;
    },
    async release(job, keys) {
      for (const key of keys) leases.get(job)?.delete(key);
      await releaseLeases(db, owner, { job, keys });
    },
    held: (job) => [...(leases.get(job)?.keys() ?? [])],
    onLost(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await beating;
      leases.clear();
      await releaseLeases(db, owner).catch((e: unknown) =>
        log.warn('background.release_failed', errorFields(e)),
      );
    },
  };
}
