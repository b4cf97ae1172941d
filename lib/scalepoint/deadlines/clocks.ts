import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '@/db/client';
import { orders } from '@/db/schema/orders';
import type { MilestoneKind } from '@/lib/orders/step-words';

/**
 * A case's clocks as its steps move them (docs/deadlines.md). Each is one UPDATE of the order row,
 * called in the step's own transaction (under the order's row lock), so a deadline can never
 * disagree with the steps. orders.deadline_at follows by itself (a generated column, migration 0020).
 */

/** The order columns its clocks are read from (rules.ts, `ClockColumns`), for a select. */
export const clockColumns = {
  status: orders.status,
  scalepointClosedAt: orders.scalepointClosedAt,
  contactDueAt: orders.contactDueAt,
  inspectionDueAt: orders.inspectionDueAt,
  workDueAt: orders.workDueAt,
  contactStoppedAt: orders.contactStoppedAt,
  inspectionStoppedAt: orders.inspectionStoppedAt,
  workStoppedAt: orders.workStoppedAt,
};

/**
 * The due columns a draft is made with, as SQL for its insert: the contact and visit deadlines
 * from Oprettet (the insert's now(), as created_at's default) and the company's Frister; the
 * work's from the event. Only Scalepoint cases get clocks.
 */
export function newCaseDueColumns(companyId: string, workDueAt: Date | null) {
  const hours = (column: 'contact_hours' | 'inspection_hours') =>
    sql<Date>`now() + make_interval(hours => (select ${sql.raw(column)} from scalepoint_settings where company_id = ${companyId}))`;
  return {
    contactDueAt: hours('contact_hours'),
    inspectionDueAt: hours('inspection_hours'),
    workDueAt,
  };
}

/** The re-dated contact and visit deadlines of the row `o`, from the settings row `s`; a stopped clock keeps its deadline. */
const redatedColumns = sql`contact_due_at = case when o.contact_stopped_at is null then o.created_at + make_interval(hours => s.contact_hours) else o.contact_due_at end,
  inspection_due_at = case when o.inspection_stopped_at is null then o.created_at + make_interval(hours => s.inspection_hours) else o.inspection_due_at end`;
/** Rows of `o` whose running clocks differ from the settings `s`. */
const stale = sql`((o.contact_stopped_at is null and o.contact_due_at is distinct from o.created_at + make_interval(hours => s.contact_hours))
  or (o.inspection_stopped_at is null and o.inspection_due_at is distinct from o.created_at + make_interval(hours => s.inspection_hours)))`;

/** The clock a milestone stops, in its transaction: Kunde kontaktet and Arbejde færdigt at their Tidspunkt, the first Besigtigelse aftalt when recorded. */
export async function stopClock(
  tx: Db,
  input: { companyId: string; orderId: string; kind: MilestoneKind; at: Date; now: Date },
): Promise<void> {
  const where = sql`company_id = ${input.companyId} and id = ${input.orderId}`;
  const set: Record<MilestoneKind, SQL | null> = {
    customer_contacted: sql`contact_stopped_at = coalesce(contact_stopped_at, ${input.at.toISOString()}::timestamptz)`,
    inspection_scheduled: sql`inspection_stopped_at = coalesce(inspection_stopped_at, ${input.now.toISOString()}::timestamptz)`,
    work_completed: sql`work_stopped_at = ${input.at.toISOString()}::timestamptz`,
    work_started: null,
  };
  const clause = set[input.kind];
  if (clause) await tx.execute(sql`update orders set ${clause} where ${where}`);
}

/**
 * A case that comes back to work (Gendan, Genåbn, a case no longer Sag lukket hos Scalepoint):
 * its running clocks re-dated from the Frister now in force (a Gem frister while it was away did
 * not reach it), and with `restartWork` (Genåbn) the work's clock running again.
 */
export async function resumeClocks(
  tx: Db,
  input: { companyId: string; orderId: string; restartWork?: boolean },
): Promise<void> {
  const restart = input.restartWork ? sql`, work_stopped_at = null` : sql``;
  await tx.execute(sql`update orders o set ${redatedColumns}${restart}
    from scalepoint_settings s
    where s.company_id = o.company_id and o.company_id = ${input.companyId} and o.id = ${input.orderId}
      and o.contact_due_at is not null`);
}

/** How many rows one re-date transaction walks: short enough for the embedded database's one connection. */
export const REDATE_CHUNK = 2_000;

type Cursor = { createdAt: string; id: string } | null;

/**
 * One chunk of a company's re-date after Gem frister, in its own short transaction: the next
 * REDATE_CHUNK open cases (a draft, or Ny or I gang: `pass`) in Oprettet order after `cursor`, on
 * the list's created index; those with a running clock that differs from the settings get it
 * re-dated. Returns how many changed and the cursor after the chunk (null at the end).
 * The chunk's ids reach the UPDATE as an array (`= any`), so each chunk fetches its rows by the
 * primary key: joined to the CTE instead, the planner hashed it against a scan of every order of
 * the company, once per chunk (docs/performance.md, "Gem frister: the re-date").
 */
export async function redateChunk(
  tx: Db,
  companyId: string,
  pass: 'drafts' | 'orders',
  cursor: Cursor,
): Promise<{ changed: number; next: Cursor }> {
  const list =
    pass === 'drafts' ? sql`status = 'draft'` : sql`status in ('new', 'in_progress', 'closed')`;
  const after = cursor
    ? sql`and (created_at, id) > (${cursor.createdAt}::timestamptz, ${cursor.id}::uuid)`
    : sql``;
  const [row] = rowsOf<{ changed: number; last_at: string | null; last_id: string | null }>(
    await tx.execute(sql`with chunk as (
        select id, created_at from orders
        where company_id = ${companyId} and ${list} ${after}
        order by created_at, id limit ${REDATE_CHUNK}
      ), changed as (
        update orders o set ${redatedColumns}
        from scalepoint_settings s
        where o.id = any (array(select id from chunk)) and o.company_id = ${companyId} and s.company_id = ${companyId}
          and o.status in ('draft', 'new', 'in_progress') and o.scalepoint_closed_at is null
          and o.contact_due_at is not null and ${stale}
        returning 1
      ), last as (select id, created_at from chunk order by created_at desc, id desc limit 1)
      select (select count(*)::int from changed) as changed,
             (select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') from last) as last_at,
             (select id::text from last) as last_id`),
  );
  const next = row?.last_id && row.last_at ? { createdAt: row.last_at, id: row.last_id } : null;
  return { changed: Number(row?.changed ?? 0), next };
}
