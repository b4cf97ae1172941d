import type { Db } from '@/db/client';
import { startPeriodic, type Periodic } from '@/lib/background/periodic';
import { resendMailer, type Mailer } from '@/lib/email';
import { errorFields, log } from '@/lib/log';
import { lateMailer } from './late-mail';
import { finishPendingRedates } from './redate';

export const DEADLINES_SWEEP_EVERY_MS = 60_000;

/**
 * The deadlines sweep (docs/deadlines.md), a sweep of the background room on every instance:
 * each minute it finishes the re-dates a Gem frister left unfinished (redate.ts), then sends the
 * day's morning mails that are due (late-mail.ts). Both are idempotent, so two instances sweeping
 * at once do no harm; a failure of the first does not keep the second from running.
 */
export function startDeadlinesSweep(
  db: Db,
  options: { everyMs?: number; mailer?: Mailer; now?: () => Date } = {},
): Periodic {
  const sendLateMails = lateMailer(options.mailer ?? resendMailer, options.now);
  return startPeriodic({
    name: 'deadlines_sweep',
    everyMs: options.everyMs ?? DEADLINES_SWEEP_EVERY_MS,
    atStart: true,
    run: async () => {
      try {
        await finishPendingRedates(db);
      } catch (e) {
        log.warn('background.deadlines_redate_failed', errorFields(e));
      }
      await sendLateMails(db);
    },
  });
}
