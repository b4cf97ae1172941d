import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { orderSteps as stepsTable, users } from '@/db/schema/index';
import { companyRead } from '@/lib/door';
import type { StepKind } from './step-words';

export { openMilestones, recordedMilestones } from './step-words';

/**
 * A case's recorded steps (docs/drafts.md, "After Godkend: the job"): one order_steps row per
 * Godkend, Afvis, Gendan, milestone and Genåbn, written in the step's own transaction beside its
 * audit row. The next issue's outbox to Scalepoint will reference a step by its id.
 */

export type OrderStep = {
  id: string;
  kind: StepKind;
  /** The step's Tidspunkt: a milestone's as typed; otherwise when it was done. */
  at: Date;
  note: string | null;
  /** Afvis's Begrundelse. */
  reason: string | null;
  recordedAt: Date;
  /** The name of the user who recorded it; null when that user is gone. */
  recordedBy: string | null;
};

/** An order's steps, oldest first, inside the caller's company transaction. */
export async function stepsOf(tx: Db, companyId: string, orderId: string): Promise<OrderStep[]> {
  return tx
    .select({
      id: stepsTable.id,
      kind: stepsTable.kind,
      at: stepsTable.at,
      note: stepsTable.note,
      reason: stepsTable.reason,
      recordedAt: stepsTable.recordedAt,
      recordedBy: users.name,
    })
    .from(stepsTable)
    .leftJoin(users, eq(users.id, stepsTable.recordedBy))
    .where(and(eq(stepsTable.companyId, companyId), eq(stepsTable.orderId, orderId)))
    .orderBy(asc(stepsTable.recordedAt), asc(stepsTable.id));
}

/**
 * One step, in the transaction that takes it — after the order's row lock (lib/orders/lock.ts):
 * recorded_at is the clock at the insert, so one order's steps are ordered as they happened even
 * when their transactions began in another order. Answers the step's id.
 */
export async function writeStep(
  tx: Db,
  step: {
    companyId: string;
    orderId: string;
    kind: StepKind;
    at: Date;
    note?: string | null;
    reason?: string | null;
    recordedBy: string | null;
  },
): Promise<string> {
  const [row] = await tx
    .insert(stepsTable)
    .values({
      companyId: step.companyId,
      orderId: step.orderId,
      kind: step.kind,
      at: step.at,
      note: step.note ?? null,
      reason: step.reason ?? null,
      recordedBy: step.recordedBy,
      recordedAt: sql`clock_timestamp()`,
    })
    .returning({ id: stepsTable.id });
  return row!.id;
}

/** Forløb on the order page: the order's steps, oldest first; another company's order has none. */
export const orderSteps = companyRead(
  { name: 'orders.steps', roles: ['admin', 'member'], input: z.object({ orderId: z.uuid() }) },
  ({ tx, companyId, input: { orderId } }) => stepsOf(tx, companyId, orderId),
);
