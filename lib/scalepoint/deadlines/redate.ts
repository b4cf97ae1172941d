import { and, asc, eq, lt } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { scalepointSettings } from '@/db/schema';
import { errorFields, log } from '@/lib/log';
import { asSystem, inCompany } from '@/lib/tenancy';
import { redateChunk } from './clocks';

/**
 * The re-date after Gem frister (docs/deadlines.md): every open case of the company gets its
 * running contact and visit clocks from the Frister now in force. Run by the save itself, after
 * its transaction, and by the deadlines sweep for a re-date a crash cut short (sweep.ts).
 *
 * - **In chunks.** Each chunk (`redateChunk`, REDATE_CHUNK rows in Oprettet order) is its own short
 *   company transaction, so the embedded database's one connection and the rows' locks are never
 *   held for long; drafts first, then Ny and I gang. Between two chunks the event loop turns.
 * - **Idempotent.** A chunk changes only rows whose running clocks differ from the settings it reads
 *   in its own transaction, so running it again, or twice at once, changes nothing more.
 * - **Generations.** The generation is read before the first chunk; at the end `deadlines_applied`
 *   is set to it only where the generation is still that one. A save that came meanwhile leaves
 *   its own, newer generation unapplied until its own re-date finishes.
 */
export async function redateCompany(db: Db, companyId: string): Promise<number> {
  const [settings] = await inCompany(db, companyId, (tx) =>
    tx
      .select({ generation: scalepointSettings.deadlinesGeneration })
      .from(scalepointSettings)
      .where(eq(scalepointSettings.companyId, companyId)),
  );
  // No settings row: no Frister, and no case has clocks (they are read from that row).
  if (!settings) return 0;

  let changed = 0;
  for (const pass of ['drafts', 'orders'] as const) {
    let cursor: Parameters<typeof redateChunk>[3] = null;
    do {
      const chunk = await inCompany(db, companyId, (tx) =>
        redateChunk(tx, companyId, pass, cursor),
      );
      changed += chunk.changed;
      cursor = chunk.next;
      // The embedded database runs each statement on this process's own thread: between chunks
      // the server gets to answer what came in meanwhile (a page, a claim).
      await new Promise<void>((resolve) => setImmediate(resolve));
    } while (cursor);
  }

  await inCompany(db, companyId, (tx) =>
    tx
      .update(scalepointSettings)
      .set({ deadlinesApplied: settings.generation })
      .where(
        and(
          eq(scalepointSettings.companyId, companyId),
          eq(scalepointSettings.deadlinesGeneration, settings.generation),
        ),
      ),
  );
  return changed;
}

/**
 * The re-dates a Gem frister started and did not finish (the process stopped between its chunks):
 * each company whose settings row has `deadlines_applied < deadlines_generation`, found through the
 * system door, is re-dated again from the start (the chunks already done change nothing the second
 * time). One company's failure is logged and does not keep the others waiting; it is tried again
 * on the next sweep. Returns how many companies were finished.
 */
export async function finishPendingRedates(db: Db): Promise<number> {
  const pending = await asSystem(db, 'deadlines', (tx) =>
    tx
      .select({ companyId: scalepointSettings.companyId })
      .from(scalepointSettings)
      .where(lt(scalepointSettings.deadlinesApplied, scalepointSettings.deadlinesGeneration))
      .orderBy(asc(scalepointSettings.companyId)),
  );
  let finished = 0;
  for (const { companyId } of pending) {
    try {
      const changed = await redateCompany(db, companyId);
      finished++;
      log.info('scalepoint_redate_finished', { companyId, changed });
    } catch (e) {
      log.warn('scalepoint_redate_failed', { companyId, ...errorFields(e) });
    }
  }
  return finished;
}
