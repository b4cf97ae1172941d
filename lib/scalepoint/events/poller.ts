import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Db } from '@/db/client';
import { isDatabaseUnavailable } from '@/lib/db-errors';
import { log } from '@/lib/log';
import {
  acquireLease,
  advanceCursor,
  LeaseLostError,
  listActiveConnections,
  recordFailure,
  recordSuccess,
  releaseLease,
  renewLease,
  type ActiveConnection,
  type LeasedConnection,
} from './poller-state';
import { receiveEvents, ReceiveError, type ScalepointEvent } from './receive-client';
import { defaultTokenClient, TokenError, type TokenClient } from './token';

/**
 * The Events API receiver (docs/events-api.md, "The receiver"): one long-poll loop per active
 * connection. A supervisor re-reads the connections from the database every few seconds (the
 * server actions and this loop share no memory in `next dev`), starts a loop for each new one,
 * and aborts a loop — its long poll in progress too — when its connection or module changes or
 * goes away; the new loop starts with a fresh back-off.
 *
 * Exactly once: each event's effect and the cursor move commit in one transaction (`commit`
 * below, inside `applyEvent`'s transaction). A lease row with a heartbeat lets one instance at a
 * time poll a connection.
 */

/** Handles one event completely: its effect (or its failure record) and `commit(tx)` in one transaction. Throws only when nothing was stored (database unavailable, lease lost). */
export type ApplyEvent = (
  db: Db,
  input: {
    companyId: string;
    connectionId: string;
    event: ScalepointEvent;
    commit: (tx: Db) => Promise<void>;
    /** The poller's clock, read as the event arrives. */
    now?: Date;
  },
) => Promise<void>;

/**
 * Handles the leading events of `events` together, their effects and `commit(tx, lastId)` in one
 * transaction; returns how many it applied, or (applied 0) how many the caller should hand to
 * ApplyEvent one at a time before trying a batch again. Throws only when nothing was stored.
 */
export type ApplyEventBatch = (
  db: Db,
  input: {
    companyId: string;
    connectionId: string;
    events: readonly ScalepointEvent[];
    commit: (tx: Db, to: string) => Promise<void>;
    now?: Date;
  },
) => Promise<{ applied: number; alone: number }>;

/** Called when a connection has failed without a success for `alertAfterMs`; sends at most one alert a day per connection. */
export type AlertFailing = (
  db: Db,
  input: { connectionId: string; companyId: string; code: string; failingSince: Date },
) => Promise<void>;

export type PollerOptions = {
  db: Db;
  applyEvent: ApplyEvent;
  /** A backlog in fewer transactions (docs/events-api.md, "Draining a backlog"); without it, one event per transaction. */
  applyBatch?: ApplyEventBatch;
  alertFailing?: AlertFailing;
  tokens?: TokenClient;
  /** Unique per process; the lease names it. */
  owner?: string;
  /** How often the supervisor re-reads the connections (a change takes effect within this). */
  refreshMs?: number;
  leaseMs?: number;
  alertAfterMs?: number;
  /** Ask the server to hold a receive call at most this long (the local Scalepoint honours it; tests). */
  waitSeconds?: number;
  clock?: () => Date;
};

export type Poller = {
  stop(): Promise<void>;
  /** Re-read the connections now. */ refresh(): Promise<void>;
};

export const BACKOFF_START_MS = 1_000;
export const BACKOFF_MAX_MS = 60_000;

/** 1 s, 2 s, 4 s … at most 60 s. */
export function backoffMs(failures: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** Math.max(0, failures - 1));
}

/** The machine code stored on the connection for a failed call; the pages word it in Danish. */
export function errorCodeOf(e: unknown): string {
  if (e instanceof TokenError)
    return e.code === 'unreachable'
      ? 'unreachable'
      : e.code === 'invalid_client'
        ? 'invalid_client'
        : 'token_refused';
  if (e instanceof ReceiveError)
    return e.kind === 'unavailable'
      ? 'unreachable'
      : e.kind === 'not_found'
        ? 'unknown_tenant'
        : e.kind === 'unauthorized'
          ? 'unauthorized'
          : 'bad_response';
  if (isDatabaseUnavailable(e)) return 'database_unavailable';
  return 'internal_error';
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export function startPoller(options: PollerOptions): Poller {
  const db = options.db;
  const owner = options.owner ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const tokens = options.tokens ?? defaultTokenClient;
  const refreshMs = options.refreshMs ?? 5_000;
  const leaseMs = options.leaseMs ?? 30_000;
  const clock = options.clock ?? (() => new Date());
  const workers = new Map<
    string,
    { generation: string; controller: AbortController; done: Promise<void> }
  >();
  const stopping = new AbortController();

  async function pollOnce(leased: LeasedConnection, signal: AbortSignal): Promise<void> {
    const { keys } = leased;
    const call = async () =>
      receiveEvents({
        environment: keys.environment,
        tenant: keys.tenant,
        token: await tokens.getToken(keys),
        lastEventId: leased.cursor,
        signal,
        waitSeconds: options.waitSeconds,
      });
    let batch;
    try {
      batch = await call();
    } catch (e) {
      // A 401 from the API: the cached token is no good; drop it and try once more.
      if (!(e instanceof ReceiveError && e.kind === 'unauthorized')) throw e;
      tokens.drop(keys.connectionId);
      batch = await call();
    }
    await recordSuccess(db, keys.connectionId, clock());
    let cursor = leased.cursor;
    const events = batch.events;
    let alone = 0;
    for (let i = 0; i < events.length;) {
      if (signal.aborted) return;
      const from = cursor;
      if (options.applyBatch && alone === 0) {
        const done = await options.applyBatch(db, {
          companyId: leased.companyId,
          connectionId: keys.connectionId,
          events: events.slice(i),
          commit: (tx, to) => advanceCursor(tx, keys.connectionId, owner, from, to),
          now: clock(),
        });
        if (done.applied > 0) {
          i += done.applied;
          cursor = events[i - 1]!.id;
          continue;
        }
        alone = Math.max(1, done.alone);
      }
      const event = events[i]!;
      await options.applyEvent(db, {
        companyId: leased.companyId,
        connectionId: keys.connectionId,
        event,
        commit: (tx) => advanceCursor(tx, keys.connectionId, owner, from, event.id),
        now: clock(),
      });
      cursor = event.id;
      i += 1;
      if (alone > 0) alone -= 1;
    }
  }

  async function runConnection(connection: ActiveConnection, signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let leased: LeasedConnection | null = null;
      let heartbeat: NodeJS.Timeout | undefined;
      const call = new AbortController();
      const callSignal = AbortSignal.any([signal, call.signal]);
      try {
        leased = await acquireLease(db, connection.id, owner, leaseMs);
        if (!leased) {
          // Another instance polls this connection; look again when its lease may have run out.
          await sleep(refreshMs, signal);
          continue;
        }
        heartbeat = setInterval(
          () => {
            renewLease(db, connection.id, owner, leaseMs).then(
              (held) => held || call.abort(new LeaseLostError()),
              () => call.abort(new LeaseLostError()),
            );
          },
          Math.max(1_000, Math.floor(leaseMs / 3)),
        );
        await pollOnce(leased, callSignal);
        failures = 0;
      } catch (e) {
        if (signal.aborted) break;
        if (e instanceof LeaseLostError || call.signal.aborted) continue;
        failures += 1;
        const code = errorCodeOf(e);
        log.warn('scalepoint_events_poll_failed', {
          connectionId: connection.id,
          companyId: connection.companyId,
          code,
          failures,
        });
        try {
          const { failingSince } = await recordFailure(db, connection.id, code, clock());
          const alertAfter = options.alertAfterMs;
          if (
            options.alertFailing &&
            alertAfter !== undefined &&
            clock().getTime() - failingSince.getTime() >= alertAfter
          ) {
            await options.alertFailing(db, {
              connectionId: connection.id,
              companyId: connection.companyId,
              code,
              failingSince,
            });
          }
        } catch (recordError) {
          log.error('scalepoint_events_record_failed', {
            connectionId: connection.id,
            code: errorCodeOf(recordError),
          });
        }
        await sleep(backoffMs(failures), signal);
      } finally {
        if (heartbeat) clearInterval(heartbeat);
      }
    }
    await releaseLease(db, connection.id, owner).catch(() => {});
  }

  function start(connection: ActiveConnection) {
    const controller = new AbortController();
    const done = runConnection(
      connection,
      AbortSignal.any([controller.signal, stopping.signal]),
    ).catch((e) => {
      log.error('scalepoint_events_loop_crashed', {
        connectionId: connection.id,
        code: errorCodeOf(e),
      });
    });
    workers.set(connection.id, { generation: connection.generation, controller, done });
  }

  let refreshing: Promise<void> | null = null;
  async function refreshNow(): Promise<void> {
    if (stopping.signal.aborted) return;
    let active: ActiveConnection[];
    try {
      active = await listActiveConnections(db);
    } catch (e) {
      log.warn('scalepoint_events_refresh_failed', { code: errorCodeOf(e) });
      return;
    }
    const seen = new Set<string>();
    for (const connection of active) {
      seen.add(connection.id);
      const worker = workers.get(connection.id);
      if (worker?.generation === connection.generation) continue;
      if (worker) {
        // Changed connection or module: abort its long poll now and start over with a fresh back-off.
        worker.controller.abort();
        await worker.done;
      }
      start(connection);
    }
    for (const [id, worker] of workers) {
      if (seen.has(id)) continue;
      worker.controller.abort();
      workers.delete(id);
    }
  }
  const refresh = () => (refreshing ??= refreshNow().finally(() => (refreshing = null)));

  void refresh();
  const timer = setInterval(() => void refresh(), refreshMs);
  timer.unref?.();

  return {
    refresh,
    async stop() {
      clearInterval(timer);
      stopping.abort();
      await refreshing;
      await Promise.all([...workers.values()].map((w) => w.done));
      workers.clear();
    },
  };
}
