import { log } from '@/lib/log';
import type { BackgroundInstance } from './instance';

/**
 * Leased work's supervisor (docs/architecture.md, "Background work"): one loop per leased piece
 * of a job, on this instance only while it holds the piece's lease. The Events API receiver (a
 * long poll per connection) and the outbound sender (a send loop per connection) both run on it.
 *
 * Every `refreshMs` (and on `refresh()`): `list()` reads the pieces that should run (one
 * statement); a loop whose piece is gone or whose generation changed is stopped (a changed
 * connection or module starts over, with a fresh back-off); the leases of gone pieces are given
 * back; one statement claims the free leases among the rest, and a loop starts for each got. A
 * lease lost (taken over, or not renewed in time) aborts its loop at once. `stop()` stops every
 * loop, waits for them, and gives the job's leases back (or stops the instance when it is the
 * supervisor's own), so another instance takes over at once.
 */
export type LeasedPiece = { id: string; generation: string };

export type LeasedLoops = {
  /** Re-read the pieces now (one refresh at a time; a call during one waits for it). */
  refresh(): Promise<void>;
  stop(): Promise<void>;
  /** Aborted once `stop()` began. */
  readonly stopping: AbortSignal;
};

export function startLeasedLoops<P extends LeasedPiece>(options: {
  job: string;
  instance: BackgroundInstance;
  /** The instance is this supervisor's own: `stop()` stops it (else it releases the job's leases). */
  ownsInstance: boolean;
  refreshMs: number;
  /** The pieces that should run now. */
  list: () => Promise<P[]>;
  /** Work of the job's own before each listing (the sender's sweep of orphaned rows). */
  beforeList?: () => Promise<unknown>;
  /** One piece's loop, until `signal` aborts; a throw ends the loop (logged) until the next refresh. */
  run: (piece: P, signal: AbortSignal) => Promise<void>;
  /** Log event names: a refresh that failed, a loop that threw. */
  logs: { refreshFailed: string; loopCrashed: string };
  errorCode: (e: unknown) => string;
}): LeasedLoops {
  const { job, instance } = options;
  const loops = new Map<
    string,
    { generation: string; controller: AbortController; done: Promise<void> }
  >();
  const stopping = new AbortController();

  const stopListening = instance.onLost((lostJob, key) => {
    if (lostJob !== job) return;
    const loop = loops.get(key);
    if (!loop) return;
    loop.controller.abort();
    loops.delete(key);
  });

  function start(piece: P) {
    const controller = new AbortController();
    const done = options
      .run(piece, AbortSignal.any([controller.signal, stopping.signal]))
      .catch((e: unknown) => {
        log.error(options.logs.loopCrashed, { key: piece.id, code: options.errorCode(e) });
      });
    loops.set(piece.id, { generation: piece.generation, controller, done });
  }

  let refreshing: Promise<void> | null = null;
  async function refreshNow(): Promise<void> {
    if (stopping.signal.aborted) return;
    try {
      await options.beforeList?.();
      const wanted = new Map((await options.list()).map((p) => [p.id, p]));
      for (const [id, loop] of [...loops]) {
        if (wanted.get(id)?.generation === loop.generation) continue;
        loop.controller.abort();
        loops.delete(id);
        await loop.done;
      }
      await instance.release(
        job,
        instance.held(job).filter((id) => !wanted.has(id)),
      );
      if (stopping.signal.aborted) return;
      const free = [...wanted.keys()].filter((id) => !loops.has(id));
      for (const id of await instance.claim(job, free)) {
        const piece = wanted.get(id);
        if (piece && !loops.has(id) && !stopping.signal.aborted) start(piece);
      }
    } catch (e) {
      log.warn(options.logs.refreshFailed, { code: options.errorCode(e) });
    }
  }
  const refresh = () => (refreshing ??= refreshNow().finally(() => (refreshing = null)));

  void refresh();
  const timer = setInterval(() => void refresh(), options.refreshMs);
  timer.unref?.();

  return {
    refresh,
    stopping: stopping.signal,
    async stop() {
      clearInterval(timer);
      stopping.abort();
      await refreshing;
      await Promise.all([...loops.values()].map((l) => l.done));
      loops.clear();
      stopListening();
      if (options.ownsInstance) await instance.stop();
      else await instance.release(job, instance.held(job));
    },
  };
}
