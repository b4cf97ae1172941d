import { errorFields, log } from '@/lib/log';

/**
 * Work that every instance does now and then, each run idempotent (a sweep): no lease, since two
 * instances sweeping the same rows do no harm. One run at a time; a failed run is a warning and
 * the next one comes at its time. `stop` waits for a run in progress.
 */
export type Periodic = { stop(): Promise<void> };

export function startPeriodic(input: {
  /** For the log: `background.<name>_failed`. */
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
  /** Run once at the start too, not only after the first period. */
  atStart?: boolean;
}): Periodic {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (stopped || running) return;
    running = input
      .run()
      .then(
        () => undefined,
        (e: unknown) => log.warn(`background.${input.name}_failed`, errorFields(e)),
      )
      .finally(() => (running = null));
  };
  const timer = setInterval(tick, input.everyMs);
  timer.unref?.();
  if (input.atStart) tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
