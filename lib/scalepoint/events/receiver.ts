import type { Db } from '@/db/client';
import { resendMailer } from '@/lib/email';
import { env } from '@/lib/env';
import { log } from '@/lib/log';
import { connectionAlerter } from './alert-mail';
import { applyEvent, applyEventBatch } from './apply-event';
import { startPoller, type Poller } from './poller';

/**
 * Starts this process's Events API receiver once (docs/events-api.md, "The receiver"). Called
 * from instrumentation when the server starts — `npm run dev` and `npm start` — never during
 * `next build`; Next may call `register` more than once, so a process-wide flag guards it.
 */
const holder = globalThis as { __kladdeEventsReceiver?: Promise<Poller | null> };

export function startEventsReceiver(getDb: () => Promise<Db>): Promise<Poller | null> {
  holder.__kladdeEventsReceiver ??= (async () => {
    const e = env();
    if (e.scalepointPoller === 'off') return null;
    const db = await getDb();
    const poller = startPoller({
      db,
      applyEvent,
      applyBatch: applyEventBatch,
      alertFailing: connectionAlerter(resendMailer),
      alertAfterMs: e.scalepointAlertAfterSeconds * 1000,
    });
    log.info('scalepoint_events_receiver_started', {});
    return poller;
  })().catch((error) => {
    log.error('scalepoint_events_receiver_failed', {
      error: error instanceof Error ? error.name : 'unknown',
    });
    holder.__kladdeEventsReceiver = undefined;
    return null;
  });
  return holder.__kladdeEventsReceiver;
}

/** Stops the receiver (releasing its leases, so another instance takes over at once). */
export async function stopEventsReceiver(): Promise<void> {
  const poller = await holder.__kladdeEventsReceiver;
  holder.__kladdeEventsReceiver = undefined;
  await poller?.stop();
}
