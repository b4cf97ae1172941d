import { randomUUID } from 'node:crypto';
import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import {
  companies,
  orders,
  scalepointConnections,
  scalepointOutbox,
  type OrderStepKind,
} from '@/db/schema/index';
import { buildServiceEvent, stepProperty } from './event';

/**
 * The transactional outbox's writes (docs/events-api.md, "What Kladde sends"): the row a step
 * adds in its own transaction, and the module's hold. The sender (sender.ts) does the rest.
 */

export type EnqueueStepInput = {
  companyId: string;
  orderId: string;
  stepId: string;
  kind: OrderStepKind;
  /** The step's Tidspunkt. */
  at: Date;
  note?: string | null;
  reason?: string | null;
  actorName: string;
  /** The action's clock: the event's timestamp. */
  now: Date;
};

/**
 * Inside the step's transaction, after writeStep (the order's row is locked): the step's
 * outgoing event, if the order is a Scalepoint case and the step is one that is sent. Its
 * connection is chosen now: the one the case came through, else (a direct claim) the company's
 * connection whose tenant is the claim's insurer alias, case-insensitively, Produktion before
 * Sandbox. None → 'not_sent' no_connection; the case closed at Scalepoint → 'not_sent'
 * case_closed; else 'pending'. Answers the row's status, or null when nothing is written.
 */
export async function enqueueStep(
  tx: Db,
  input: EnqueueStepInput,
): Promise<'pending' | 'not_sent' | null> {
  const property = stepProperty[input.kind];
  if (!property) return null;
  const [order] = await tx
    .select({
      caseNumber: orders.scalepointCaseNumber,
      caseId: orders.scalepointCaseId,
      serviceId: orders.scalepointServiceId,
      serviceReference: orders.scalepointServiceReference,
      connectionId: orders.scalepointConnectionId,
      insurerAlias: orders.scalepointInsurerAlias,
      closedAt: orders.scalepointClosedAt,
      companyName: companies.name,
      companyCvr: companies.cvr,
    })
    .from(orders)
    .innerJoin(companies, eq(companies.id, orders.companyId))
    .where(and(eq(orders.companyId, input.companyId), eq(orders.id, input.orderId)));
  if (!order?.caseNumber) return null;

  const connectionId =
    order.connectionId ?? (await connectionForAlias(tx, input.companyId, order.insurerAlias));
  const correlationId = randomUUID();
  const body = buildServiceEvent({
    property,
    correlationId,
    recordedAt: input.now,
    at: input.at,
    reason: input.reason,
    note: input.note,
    caseId: order.caseId,
    caseNumber: order.caseNumber,
    serviceId: order.serviceId,
    serviceReference: order.serviceReference,
    companyName: order.companyName,
    companyCvr: order.companyCvr,
    actorName: input.actorName,
  });
  const notSent = order.closedAt ? 'case_closed' : !connectionId ? 'no_connection' : null;
  await tx.insert(scalepointOutbox).values({
    companyId: input.companyId,
    orderId: input.orderId,
    stepId: input.stepId,
    connectionId,
    correlationId,
    caseNumber: order.caseNumber,
    property,
    body,
    status: notSent ? 'not_sent' : 'pending',
    reason: notSent,
    createdAt: sql`clock_timestamp()`,
  });
  return notSent ? 'not_sent' : 'pending';
}

/** A direct claim's connection: tenant = insurer alias (any case), Produktion before Sandbox. */
async function connectionForAlias(
  tx: Db,
  companyId: string,
  alias: string | null,
): Promise<string | null> {
  if (!alias) return null;
  const [row] = await tx
    .select({ id: scalepointConnections.id })
    .from(scalepointConnections)
    .where(
      and(
        eq(scalepointConnections.companyId, companyId),
        sql`lower(${scalepointConnections.tenant}) = lower(${alias})`,
      ),
    )
    .orderBy(
      sql`case ${scalepointConnections.environment} when 'production' then 0 else 1 end`,
      scalepointConnections.createdAt,
    )
    .limit(1);
  return row?.id ?? null;
}

/**
 * The module switched off or on (settings/save.ts, in its transaction): "time with the module off
 * does not count" toward the 72 hours. Off: the pending rows are held from `now`. On: each held
 * row's window end moves on by the time it was held, and the hold ends.
 */
export async function holdOutbox(
  tx: Db,
  companyId: string,
  enabled: boolean,
  now: Date,
): Promise<void> {
  const pending = and(
    eq(scalepointOutbox.companyId, companyId),
    eq(scalepointOutbox.status, 'pending'),
  );
  if (!enabled) {
    await tx
      .update(scalepointOutbox)
      .set({ heldSince: now })
      .where(and(pending, isNull(scalepointOutbox.heldSince)));
    return;
  }
  const iso = now.toISOString();
  await tx
    .update(scalepointOutbox)
    .set({
      retryUntil: sql`${scalepointOutbox.retryUntil} + (${iso}::timestamptz - ${scalepointOutbox.heldSince})`,
      heldSince: null,
    })
    .where(and(pending, isNotNull(scalepointOutbox.heldSince)));
}

/**
 * Support deletes a connection (support/connections.ts, in its transaction, before the delete):
 * its pending rows fail with connection_deleted — Send igen cannot help them, so they do not wait.
 */
export async function failOutboxOfConnection(tx: Db, connectionId: string): Promise<number> {
  const rows = await tx
    .update(scalepointOutbox)
    .set({ status: 'failed', reason: 'connection_deleted' })
    .where(
      and(eq(scalepointOutbox.connectionId, connectionId), eq(scalepointOutbox.status, 'pending')),
    )
    .returning({ id: scalepointOutbox.id });
  return rows.length;
}
