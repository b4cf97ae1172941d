import type { Db } from '@/db/client';
import type { BackgroundInstance } from '@/lib/background/instance';
import { resendMailer } from '@/lib/email';
import { env } from '@/lib/env';
import { connectionAlerter } from './alert-mail';
import { applyEvent, applyEventBatch } from './apply-event';
import { startPoller, type Poller } from './poller';

/**
 * The server's Events API receiver (docs/events-api.md, "The receiver"), one of the background
 * room's jobs (lib/background/server.ts): the poller with the intake's event handlers and the
 * alert mail, on the process's leases. Null when SCALEPOINT_POLLER=off.
 */
export function startEventsReceiver(db: Db, instance: BackgroundInstance): Poller | null {
  const e = env();
  if (e.scalepointPoller === 'off') return null;
  return startPoller({
    db,
    instance,
    applyEvent,
    applyBatch: applyEventBatch,
    alertFailing: connectionAlerter(resendMailer),
    alertAfterMs: e.scalepointAlertAfterSeconds * 1000,
  });
}
