import { startLeasedLoops } from '@/lib/background/leased-loops';
import type { Db } from '@/db/client';
import {
  DEFAULT_LEASE_MS,
  startBackgroundInstance,
  type BackgroundInstance,
} from '@/lib/background/instance';
import { sleep } from '@/lib/background/timing';
import { resendMailer } from '@/lib/email';
import { env } from '@/lib/env';
import { errorFields, log } from '@/lib/log';
import { connectionAlerter } from '../events/alert-mail';
import {
  listActiveConnections,
  loadConnection,
  type ActiveConnection,
  type PolledConnection,
} from '../events/poller-state';
import { errorCodeOf, type AlertFailing } from '../events/poller';
import { defaultTokenClient, TokenError, type TokenClient } from '../events/token';
import { sendEvent, type SendOutcome } from './send-client';
import {
  claimRow,
  failOrphans,
  markClosed,
  markFailed,
  markRetry,
  markSent,
  dueConnections,
  pickDue,
  type DueRow,
} from './sender-state';

/**
 * The Events API sender (docs/events-api.md, "The sender"), a job of the background room: one
 * loop per active connection whose lease this instance holds (job `scalepoint-sender`, key the
 * connection's id), like the receiver. A loop with nothing to send waits; every `pollMs` one
 * statement asks which of the instance's waiting connections have due rows (`dueConnections`) and
 * wakes those. An awake loop reads its due rows, oldest first and only the first undelivered row
 * of each case — up to `inFlight` of them (each of another case) at once — claims each row
 * (a conditional update: two instances never send one row at once) and sends it with the
 * connection's token. 2xx → sent; 401 → the token dropped and one more try, a second 401 →
 * Fejlet; 408/429/5xx/network → back-off (1 s doubling, at most 5 min) until the 72-hour window
 * ends → Fejlet (expired); any other answer → Fejlet (rejected, with the status).
 */

export const SENDER_JOB = 'scalepoint-sender';
export const SEND_WINDOW_MS = 72 * 60 * 60 * 1000;
export const SEND_BACKOFF_START_MS = 1_000;
export const SEND_BACKOFF_MAX_MS = 5 * 60 * 1000;

export type SenderOptions = {
  db: Db;
  tokens?: TokenClient;
  /** The process's share of the background work; without one the sender starts its own. */
  instance?: BackgroundInstance;
  /** Only without `instance`. */
  owner?: string;
  /** Only without `instance`. */
  leaseMs?: number;
  /** How often the supervisor re-reads the connections (default 2 s). */
  refreshMs?: number;
  /** How often a loop asks for due rows when it found none (default 300 ms). */
  pollMs?: number;
  batchSize?: number;
  /** Sends at once per connection, each of another case (default 8). */
  inFlight?: number;
  backoffStartMs?: number;
  backoffMaxMs?: number;
  /** How long an event is retried from its first try (default 72 h; module-off time excluded). */
  windowMs?: number;
  /** How long a claimed row stays with its sender before it is due again (a crash mid-send). */
  inFlightMs?: number;
  requestTimeoutMs?: number;
  alertFailing?: AlertFailing;
  alertAfterMs?: number;
  clock?: () => Date;
  fetch?: typeof fetch;
};

export type Sender = {
  stop(): Promise<void>;
  /** Re-read the connections now. */
  refresh(): Promise<void>;
};

export function sendBackoffMs(attempts: number, startMs: number, maxMs: number): number {
  return Math.min(maxMs, startMs * 2 ** Math.max(0, attempts - 1));
}

export function startSender(options: SenderOptions): Sender {
  const db = options.db;
  const instance =
    options.instance ??
    startBackgroundInstance({
      db,
      owner: options.owner,
      leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
    });
  const tokens = options.tokens ?? defaultTokenClient;
  const clock = options.clock ?? (() => new Date());
  const refreshMs = options.refreshMs ?? 2_000;
  const pollMs = options.pollMs ?? 300;
  const batchSize = options.batchSize ?? 20;
  const inFlight = options.inFlight ?? 8;
  const backoffStart = options.backoffStartMs ?? SEND_BACKOFF_START_MS;
  const backoffMax = options.backoffMaxMs ?? SEND_BACKOFF_MAX_MS;
  const windowMs = options.windowMs ?? SEND_WINDOW_MS;
  const requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
  const inFlightMs = options.inFlightMs ?? requestTimeoutMs * 2 + 30_000;
  /** connection → since when its sends fail without a success (the alert mail). */
  const failingSince = new Map<string, Date>();

  /** The loops with nothing to send, each waiting to be woken by the poll of `dueConnections`. */
  const waiting = new Map<string, () => void>();
  function waitForDue(connectionId: string, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const wake = () => {
        if (waiting.get(connectionId) === wake) waiting.delete(connectionId);
        signal.removeEventListener('abort', wake);
        resolve();
      };
      waiting.set(connectionId, wake);
      signal.addEventListener('abort', wake, { once: true });
    });
  }
  let polling = false;
  async function pollWaiting(): Promise<void> {
    if (polling || waiting.size === 0 || stopping.aborted) return;
    polling = true;
    try {
      for (const id of await dueConnections(db, [...waiting.keys()], clock())) waiting.get(id)?.();
    } catch (e) {
      log.warn('scalepoint_send_poll_failed', { code: errorCodeOf(e) });
    } finally {
      polling = false;
    }
  }
  const poller = setInterval(() => void pollWaiting(), pollMs);
  poller.unref?.();

  async function post(polled: PolledConnection, row: DueRow, signal: AbortSignal) {
    const { keys } = polled;
    const once = async (): Promise<SendOutcome> =>
      sendEvent({
        environment: keys.environment,
        tenant: keys.tenant,
        token: await tokens.getToken(keys),
        body: row.body,
        signal,
        timeoutMs: requestTimeoutMs,
        fetch: options.fetch,
      });
    const first = await once();
    if (first.kind !== 'unauthorized') return first;
    // The cached token is no good: drop it, and one more try with a new one.
    tokens.drop(keys.connectionId);
    return once();
  }

  async function failed(connection: ActiveConnection, code: string) {
    const now = clock();
    const since = failingSince.get(connection.id) ?? now;
    failingSince.set(connection.id, since);
    const after = options.alertAfterMs;
    if (!options.alertFailing || after === undefined || now.getTime() - since.getTime() < after)
      return;
    await options
      .alertFailing(db, {
        connectionId: connection.id,
        companyId: connection.companyId,
        code,
        failingSince: since,
      })
      .catch((e: unknown) => log.warn('scalepoint_send_alert_failed', errorFields(e)));
  }

  async function sendRow(
    connection: ActiveConnection,
    polled: PolledConnection,
    row: DueRow,
    signal: AbortSignal,
  ) {
    if (row.closed) return markClosed(db, row.id);
    const claim = await claimRow(db, row.id, clock(), inFlightMs, windowMs);
    if (!claim) return;
    let outcome: SendOutcome | { kind: 'token'; code: string };
    try {
      outcome = await post(polled, row, signal);
    } catch (e) {
      if (signal.aborted) return; // stopping: the claim runs out and the row is due again
      if (!(e instanceof TokenError)) throw e;
      outcome = { kind: 'token', code: errorCodeOf(e) };
    }
    const now = clock();
    const fields = { connectionId: connection.id, outboxId: row.id, attempts: claim.attempts };
    switch (outcome.kind) {
      case 'sent':
        await markSent(db, row.id, outcome.status, now);
        failingSince.delete(connection.id);
        log.info('scalepoint_event_sent', fields);
        return;
      case 'unauthorized':
        await markFailed(db, row.id, claim.attempts, 'unauthorized', 401);
        log.warn('scalepoint_event_failed', { ...fields, reason: 'unauthorized' });
        return failed(connection, 'unauthorized');
      case 'rejected':
        await markFailed(db, row.id, claim.attempts, 'rejected', outcome.status);
        log.warn('scalepoint_event_failed', {
          ...fields,
          reason: 'rejected',
          status: outcome.status,
        });
        return failed(connection, 'bad_response');
      case 'retry':
      case 'token': {
        const code = outcome.kind === 'token' ? outcome.code : 'unreachable';
        const status = outcome.kind === 'retry' ? outcome.status : null;
        if (now.getTime() >= claim.retryUntil.getTime()) {
          await markFailed(db, row.id, claim.attempts, 'expired', status);
          log.warn('scalepoint_event_failed', { ...fields, reason: 'expired', status });
        } else {
          const wait = sendBackoffMs(claim.attempts, backoffStart, backoffMax);
          await markRetry(db, row.id, claim.attempts, code, status, new Date(now.getTime() + wait));
          log.info('scalepoint_event_retry', { ...fields, code, status, waitMs: wait });
        }
        return failed(connection, code);
      }
    }
  }

  async function runConnection(connection: ActiveConnection, signal: AbortSignal): Promise<void> {
    let polled: PolledConnection | null = null;
    let errors = 0;
    while (!signal.aborted) {
      try {
        polled ??= await loadConnection(db, connection.id);
        if (!polled) return; // removed meanwhile; the next refresh releases its lease
        const rows = await pickDue(db, connection.id, clock(), batchSize);
        errors = 0;
        if (rows.length === 0) {
          await waitForDue(connection.id, signal);
          continue;
        }
        // The due rows are each the first undelivered one of its case, so they may go at once:
        // up to `inFlight` sends together, each case still in order.
        const queue = [...rows];
        const sendErrors: unknown[] = [];
        const lane = async () => {
          for (let row = queue.shift(); row && !signal.aborted; row = queue.shift())
            await sendRow(connection, polled!, row, signal).catch((e: unknown) =>
              sendErrors.push(e),
            );
        };
        await Promise.all(Array.from({ length: Math.min(inFlight, rows.length) }, lane));
        if (sendErrors.length) throw sendErrors[0];
      } catch (e) {
        if (signal.aborted) break;
        errors += 1;
        log.warn('scalepoint_send_loop_failed', {
          connectionId: connection.id,
          code: errorCodeOf(e),
          errors,
        });
        await sleep(sendBackoffMs(errors, backoffStart, 60_000), signal);
      }
    }
  }

  const loops = startLeasedLoops({
    job: SENDER_JOB,
    instance,
    ownsInstance: !options.instance,
    refreshMs,
    // The sweep of rows whose connection is gone, then the active connections (module on).
    beforeList: () => failOrphans(db),
    list: () => listActiveConnections(db),
    run: runConnection,
    logs: {
      refreshFailed: 'scalepoint_send_refresh_failed',
      loopCrashed: 'scalepoint_send_loop_crashed',
    },
    errorCode: errorCodeOf,
  });
  const stopping = loops.stopping;

  return {
    refresh: loops.refresh,
    async stop() {
      clearInterval(poller);
      await loops.stop();
    },
  };
}

/** The server's sender (lib/background/server.ts), on the process's leases, with the alert mail. */
export function startScalepointSender(db: Db, instance: BackgroundInstance): Sender {
  return startSender({
    db,
    instance,
    alertFailing: connectionAlerter(resendMailer),
    alertAfterMs: env().scalepointAlertAfterSeconds * 1000,
  });
}
