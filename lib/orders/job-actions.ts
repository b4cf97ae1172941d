import { and, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { orders, type OrderStatus } from '@/db/schema/index';
import { refused, type ActionResult } from '@/lib/action-result';
import type { AuditAction } from '@/lib/audit-actions';
import { companyAction } from '@/lib/door';
import { milestoneSchema, reopenSchema } from './job-schema';
import { milestoneTimeError, readDanishLocal } from './job-time';
import { lockOrder } from './lock';
import { isWorking } from './status';
import { JOB_ANSWER, type MilestoneKind } from './step-words';
import { stepsOf, writeStep, type OrderStep } from './steps';
import { enqueueStep } from '@/lib/scalepoint/outbound/outbox';
import { resumeClocks, stopClock } from '@/lib/scalepoint/deadlines/clocks';

/**
 * The job after Godkend (docs/drafts.md, "After Godkend: the job"): the milestones Kunde
 * kontaktet, Besigtigelse aftalt, Arbejde startet, Arbejde færdigt (admins and members) and
 * Genåbn (admins). Each locks the order row (lib/orders/lock.ts; another company's order → 404),
 * checks status and Tidspunkt, and writes its step row, any status change and its audit row in
 * one transaction. A repeat — a double click, a second tab, a colleague at the same moment —
 * waits on the lock, finds the step there, answers ok and stores nothing new.
 */

const WORKERS = ['admin', 'member'] as const;

/** What the page needs after a step: the step's row and the order's status now. */
export type JobResult = { stepId: string; status: OrderStatus };

const milestoneAudit = {
  customer_contacted: 'order.customer_contacted',
  inspection_scheduled: 'order.inspection_scheduled',
  work_started: 'order.work_started',
  work_completed: 'order.work_completed',
} as const satisfies Record<MilestoneKind, AuditAction>;

/** The steps since the last Genåbn (a new round: Arbejde færdigt can be recorded again). */
function currentRound(steps: OrderStep[]): OrderStep[] {
  return steps.slice(steps.findLastIndex((s) => s.kind === 'reopened') + 1);
}

/** The status a milestone leaves: Arbejde startet → I gang (from Ny), Arbejde færdigt → Afsluttet. */
function statusAfter(kind: MilestoneKind, status: OrderStatus): OrderStatus {
  if (kind === 'work_started' && status === 'new') return 'in_progress';
  if (kind === 'work_completed') return 'closed';
  return status;
}

async function setStatus(tx: Db, companyId: string, orderId: string, status: OrderStatus) {
  await tx
    .update(orders)
    .set({ status })
    .where(and(eq(orders.companyId, companyId), eq(orders.id, orderId)));
}

/**
 * A milestone, with its Tidspunkt (read as Danish time) and Bemærkning. Only on an order with
 * status Ny or I gang. Each kind at most once per round, except Besigtigelse aftalt, which is
 * recorded again to move the appointment (the same appointment twice is a repeat).
 */
export const recordMilestone = companyAction(
  { name: 'orders.recordMilestone', roles: WORKERS, input: milestoneSchema },
  async ({ tx, actor, companyId, input, now, audit }): Promise<ActionResult<JobResult>> => {
    const order = await lockOrder(tx, companyId, input.orderId, 'orders.recordMilestone', actor);
    const round = currentRound(await stepsOf(tx, companyId, order.id));
    const earlier = round.filter((s) => s.kind === input.kind);
    const repeat = (step: OrderStep): ActionResult<JobResult> => ({
      ok: true,
      message: JOB_ANSWER.alreadyRecorded(input.kind),
      data: { stepId: step.id, status: order.status },
    });
    if (input.kind !== 'inspection_scheduled' && earlier[0]) return repeat(earlier[0]);
    if (!isWorking(order.status))
      return {
        ok: false,
        message: order.status === 'closed' ? JOB_ANSWER.closed : JOB_ANSWER.notApproved,
      };

    const read = readDanishLocal(input.at);
    if (!read.ok) return refused({ at: read.error });
    const timeError = milestoneTimeError(input.kind, read.at, { now, arrivedAt: order.createdAt });
    if (timeError) return refused({ at: timeError });
    const at = read.at;

    const last = earlier.at(-1);
    if (last && last.at.getTime() === at.getTime() && last.note === input.note) return repeat(last);

    const stepId = await writeStep(tx, {
      companyId,
      orderId: order.id,
      kind: input.kind,
      at,
      note: input.note,
      recordedBy: actor.userId,
    });
    await enqueueStep(tx, {
      companyId,
      orderId: order.id,
      stepId,
      kind: input.kind,
      at,
      note: input.note,
      actorName: actor.name,
      now,
    });
    await stopClock(tx, { companyId, orderId: order.id, kind: input.kind, at, now });
    const status = statusAfter(input.kind, order.status);
    if (status !== order.status) await setStatus(tx, companyId, order.id, status);
    await audit(milestoneAudit[input.kind], {
      orderId: order.id,
      stepId,
      at: at.toISOString(),
      ...(input.note ? { note: input.note } : {}),
    });
    return {
      ok: true,
      message: last ? JOB_ANSWER.inspectionMoved : JOB_ANSWER.recorded(input.kind),
      data: { stepId, status },
    };
  },
);

/** Genåbn: an admin takes an Afsluttet order back to I gang; its Tidspunkt is the moment. */
export const reopenOrder = companyAction(
  { name: 'orders.reopen', roles: ['admin'], input: reopenSchema },
  async ({ tx, actor, companyId, input, now, audit }): Promise<ActionResult<JobResult>> => {
    const order = await lockOrder(tx, companyId, input.orderId, 'orders.reopen', actor);
    if (order.status === 'in_progress') {
      // Reopened already (a second click, a colleague): the last Genåbn is after the last Arbejde færdigt.
      const steps = await stepsOf(tx, companyId, order.id);
      const reopened = steps.findLastIndex((s) => s.kind === 'reopened');
      if (reopened >= 0 && reopened > steps.findLastIndex((s) => s.kind === 'work_completed'))
        return {
          ok: true,
          message: JOB_ANSWER.reopened,
          data: { stepId: steps[reopened]!.id, status: order.status },
        };
    }
    if (order.status !== 'closed') return { ok: false, message: JOB_ANSWER.reopenOnlyClosed };
    const stepId = await writeStep(tx, {
      companyId,
      orderId: order.id,
      kind: 'reopened',
      at: now,
      recordedBy: actor.userId,
    });
    await enqueueStep(tx, {
      companyId,
      orderId: order.id,
      stepId,
      kind: 'reopened',
      at: now,
      actorName: actor.name,
      now,
    });
    await setStatus(tx, companyId, order.id, 'in_progress');
    await resumeClocks(tx, { companyId, orderId: order.id, restartWork: true });
    await audit('order.reopen', { orderId: order.id, stepId });
    return { ok: true, message: JOB_ANSWER.reopened, data: { stepId, status: 'in_progress' } };
  },
);
