import { startLeasedLoops } from '@/lib/background/leased-loops';
import type { Db } from '@/db/client';
import {
  startBackgroundInstance,
  DEFAULT_LEASE_MS,
  type BackgroundInstance,
} from '@/lib/background/instance';
import { backoffMs, sleep } from '@/lib/background/timing';
import { isDatabaseUnavailable } from '@/lib/db-errors';
import { log } from '@/lib/log';
import {
  advanceCursor,
  CursorMovedError,
  listActiveConnections,
  loadConnection,
  ModuleOffError,
  recordFailure,
  recordSuccess,
  type ActiveConnection,
  type PolledConnection,
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
 * below, inside `applyEvent`'s transaction), the move a compare-and-set. Which instance polls a
 * connection is a lease of the background room (job `events-receiver`, key the connection's id):
 * the room's supervisor of leased loops (lib/background/leased-loops.ts, shared with the sender)
 * takes the free ones in one statement, the heartbeat renews them all in one, and a lost lease
 * aborts its loop.
 *
 * The module off: its connections are not polled, and an event fetched in the seconds after it
 * was turned off is not consumed — its handler throws ModuleOffError, its transaction rolls back,
 * the cursor stays before it and the loop waits until the supervisor stops it.
 */

/** The background room's name for this work. */
export const RECEIVER_JOB = 'events-receiver';

/**
 * Handles one event completely: its effect (or its failure record) and `commit(tx)` in one
 * transaction. Throws only when nothing was stored (database unavailable, the cursor moved under
 * it, the module off: ModuleOffError — the event waits at Scalepoint).
 */
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
  /** The process's share of the background work; without one the poller starts its own (owner, leaseMs) and stops it with itself. */
  instance?: BackgroundInstance;
  /** Unique per process; the leases name it. Only without `instance`. */
  owner?: string;
  /** How often the supervisor re-reads the connections (a change takes effect within this). */
  refreshMs?: number;
  /** Only without `instance`. */
  leaseMs?: number;
  alertAfterMs?: number;
  /**
   * How long a loop waits before fetching again when an event found its module off (default
   * `refreshMs`: by then the supervisor has usually stopped the loop, or restarted it with the
   * module on again).
   */
  moduleOffWaitMs?: number;
  /** Ask the server to hold a receive call at most this long (the local Scalepoint honours it; tests). */
  waitSeconds?: number;
  clock?: () => Date;
};

export type Poller = {
  stop(): Promise<void>;
  /** Re-read the connections now. */ refresh(): Promise<void>;
};

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

export function startPoller(options: PollerOptions): Poller {
  const db = options.db;
  const instance =
    options.instance ??
    startBackgroundInstance({
      db,
      owner: options.owner,
      leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
    });
  const tokens = options.tokens ?? defaultTokenClient;
  const refreshMs = options.refreshMs ?? 5_000;
  const moduleOffWaitMs = options.moduleOffWaitMs ?? refreshMs;
  const clock = options.clock ?? (() => new Date());

  /** One receive call and its events; `polled.cursor` follows every committed event. */
  async function pollOnce(polled: PolledConnection, signal: AbortSignal): Promise<void> {
    const { keys } = polled;
    const call = async () =>
      receiveEvents({
        environment: keys.environment,
        tenant: keys.tenant,
        token: await tokens.getToken(keys),
        lastEventId: polled.cursor,
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
    const events = batch.events;
    let alone = 0;
    for (let i = 0; i < events.length;) {
      if (signal.aborted) return;
      const from = polled.cursor;
      if (options.applyBatch && alone === 0) {
        const done = await options.applyBatch(db, {
          companyId: polled.companyId,
          connectionId: keys.connectionId,
          events: events.slice(i),
          commit: (tx, to) => advanceCursor(tx, keys.connectionId, from, to),
          now: clock(),
        });
        if (done.applied > 0) {
          i += done.applied;
          polled.cursor = events[i - 1]!.id;
          continue;
        }
        alone = Math.max(1, done.alone);
      }
      const event = events[i]!;
      await options.applyEvent(db, {
        companyId: polled.companyId,
        connectionId: keys.connectionId,
        event,
        commit: (tx) => advanceCursor(tx, keys.connectionId, from, event.id),
        now: clock(),
      });
      polled.cursor = event.id;
      i += 1;
      if (alone > 0) alone -= 1;
    }
  }

  async function runConnection(connection: ActiveConnection, signal: AbortSignal): Promise<void> {
    let failures = 0;
    let polled: PolledConnection | null = null;
    while (!signal.aborted) {
      try {
        polled ??= await loadConnection(db, connection.id);
        if (!polled) return; // removed meanwhile; the next refresh releases its lease
        await pollOnce(polled, signal);
        failures = 0;
      } catch (e) {
        if (signal.aborted) break;
        // Someone else moved the cursor: read it again (a lost lease stops this loop meanwhile).
        if (e instanceof CursorMovedError) {
          polled = null;
          continue;
        }
        // The module went off after the events were fetched: the event's transaction rolled back,
        // the cursor is where `polled` has it. Not a failure (no error recorded, no alert): wait;
        // the supervisor stops this loop, and a new one starts from the cursor once it is on.
        if (e instanceof ModuleOffError) {
          failures = 0;
          log.info('scalepoint_events_module_off', {
            connectionId: connection.id,
            companyId: connection.companyId,
          });
          await sleep(moduleOffWaitMs, signal);
          continue;
        }
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
      }
    }
  }

  const loops = startLeasedLoops({
    job: RECEIVER_JOB,
    instance,
    ownsInstance: !options.instance,
    refreshMs,
    list: () => listActiveConnections(db),
    run: runConnection,
    logs: {
      refreshFailed: 'scalepoint_events_refresh_failed',
      loopCrashed: 'scalepoint_events_loop_crashed',
    },
    errorCode: errorCodeOf,
  });
  return { refresh: loops.refresh, stop: loops.stop };
}
