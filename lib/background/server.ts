import type { Db } from '@/db/client';
import { log } from '@/lib/log';
import { NAME_SWEEP_EVERY_MS, sweepPendingNames } from '@/lib/order-types/name-sync';
import { ACCOUNT_SWEEP_EVERY_MS, sweepAccountRows } from '@/lib/people/password-reset';
import { startDeadlinesSweep } from '@/lib/scalepoint/deadlines/sweep';
import { startEventsReceiver } from '@/lib/scalepoint/events/receiver';
import { startScalepointSender } from '@/lib/scalepoint/outbound/sender';
import { startBackgroundInstance } from './instance';
import { startPeriodic } from './periodic';

/**
 * The server's background work, started once per process from instrumentation — `npm run dev`
 * and `npm start`, never `next build` — and stopped before the database closes
 * (docs/architecture.md, "Background work"). New background work is added here: leased work
 * (one instance at a time) through the process's BackgroundInstance, sweeps with startPeriodic.
 */
type Running = { stop(): Promise<void> };

// Next may call `register` more than once; a process-wide holder starts the work once.
const holder = globalThis as { __kladdeBackground?: Promise<Running | null> };

export function startBackground(getDb: () => Promise<Db>): Promise<Running | null> {
  holder.__kladdeBackground ??= (async () => {
    const db = await getDb();
    const instance = startBackgroundInstance({ db });
    const receiver = startEventsReceiver(db, instance);
    // The steps' outgoing events to Scalepoint (docs/events-api.md, "What Kladde sends").
    const sender = startScalepointSender(db, instance);
    const sweeps = [
      // Finishes an order type's rename that a crash left half done (docs/people.md).
      startPeriodic({
        name: 'name_sweep',
        everyMs: NAME_SWEEP_EVERY_MS,
        run: () => sweepPendingNames(db),
        atStart: true,
      }),
      // Reset mails lost with a process marked failed; old reset requests and sessions pruned.
      startPeriodic({
        name: 'account_sweep',
        everyMs: ACCOUNT_SWEEP_EVERY_MS,
        run: () => sweepAccountRows(db),
      }),
      // Re-dates a Gem frister left unfinished; the morning mail Forsinkede sager (docs/deadlines.md).
      startDeadlinesSweep(db),
    ];
    log.info('background.started', { owner: instance.owner, receiver: receiver !== null });
    return {
      async stop() {
        await Promise.all([receiver?.stop(), sender.stop(), ...sweeps.map((s) => s.stop())]);
        // Every lease given back, so another instance takes over at once.
        await instance.stop();
      },
    };
  })().catch((error: unknown) => {
    log.error('background.start_failed', {
      error: error instanceof Error ? error.name : 'unknown',
    });
    holder.__kladdeBackground = undefined;
    return null;
  });
  return holder.__kladdeBackground;
}

export async function stopBackground(): Promise<void> {
  const running = await holder.__kladdeBackground;
  holder.__kladdeBackground = undefined;
  await running?.stop();
}
