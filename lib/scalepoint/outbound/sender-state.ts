import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { rowsOf } from '@/db/client';
import { scalepointOutbox as o } from '@/db/schema/index';
import { asSystem } from '@/lib/tenancy';

/**
 * The sender's statements on the outbox (docs/events-api.md, "The sender"). Across companies, so
 * through the system door with the reason 'sender'. Each marking is conditional on the row still
 * being pending (and, for a failure, on the claim being this one), so of two instances that both
 * touched a row — one whose lease ran out unnoticed, one that took over — neither undoes the other.
 */

export type DueRow = {
  id: string;
  companyId: string;
  correlationId: string;
  body: unknown;
  /** The case was closed at Scalepoint after the step: not sent. */
  closed: boolean;
};

/**
 * A connection's due rows, oldest first: pending, due, not held, of a company whose module is on,
 * and only the first undelivered row of each case (a failed one blocks its case).
 */
export async function pickDue(
  db: Db,
  connectionId: string,
  now: Date,
  limit: number,
): Promise<DueRow[]> {
  const rows = await asSystem(db, 'sender', async (tx) =>
    rowsOf<{
      id: string;
      company_id: string;
      correlation_id: string;
      body: unknown;
      closed: boolean;
    }>(
      await tx.execute(sql`
        select o.id, o.company_id, o.correlation_id, o.body,
               (ord.scalepoint_closed_at is not null) as closed
        from scalepoint_outbox o
        join orders ord on ord.id = o.order_id
        join scalepoint_settings s on s.company_id = o.company_id and s.enabled
        join companies c on c.id = o.company_id and c.deactivated_at is null
        where o.connection_id = ${connectionId} and o.status = 'pending'
          and o.next_attempt_at <= ${now.toISOString()}::timestamptz and o.held_since is null
          and not exists (
            select 1 from scalepoint_outbox e
            where e.company_id = o.company_id and e.case_number = o.case_number
              and e.status in ('pending', 'failed')
              and (e.created_at < o.created_at or (e.created_at = o.created_at and e.id < o.id)))
        order by o.created_at, o.id
        limit ${limit}`),
    ),
  );
  return rows.map((r) => ({
    id: r.id,
    companyId: r.company_id,
    correlationId: r.correlation_id,
    body: typeof r.body === 'string' ? (JSON.parse(r.body) as unknown) : r.body,
    closed: Boolean(r.closed),
  }));
}

/**
 * Which of these connections have a row `pickDue` would return now: one statement for all of an
 * instance's idle connections each poll, so an idle sender costs one statement per period
 * however many connections it holds (docs/events-api.md, "The sender"). The same conditions as
 * pickDue, the case order included, so a case held back by an earlier undelivered row does not
 * wake its loop.
 */
export async function dueConnections(
  db: Db,
  connectionIds: string[],
  now: Date,
): Promise<string[]> {
  if (connectionIds.length === 0) return [];
  const rows = await asSystem(db, 'sender', async (tx) =>
    rowsOf<{ connection_id: string }>(
      await tx.execute(sql`
        select distinct o.connection_id
        from scalepoint_outbox o
        join scalepoint_settings s on s.company_id = o.company_id and s.enabled
        join companies c on c.id = o.company_id and c.deactivated_at is null
        where o.connection_id = any(${`{${connectionIds.join(',')}}`}::uuid[]) and o.status = 'pending'
          and o.next_attempt_at <= ${now.toISOString()}::timestamptz and o.held_since is null
          and not exists (
            select 1 from scalepoint_outbox e
            where e.company_id = o.company_id and e.case_number = o.case_number
              and e.status in ('pending', 'failed')
              and (e.created_at < o.created_at or (e.created_at = o.created_at and e.id < o.id)))`),
    ),
  );
  return rows.map((r) => r.connection_id);
}

export type Claim = { attempts: number; retryUntil: Date };

/**
 * Takes one row for one send: due again only after `inFlightMs` (a crash mid-send), the try
 * counted, the 72-hour window started at its first try. Null: someone else has it, or it is
 * no longer pending.
 */
export async function claimRow(
  db: Db,
  id: string,
  now: Date,
  inFlightMs: number,
  windowMs: number,
): Promise<Claim | null> {
  const [row] = await asSystem(db, 'sender', (tx) =>
    tx
      .update(o)
      .set({
        attempts: sql`${o.attempts} + 1`,
        nextAttemptAt: new Date(now.getTime() + inFlightMs),
        lastAttemptAt: now,
        firstAttemptAt: sql`coalesce(${o.firstAttemptAt}, ${now.toISOString()}::timestamptz)`,
        retryUntil: sql`coalesce(${o.retryUntil}, ${new Date(now.getTime() + windowMs).toISOString()}::timestamptz)`,
      })
      .where(
        and(
          eq(o.id, id),
          eq(o.status, 'pending'),
          isNull(o.heldSince),
          sql`${o.nextAttemptAt} <= ${now.toISOString()}::timestamptz`,
        ),
      )
      .returning({ attempts: o.attempts, retryUntil: o.retryUntil }),
  );
  return row ? { attempts: row.attempts, retryUntil: new Date(row.retryUntil!) } : null;
}

/** A 2xx: delivered (whoever claimed it last — it is delivered either way). */
export async function markSent(db: Db, id: string, status: number, now: Date): Promise<boolean> {
  const rows = await asSystem(db, 'sender', (tx) =>
    tx
      .update(o)
      .set({ status: 'sent', sentAt: now, lastStatus: status, reason: null })
      .where(and(eq(o.id, id), eq(o.status, 'pending')))
      .returning({ id: o.id }),
  );
  return rows.length === 1;
}

/** Fejlet, with its machine code and the last HTTP status; only under this instance's claim. */
export async function markFailed(
  db: Db,
  id: string,
  attempts: number,
  reason: string,
  status: number | null,
): Promise<void> {
  await asSystem(db, 'sender', (tx) =>
    tx
      .update(o)
      .set({ status: 'failed', reason, lastStatus: status })
      .where(and(eq(o.id, id), eq(o.status, 'pending'), eq(o.attempts, attempts))),
  );
}

/** A retryable failure: due again at `nextAt`, the code kept for the pages. */
export async function markRetry(
  db: Db,
  id: string,
  attempts: number,
  reason: string,
  status: number | null,
  nextAt: Date,
): Promise<void> {
  await asSystem(db, 'sender', (tx) =>
    tx
      .update(o)
      .set({ reason, lastStatus: status, nextAttemptAt: nextAt })
      .where(and(eq(o.id, id), eq(o.status, 'pending'), eq(o.attempts, attempts))),
  );
}

/** The case closed at Scalepoint after the step: Sendes ikke til Scalepoint. */
export async function markClosed(db: Db, id: string): Promise<void> {
  await asSystem(db, 'sender', (tx) =>
    tx
      .update(o)
      .set({ status: 'not_sent', reason: 'case_closed' })
      .where(and(eq(o.id, id), eq(o.status, 'pending'))),
  );
}

/**
 * The sweep's safety net: pending rows whose connection is gone (support's delete fails them in
 * its own transaction; this catches a Send igen on such a row). One statement.
 */
export async function failOrphans(db: Db): Promise<number> {
  const rows = await asSystem(db, 'sender', (tx) =>
    tx
      .update(o)
      .set({ status: 'failed', reason: 'connection_deleted' })
      .where(and(isNull(o.connectionId), eq(o.status, 'pending')))
      .returning({ id: o.id }),
  );
  return rows.length;
}
