import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { scalepointOutbox as o, type OutboxStatus } from '@/db/schema/index';
import { companyRead } from '@/lib/door';
import { outboxFilterKeys, type OutboxFilterKey } from './words';

/**
 * What people see of the outbox (docs/events-api.md, "What Kladde sends"): an order's rows, the
 * admin's Afsendelser, and each connection's sending state. Reads only.
 */

/**
 * A pending row behind an earlier undelivered (pending or failed) row of the same case: it
 * waits for that one ("venter på en tidligere hændelse").
 */
// Qualified by hand: drizzle writes a one-table select's columns unqualified, which inside the
// subquery would name e's own.
const waiting = sql<boolean>`(scalepoint_outbox.status = 'pending' and exists (
  select 1 from scalepoint_outbox e
  where e.company_id = scalepoint_outbox.company_id and e.case_number = scalepoint_outbox.case_number
    and e.status in ('pending', 'failed')
    and (e.created_at < scalepoint_outbox.created_at
         or (e.created_at = scalepoint_outbox.created_at and e.id < scalepoint_outbox.id))))`;

export type OrderOutboxRow = {
  id: string;
  stepId: string;
  status: OutboxStatus;
  reason: string | null;
  lastStatus: number | null;
  sentAt: Date | null;
  attempts: number;
  waiting: boolean;
};

/** An order's outgoing events, oldest first (the order page's Forløb shows them by stepId). */
export async function outboxOfOrder(
  tx: Db,
  companyId: string,
  orderId: string,
): Promise<OrderOutboxRow[]> {
  return tx
    .select({
      id: o.id,
      stepId: o.stepId,
      status: o.status,
      reason: o.reason,
      lastStatus: o.lastStatus,
      sentAt: o.sentAt,
      attempts: o.attempts,
      waiting,
    })
    .from(o)
    .where(and(eq(o.companyId, companyId), eq(o.orderId, orderId)))
    .orderBy(asc(o.createdAt), asc(o.id));
}

const filterStatus: Record<OutboxFilterKey, OutboxStatus | null> = {
  alle: null,
  afventer: 'pending',
  sendt: 'sent',
  fejlet: 'failed',
};

export const listOutboxSchema = z.object({
  sendt: z.enum(outboxFilterKeys).catch('alle'),
  limit: z.coerce.number().int().min(1).max(500).catch(100),
});

export type OutboxListRow = {
  id: string;
  createdAt: Date;
  caseNumber: string;
  property: string;
  status: OutboxStatus;
  reason: string | null;
  lastStatus: number | null;
  sentAt: Date | null;
  orderId: string;
  waiting: boolean;
};

/** Afsendelser on the admin's Scalepoint page: the company's outgoing events, newest first. */
export const listOutbox = companyRead(
  { name: 'scalepoint.listOutbox', roles: ['admin'], input: listOutboxSchema },
  async ({ tx, companyId, input }): Promise<OutboxListRow[]> => {
    const status = filterStatus[input.sendt];
    const where: SQL[] = [eq(o.companyId, companyId)];
    if (status) where.push(eq(o.status, status));
    return tx
      .select({
        id: o.id,
        createdAt: o.createdAt,
        caseNumber: o.caseNumber,
        property: o.property,
        status: o.status,
        reason: o.reason,
        lastStatus: o.lastStatus,
        sentAt: o.sentAt,
        orderId: o.orderId,
        waiting,
      })
      .from(o)
      .where(and(...where))
      .orderBy(desc(o.createdAt), desc(o.id))
      .limit(input.limit);
  },
);

export type ConnectionOutboundState = {
  connectionId: string;
  lastSentAt: Date | null;
  /** The last failed send: a row Fejlet, or a pending row's failed try. */
  lastFailedAt: Date | null;
  lastFailureReason: string | null;
  /** Rows waiting to go. */
  pending: number;
};

/** Per connection of the company: its sending state (the status card, support's view). */
export async function connectionOutboundState(
  tx: Db,
  companyId: string,
): Promise<ConnectionOutboundState[]> {
  const failedTry = sql`(${o.status} = 'failed' or (${o.status} = 'pending' and ${o.reason} is not null)) and ${o.lastAttemptAt} is not null`;
  const rows = await tx
    .select({
      connectionId: sql<string>`${o.connectionId}`,
      lastSentAt: sql<string | null>`max(${o.sentAt})`,
      lastFailedAt: sql<string | null>`max(${o.lastAttemptAt}) filter (where ${failedTry})`,
      lastFailureReason: sql<
        string | null
      >`(array_agg(${o.reason} order by ${o.lastAttemptAt} desc) filter (where ${failedTry}))[1]`,
      pending: sql<number>`(count(*) filter (where ${o.status} = 'pending'))::int`,
    })
    .from(o)
    .where(and(eq(o.companyId, companyId), sql`${o.connectionId} is not null`))
    .groupBy(o.connectionId);
  return rows.map((r) => ({
    connectionId: r.connectionId,
    lastSentAt: r.lastSentAt ? new Date(r.lastSentAt) : null,
    lastFailedAt: r.lastFailedAt ? new Date(r.lastFailedAt) : null,
    lastFailureReason: r.lastFailureReason,
    pending: Number(r.pending),
  }));
}
