/**
 * `npm run bench`, sending to Scalepoint (docs/performance.md, "Sending to Scalepoint"; issue 22):
 * from the commit of a step — the door function the form calls (approveDraft, recordMilestone),
 * driven here in-process — to its arrival at the local Scalepoint (tools/stand-ins/scalepoint),
 * sent by a real `next start`'s own sender (lib/scalepoint/outbound/sender.ts). N steps (default
 * 500) over N/5 Scalepoint cases, 5 steps each in the job's order (Godkend, Kunde kontaktet,
 * Besigtigelse aftalt, Arbejde startet, Arbejde færdigt), at concurrency 8 (8 cases at a time).
 *
 * The server must poll the stand-in's port (eventsDrainServerEnv). The connection is made the way
 * support makes it and its sender lease is awaited before the first step, so the figure is the
 * sending, not the discovery of a new connection; it is deleted afterwards.
 */
import { and, eq, sql } from 'drizzle-orm';
import { rowsOf, type Database } from '@/db/client';
import { orders, scalepointConnections, scalepointOutbox, users } from '@/db/schema';
import { loadActor } from '@/lib/auth/actor';
import { createCustomerWithNextNumber } from '@/lib/customers/numbering';
import { insertDraft } from '@/lib/orders/create';
import { approveDraft } from '@/lib/orders/draft-actions';
import { recordMilestone } from '@/lib/orders/job-actions';
import { toDanishLocal } from '@/lib/orders/job-time';
import type { MilestoneKind } from '@/lib/orders/step-words';
import {
  connectionCertificate,
  deleteConnection,
  saveConnection,
} from '@/lib/scalepoint/support/connections';
import { startScalepointStandIn } from '@/tools/stand-ins/scalepoint/server';
import { asSystem } from '@/lib/tenancy';
import { EVENTS_STAND_IN_PORT } from './events-drain';

const TENANT = 'bench-sends';
const CLIENT_ID = 'kladde-bench-sends';
const MILESTONES: MilestoneKind[] = [
  'customer_contacted',
  'inspection_scheduled',
  'work_started',
  'work_completed',
];

export type SendsLatencyResult = {
  steps: number;
  arrived: number;
  /** Arrivals beyond the first of a correlationId (0 when each step arrived once). */
  repeats: number;
  p50: number;
  p99: number;
  max: number;
  /** From the first step's commit to the last arrival. */
  seconds: number;
};

export async function sendsLatency(input: {
  database: Database;
  companyId: string;
  steps?: number;
  concurrency?: number;
}): Promise<SendsLatencyResult> {
  const { database, companyId } = input;
  const db = database.db;
  const cases = Math.ceil((input.steps ?? Number(process.env.BENCH_SENDS ?? 500)) / 5);
  const concurrency = input.concurrency ?? 8;
  const standIn = await startScalepointStandIn({ port: EVENTS_STAND_IN_PORT, holdMs: 1_000 });
  try {
    const people = await asSystem(db, 'maintenance', (tx) =>
      tx
        .select({ id: users.id, email: users.email })
        .from(users)
        .where(sql`${users.email} in ('support@kladde.dk', 'admin@demo-vvs.dk')`),
    );
    const support = await loadActor(db, people.find((p) => p.email === 'support@kladde.dk')!.id);
    const admin = await loadActor(db, people.find((p) => p.email === 'admin@demo-vvs.dk')!.id);
    const saved = await saveConnection(db, support, {
      companyId,
      clientId: CLIENT_ID,
      tenant: TENANT,
      environment: 'sandbox',
    });
    if (!saved.ok) throw new Error(`could not save the connection: ${saved.message}`);
    const [connection] = await asSystem(db, 'maintenance', (tx) =>
      tx
        .select({ id: scalepointConnections.id })
        .from(scalepointConnections)
        .where(
          and(
            eq(scalepointConnections.companyId, companyId),
            eq(scalepointConnections.tenant, TENANT),
          ),
        ),
    );
    const connectionId = connection!.id;
    const certificate = await connectionCertificate(db, support, { companyId, id: connectionId });
    standIn.registerCertificate(CLIENT_ID, TENANT, certificate.pem);

    // The cases: Scalepoint drafts of this connection, arrived two days ago.
    const [type] = rowsOf<{ id: string; name: string }>(
      await asSystem(db, 'maintenance', (tx) =>
        tx.execute(
          sql`select t.id, t.name from order_types t join scalepoint_settings s on s.order_type_id = t.id where s.company_id = ${companyId}`,
        ),
      ),
    );
    const orderIds: string[] = [];
    const run = Date.now().toString(36);
    for (let i = 0; i < cases; i++) {
      const customer = await createCustomerWithNextNumber(db, companyId, {
        name: `Sendekunde ${i + 1}`,
      });
      const caseNumber = `SP-SEND-${run}-${i + 1}`;
      const draft = await insertDraft(db, companyId, {
        orderTypeId: type!.id,
        orderTypeName: type!.name,
        heading: `Scalepoint – ${caseNumber}`,
        requisitionNumber: caseNumber,
        customerId: customer.id,
        customerName: customer.name,
        source: 'scalepoint',
        scalepointCaseNumber: caseNumber,
      });
      await db
        .update(orders)
        .set({
          scalepointCaseId: `case-${caseNumber}`,
          scalepointServiceId: `service-${caseNumber}`,
          scalepointServiceReference: `${caseNumber}-1`,
          scalepointConnectionId: connectionId,
          scalepointTenant: TENANT,
          createdAt: new Date(Date.now() - 48 * 3_600_000),
        })
        .where(eq(orders.id, draft!.id));
      orderIds.push(draft!.id);
    }

    // The sender has taken the connection's lease (its supervisor refreshes every 2 s).
    const leaseDeadline = Date.now() + 30_000;
    for (;;) {
      const [row] = rowsOf<{ leased: boolean }>(
        await asSystem(db, 'maintenance', (tx) =>
          tx.execute(
            sql`select exists (select 1 from background_leases where job = 'scalepoint-sender' and key = ${connectionId}::text) as leased`,
          ),
        ),
      );
      if (row?.leased) break;
      if (Date.now() > leaseDeadline) throw new Error('the server did not take the sender lease');
      await new Promise((r) => setTimeout(r, 100));
    }

    // The steps: each case's five in order, 8 cases at a time; the commit time of each.
    const committed = new Map<string, number>(); // `${orderId}/${property}` → ms
    const key = (orderId: string, n: number) => `${orderId}/${n}`;
    let next = 0;
    const firstAt = Date.now();
    const worker = async () => {
      for (let i = next++; i < orderIds.length; i = next++) {
        const orderId = orderIds[i]!;
        const approved = await approveDraft(db, admin, { orderId });
        if (!approved.ok) throw new Error(`approve: ${approved.message}`);
        committed.set(key(orderId, 0), Date.now());
        for (const [n, kind] of MILESTONES.entries()) {
          const at =
            kind === 'inspection_scheduled'
              ? toDanishLocal(new Date(Date.now() + 24 * 3_600_000))
              : toDanishLocal(new Date());
          const done = await recordMilestone(db, admin, { orderId, kind, at, note: '' });
          if (!done.ok) throw new Error(`${kind}: ${done.message}`);
          committed.set(key(orderId, n + 1), Date.now());
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));

    // Every step's correlationId, and its place in its case.
    const rows = await asSystem(db, 'maintenance', (tx) =>
      tx
        .select({
          orderId: scalepointOutbox.orderId,
          correlationId: scalepointOutbox.correlationId,
          createdAt: scalepointOutbox.createdAt,
        })
        .from(scalepointOutbox)
        .where(eq(scalepointOutbox.connectionId, connectionId))
        .orderBy(scalepointOutbox.createdAt),
    );
    const place = new Map<string, number>();
    const commitOf = new Map<string, number>();
    for (const r of rows) {
      const n = place.get(r.orderId) ?? 0;
      place.set(r.orderId, n + 1);
      const at = committed.get(key(r.orderId, n));
      if (at !== undefined) commitOf.set(r.correlationId, at);
    }

    const deadline = Date.now() + 120_000;
    const arrivals = () => standIn.sent.filter((s) => s.tenant === TENANT);
    while (Date.now() < deadline) {
      const ids = new Set(
        arrivals().map((s) => (s.body as { correlationId: string }).correlationId),
      );
      if ([...commitOf.keys()].every((id) => ids.has(id))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const first = new Map<string, number>();
    let repeats = 0;
    for (const s of arrivals()) {
      const id = (s.body as { correlationId: string }).correlationId;
      if (first.has(id)) repeats += 1;
      else first.set(id, Date.parse(s.at));
    }
    const latencies = [...commitOf].flatMap(([id, at]) =>
      first.has(id) ? [first.get(id)! - at] : [],
    );
    latencies.sort((x, y) => x - y);
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
    await deleteConnection(db, support, { companyId, id: connectionId });
    return {
      steps: commitOf.size,
      arrived: latencies.length,
      repeats,
      p50: pct(50),
      p99: pct(99),
      max: latencies.at(-1) ?? NaN,
      seconds: (Math.max(...first.values()) - firstAt) / 1000,
    };
  } finally {
    await standIn.close();
  }
}
