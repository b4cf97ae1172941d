import { eq, sql } from 'drizzle-orm';
import { scalepointSettings } from '@/db/schema';
import { companyActionInSteps } from '@/lib/door';
import { redateCompany } from './redate';
import { DEADLINE_DEFAULTS } from './rules';
import { deadlinesSchema } from './schema';
import { DEADLINE_ANSWER } from './words';

type Hours = 'contactHours' | 'inspectionHours';
const HOURS: readonly Hours[] = ['contactHours', 'inspectionHours'];

/**
 * Gem frister (docs/deadlines.md), for the company's admins; the module need not be on.
 *
 * 1. One short transaction: the settings row is locked (a second save waits for it), the hours
 *    are upserted and, when they changed, `deadlines_generation` is bumped — with the audit row of
 *    what changed, all or nothing. `updated_at` is left alone: it is the module's settings'
 *    version, which the Events API receiver watches, and the Frister do not concern it.
 * 2. Then, outside that transaction, the re-date (`redateCompany`): the open cases' running
 *    clocks from the new hours, in chunks of their own short transactions. It also runs when the
 *    hours did not change but an earlier re-date was cut short, so pressing Gem frister again
 *    finishes it. A crash in step 2 leaves the generation unapplied for the deadlines sweep.
 *
 * Answers how many open cases got new deadlines.
 */
export const saveDeadlines = companyActionInSteps(
  { name: 'scalepoint.saveDeadlines', roles: ['admin'], input: deadlinesSchema },
  async ({ companyId, input: v, step, pool }) => {
    const redate = await step(async (tx, audit) => {
      const [before] = await tx
        .select({
          contactHours: scalepointSettings.contactHours,
          inspectionHours: scalepointSettings.inspectionHours,
          generation: scalepointSettings.deadlinesGeneration,
          applied: scalepointSettings.deadlinesApplied,
        })
        .from(scalepointSettings)
        .where(eq(scalepointSettings.companyId, companyId))
        .for('update');
      const was = before ?? { ...DEADLINE_DEFAULTS, generation: 0, applied: 0 };
      const changes: Partial<Record<Hours, { from: number; to: number }>> = {};
      for (const key of HOURS)
        if (was[key] !== v[key]) changes[key] = { from: was[key], to: v[key] };
      const changed = Object.keys(changes).length > 0;

      if (changed)
        await tx
          .insert(scalepointSettings)
          .values({ companyId, ...v, deadlinesGeneration: 1 })
          .onConflictDoUpdate({
            target: scalepointSettings.companyId,
            set: {
              ...v,
              deadlinesGeneration: sql`${scalepointSettings.deadlinesGeneration} + 1`,
            },
          });
      await audit('scalepoint.deadlines_saved', { changes });
      return changed || was.applied < was.generation;
    });

    const redated = redate ? await redateCompany(pool, companyId) : 0;
    return { ok: true, message: DEADLINE_ANSWER.saved(redated) };
  },
);
