/** The background room's clocks (docs/architecture.md, "Background work"): back-off and an abortable wait. */

export const BACKOFF_START_MS = 1_000;
export const BACKOFF_MAX_MS = 60_000;

/** After the n-th failure in a row: 1 s, 2 s, 4 s … at most 60 s. */
export function backoffMs(failures: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** Math.max(0, failures - 1));
}

/** Resolves after `ms`, or at once when `signal` aborts (a stop never waits out a back-off). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
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
