import { and, eq, sql } from 'drizzle-orm';
import { rowsOf } from '@/db/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { orders, scalepointConnections, scalepointOutbox } from '@/db/schema';
import { loadActor, NotFoundError } from '@/lib/auth/actor';
import { claimLeases } from '@/lib/background/leases';
import type { BackgroundInstance } from '@/lib/background/instance';
import { encryptSecret } from '@/lib/crypto';
import { createCustomerWithNextNumber } from '@/lib/customers/numbering';
import { insertDraft } from '@/lib/orders/create';
import { approveDraft, rejectDraft, restoreDraft } from '@/lib/orders/draft-actions';
import { recordMilestone, reopenOrder } from '@/lib/orders/job-actions';
import { toDanishLocal } from '@/lib/orders/job-time';
import { generateConnectionKeys } from '@/lib/scalepoint/events/certificate';
import { EVENT_TYPE } from '@/lib/scalepoint/outbound/event';
import {
  connectionOutboundState,
  listOutbox,
  outboxOfOrder,
} from '@/lib/scalepoint/outbound/reads';
import { retryOutbox } from '@/lib/scalepoint/outbound/retry';
import { startSender, type Sender, type SenderOptions } from '@/lib/scalepoint/outbound/sender';
import { saveScalepointSettings } from '@/lib/scalepoint/settings/save';
import { deleteConnection } from '@/lib/scalepoint/support/connections';
import { getSupportCompanyView } from '@/lib/scalepoint/support/company-view';
import { inCompany } from '@/lib/tenancy';
import { activeCompany } from '../support/claims';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { setupScalepointStandIn } from '../support/scalepoint-stand-in';

/**
 * What Kladde sends to Scalepoint (docs/events-api.md, "What Kladde sends"): a step's outbox row
 * written in its transaction, and the sender delivering it to the local Scalepoint over real HTTP
 * — retries, per-case order, tokens, the module, several instances and a crash.
 */
const scalepoint = setupScalepointStandIn();
let t: TestDatabase;
const senders: Sender[] = [];

beforeAll(async () => {
  process.env.KLADDE_LOG = process.env.DEBUG_LOG ? '' : 'silent';
  t = await createTestDatabase({ max: 16 });
});
afterEach(async () => {
  await Promise.all(senders.splice(0).map((s) => s.stop()));
  // Nothing left pending for the next test's sender (which sees every company's rows).
  await t.db
    .update(scalepointOutbox)
    .set({ status: 'failed', reason: 'test_end' })
    .where(eq(scalepointOutbox.status, 'pending'));
});
afterAll(async () => {
  await t?.close();
});

let counter = 0;

async function company() {
  const c = await activeCompany(t.db);
  return { ...c, memberActor: (await loadActor(t.db, c.member.id))! };
}
type Company = Awaited<ReturnType<typeof company>>;

async function addConnection(
  companyId: string,
  opts: { tenant?: string; environment?: 'sandbox' | 'production'; register?: boolean } = {},
) {
  const tenant = opts.tenant ?? `out-${++counter}-${Date.now().toString(36)}`;
  const clientId = `kladde-${tenant}-${opts.environment ?? 'sandbox'}`;
  const keys = await generateConnectionKeys(clientId);
  const [row] = await t.db
    .insert(scalepointConnections)
    .values({
      companyId,
      clientId,
      tenant,
      environment: opts.environment ?? 'sandbox',
      certificatePem: keys.certificatePem,
      privateKeyEnc: encryptSecret(keys.privateKeyPem),
    })
    .returning({ id: scalepointConnections.id });
  if (opts.register !== false)
    scalepoint.standIn.registerCertificate(clientId, tenant, keys.certificatePem);
  return { tenant, connectionId: row!.id };
}

/** A Scalepoint case's draft: from an event (connectionId) or a direct claim (insurerAlias). */
async function scalepointCase(
  c: Company,
  opts: { connectionId?: string; tenant?: string; insurerAlias?: string; closed?: boolean } = {},
) {
  const customer = await createCustomerWithNextNumber(t.db, c.company.id, { name: 'Karen Kunde' });
  const caseNumber = `SP-${++counter}-${Date.now().toString(36)}`;
  const created = await insertDraft(t.db, c.company.id, {
    orderTypeId: c.types[1].id,
    orderTypeName: c.types[1].name,
    heading: 'Vandskade',
    customerId: customer.id,
    customerName: customer.name,
    source: 'scalepoint',
  });
  const orderId = created!.id;
  await t.db
    .update(orders)
    .set({
      scalepointCaseNumber: caseNumber,
      scalepointCaseId: opts.connectionId ? `case-${caseNumber}` : null,
      scalepointServiceId: opts.connectionId ? `service-${caseNumber}` : null,
      scalepointServiceReference: opts.connectionId ? `${caseNumber}-1` : null,
      scalepointConnectionId: opts.connectionId ?? null,
      scalepointTenant: opts.tenant ?? null,
      scalepointInsurerAlias: opts.insurerAlias ?? null,
      scalepointClosedAt: opts.closed ? new Date() : null,
      createdAt: new Date(Date.now() - 48 * 3_600_000),
    })
    .where(eq(orders.id, orderId));
  return { orderId, caseNumber };
}

const outboxRows = (orderId: string) =>
  t.db
    .select()
    .from(scalepointOutbox)
    .where(eq(scalepointOutbox.orderId, orderId))
    .orderBy(scalepointOutbox.createdAt);

function send(options: Partial<SenderOptions> = {}) {
  const s = startSender({
    db: t.db,
    refreshMs: 100,
    pollMs: 50,
    leaseMs: 3_000,
    backoffStartMs: 50,
    backoffMaxMs: 200,
    ...options,
  });
  senders.push(s);
  return s;
}

async function until<T>(what: () => Promise<T> | T, ok: (v: T) => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sentTo = (tenant: string) => scalepoint.standIn.sent.filter((s) => s.tenant === tenant);
const callsTo = (tenant: string) => scalepoint.standIn.sendCalls.filter((s) => s.tenant === tenant);
const hoursAgo = (h: number) => toDanishLocal(new Date(Date.now() - h * 3_600_000));

describe('the step writes its outgoing event in its transaction', () => {
  it('Godkend on an Events API case: a pending row with the body of the contract, delivered after a 503 with the same correlationId', async () => {
    const c = await company();
    const { tenant, connectionId } = await addConnection(c.company.id);
    const { orderId, caseNumber } = await scalepointCase(c, { connectionId, tenant });
    const before = new Date();
    expect(await approveDraft(t.db, c.memberActor, { orderId })).toMatchObject({ ok: true });
    const [row] = await outboxRows(orderId);
    expect(row).toMatchObject({
      status: 'pending',
      connectionId,
      caseNumber,
      property: 'ServiceAccepted',
      attempts: 0,
    });
    expect(row!.body).toEqual({
      eventType: 'repair_service_updated',
      payloadVersion: '1.0.0',
      correlationId: row!.correlationId,
      timestamp: expect.any(String),
      case: { id: `case-${caseNumber}`, number: caseNumber },
      service: { id: `service-${caseNumber}`, referenceNumber: `${caseNumber}-1` },
      serviceProvider: { name: c.company.name, companyTaxId: c.company.cvr },
      changedBy: { fullName: 'Member', userType: 'ServicePartner' },
      changes: [
        {
          property: 'ServiceAccepted',
          at: (row!.body as { timestamp: string }).timestamp,
          note: null,
        },
      ],
    });
    expect(
      new Date((row!.body as { timestamp: string }).timestamp).getTime(),
    ).toBeGreaterThanOrEqual(before.getTime() - 1000);

    scalepoint.standIn.fail('send', 503, 1);
    send();
    const [sent] = await until(
      () => outboxRows(orderId),
      (r) => r[0]?.status === 'sent',
    );
    expect(sent).toMatchObject({ attempts: 2, lastStatus: 202, reason: null });
    expect(sent!.sentAt).toBeInstanceOf(Date);
    // Two calls, the 503 and the one that got through, with one correlationId.
    expect(callsTo(tenant).map((x) => [x.status, x.correlationId])).toEqual([
      [503, row!.correlationId],
      [202, row!.correlationId],
    ]);
    const [got] = sentTo(tenant);
    expect(got!.body).toEqual(row!.body);
    expect(got!.headers).toMatchObject({
      'event-type': EVENT_TYPE,
      'content-type': 'application/json',
    });
  });

  it('Afvis carries the Begrundelse; each milestone and Genåbn are sent; Gendan writes nothing; a repeat writes nothing', async () => {
    const c = await company();
    const { tenant, connectionId } = await addConnection(c.company.id);
    const declined = await scalepointCase(c, { connectionId, tenant });
    await rejectDraft(t.db, c.memberActor, { orderId: declined.orderId, reason: 'Ikke vores fag' });
    await rejectDraft(t.db, c.memberActor, { orderId: declined.orderId, reason: 'Igen' });
    await restoreDraft(t.db, c.memberActor, { orderId: declined.orderId });
    await approveDraft(t.db, c.memberActor, { orderId: declined.orderId });
    const rows = await outboxRows(declined.orderId);
    expect(rows.map((r) => r.property)).toEqual(['ServiceDeclined', 'ServiceAccepted']);
    expect((rows[0]!.body as { changes: unknown[] }).changes[0]).toMatchObject({
      property: 'ServiceDeclined',
      reason: 'Ikke vores fag',
      note: null,
    });

    const job = await scalepointCase(c, { connectionId, tenant });
    await approveDraft(t.db, c.memberActor, { orderId: job.orderId });
    for (const kind of ['customer_contacted', 'work_started', 'work_completed'] as const) {
      const r = await recordMilestone(t.db, c.memberActor, {
        orderId: job.orderId,
        kind,
        at: hoursAgo(3 - ['customer_contacted', 'work_started', 'work_completed'].indexOf(kind)),
        note: kind === 'customer_contacted' ? 'Ringet op' : '',
      });
      expect(r).toMatchObject({ ok: true });
    }
    // A repeat of a milestone writes no step and no row.
    await recordMilestone(t.db, c.memberActor, {
      orderId: job.orderId,
      kind: 'customer_contacted',
      at: hoursAgo(3),
      note: 'Ringet op',
    });
    expect(await reopenOrder(t.db, c.adminActor, { orderId: job.orderId })).toMatchObject({
      ok: true,
    });
    const jobRows = await outboxRows(job.orderId);
    expect(jobRows.map((r) => r.property)).toEqual([
      'ServiceAccepted',
      'CustomerContacted',
      'WorkStarted',
      'WorkCompleted',
      'WorkReopened',
    ]);
    expect((jobRows[1]!.body as { changes: unknown[] }).changes[0]).toMatchObject({
      note: 'Ringet op',
    });

    send();
    await until(
      () => sentTo(tenant).length,
      (n) => n === 7,
    );
    // In the order recorded, per case.
    const sequence = (caseNumber: string) =>
      sentTo(tenant)
        .filter((s) => (s.body.case as { number: string }).number === caseNumber)
        .map((s) => (s.body.changes as { property: string }[])[0]!.property);
    expect(sequence(declined.caseNumber)).toEqual(['ServiceDeclined', 'ServiceAccepted']);
    expect(sequence(job.caseNumber)).toEqual(jobRows.map((r) => r.property));
  });
});

describe('the sender', () => {
  it('a 400 is Fejlet at once with its status, and holds the later events of its case until Send igen', async () => {
    const c = await company();
    const { tenant, connectionId } = await addConnection(c.company.id);
    const { orderId } = await scalepointCase(c, { connectionId, tenant });
    await approveDraft(t.db, c.memberActor, { orderId });
    await recordMilestone(t.db, c.memberActor, {
      orderId,
      kind: 'customer_contacted',
      at: hoursAgo(1),
    });
    const other = await scalepointCase(c, { connectionId, tenant });
    await approveDraft(t.db, c.memberActor, { orderId: other.orderId });

    scalepoint.standIn.fail('send', 400, 1);
    send({ inFlight: 1 }); // one send at a time, so the 400 meets the oldest row
    const [first, second] = await until(
      () => outboxRows(orderId),
      (r) => r[0]?.status === 'failed',
    );
    expect(first).toMatchObject({
      status: 'failed',
      reason: 'rejected',
      lastStatus: 400,
      attempts: 1,
    });
    // Another case is not held.
    await until(
      () => outboxRows(other.orderId),
      (r) => r[0]?.status === 'sent',
    );
    await wait(300);
    expect((await outboxRows(orderId))[1]).toMatchObject({
      id: second!.id,
      status: 'pending',
      attempts: 0,
    });
    const shown = await inCompany(t.db, c.company.id, (tx) =>
      outboxOfOrder(tx, c.company.id, orderId),
    );
    expect(shown.map((r) => [r.status, r.waiting])).toEqual([
      ['failed', false],
      ['pending', true],
    ]);
    const failedList = await listOutbox(t.db, c.adminActor, { sendt: 'fejlet' });
    expect(failedList.map((r) => r.id)).toEqual([first!.id]);
    expect((await listOutbox(t.db, c.adminActor, { sendt: 'bogus' })).length).toBe(3);

    // Send igen: the failed one goes, then the one behind it.
    expect(await retryOutbox(t.db, c.memberActor, { outboxId: first!.id })).toMatchObject({
      ok: true,
    });
    const rows = await until(
      () => outboxRows(orderId),
      (r) => r.every((x) => x.status === 'sent'),
    );
    expect(rows[0]).toMatchObject({ attempts: 2 });
    const forCase = sentTo(tenant).filter((s) =>
      rows.some((r) => r.correlationId === s.body.correlationId),
    );
    expect(forCase.map((s) => s.body.correlationId)).toEqual(rows.map((r) => r.correlationId));
    // Not failed (any more): ok, nothing changed.
    expect(await retryOutbox(t.db, c.memberActor, { outboxId: first!.id })).toMatchObject({
      ok: true,
    });
    expect((await outboxRows(orderId))[0]!.status).toBe('sent');
    // Another company's row: not found.
    const stranger = await company();
    await expect(retryOutbox(t.db, stranger.memberActor, { outboxId: first!.id })).rejects.toThrow(
      NotFoundError,
    );
    const state = await inCompany(t.db, c.company.id, (tx) =>
      connectionOutboundState(tx, c.company.id),
    );
    expect(state).toEqual([
      expect.objectContaining({ connectionId, pending: 0, lastSentAt: expect.any(Date) }),
    ]);
  });

  it('a 401 drops the token and tries once more with a new one; a second 401 is Fejlet unauthorized', async () => {
    const c = await company();
    const { tenant, connectionId } = await addConnection(c.company.id);
    const once = await scalepointCase(c, { connectionId, tenant });
    await approveDraft(t.db, c.memberActor, { orderId: once.orderId });
    const tokens = scalepoint.standIn.tokensIssued;
    scalepoint.standIn.fail('send', 401, 1);
    send();
    const [sent] = await until(
      () => outboxRows(once.orderId),
      (r) => r[0]?.status === 'sent',
    );
    expect(sent!.attempts).toBe(1);
    expect(scalepoint.standIn.tokensIssued).toBeGreaterThanOrEqual(tokens + 2);

    const twice = await scalepointCase(c, { connectionId, tenant });
    scalepoint.standIn.fail('send', 401, 2);
    await approveDraft(t.db, c.memberActor, { orderId: twice.orderId });
    const [failed] = await until(
      () => outboxRows(twice.orderId),
      (r) => r[0]?.status === 'failed',
    );
    expect(failed).toMatchObject({ reason: 'unauthorized', lastStatus: 401, attempts: 1 });
  });

  it('retries 5xx until the window ends, then Fejlet expired', async () => {
    const c = await company();
    const { tenant, connectionId } = await addConnection(c.company.id);
    const { orderId } = await scalepointCase(c, { connectionId, tenant });
    await approveDraft(t.db, c.memberActor, { orderId });
    scalepoint.standIn.fail('send', 503, 1000);
    send({ windowMs: 400 });
    const [row] = await until(
      () => outboxRows(orderId),
      (r) => r[0]?.status === 'failed',
    );
    scalepoint.standIn.fail('send', 503, 0);
    expect(row).toMatchObject({ reason: 'expired', lastStatus: 503 });
    expect(row!.attempts).toBeGreaterThan(2);
    expect(sentTo(tenant)).toEqual([]);
  });

  it('sends nothing while the module is off and goes when it is on again; the time off is not counted', async () => {
    const c = await company();
    const { tenant, connectionId } = await addConnection(c.company.id);
    const { orderId } = await scalepointCase(c, { connectionId, tenant });
    const settings = {
      orderTypeId: c.types[1].id,
      customerMode: 'policyholder' as const,
      phoneAsCustomerNumber: false,
    };
    await approveDraft(t.db, c.memberActor, { orderId });
    const [row] = await outboxRows(orderId);
    // As if its first try had been an hour ago: its window ends in 71 hours.
    const until71h = new Date(Date.now() + 71 * 3_600_000);
    await t.db
      .update(scalepointOutbox)
      .set({ retryUntil: until71h, attempts: 1, nextAttemptAt: new Date(Date.now() + 3_600_000) })
      .where(eq(scalepointOutbox.id, row!.id));
    const off = new Date();
    expect(
      await saveScalepointSettings(t.db, c.adminActor, { ...settings, enabled: false }, off),
    ).toMatchObject({ ok: true });
    expect((await outboxRows(orderId))[0]!.heldSince).toEqual(off);
    await t.db
      .update(scalepointOutbox)
      .set({ nextAttemptAt: new Date() })
      .where(eq(scalepointOutbox.id, row!.id));
    send();
    await wait(500);
    expect(sentTo(tenant)).toEqual([]);
    expect((await outboxRows(orderId))[0]!.status).toBe('pending');

    // On again ten minutes (by the action's clock) later: the window moves on by ten minutes.
    const on = new Date(off.getTime() + 10 * 60_000);
    await saveScalepointSettings(t.db, c.adminActor, { ...settings, enabled: true }, on);
    const [sent] = await until(
      () => outboxRows(orderId),
      (r) => r[0]?.status === 'sent',
    );
    expect(sent!.heldSince).toBeNull();
    expect(sent!.retryUntil!.getTime()).toBe(until71h.getTime() + 10 * 60_000);
    expect(sentTo(tenant)).toHaveLength(1);
  });

  it('two instances over the same rows send each row once', async () => {
    const c = await company();
    const connections = [await addConnection(c.company.id), await addConnection(c.company.id)];
    const orderIds: string[] = [];
    for (const { connectionId, tenant } of connections)
      for (let i = 0; i < 4; i++) {
        const { orderId } = await scalepointCase(c, { connectionId, tenant });
        await approveDraft(t.db, c.memberActor, { orderId });
        await recordMilestone(t.db, c.memberActor, {
          orderId,
          kind: 'customer_contacted',
          at: hoursAgo(1),
        });
        orderIds.push(orderId);
      }
    send({ owner: 'instance-a' });
    send({ owner: 'instance-b' });
    const ids = (
      await Promise.all(
        orderIds.map((id) =>
          until(
            () => outboxRows(id),
            (r) => r.length === 2 && r.every((x) => x.status === 'sent'),
          ),
        ),
      )
    )
      .flat()
      .map((r) => r.correlationId);
    const delivered = connections
      .flatMap(({ tenant }) => sentTo(tenant))
      .map((s) => s.body.correlationId);
    expect(delivered.sort()).toEqual([...ids].sort());
    expect(new Set(delivered).size).toBe(16);
  });

  it('idle, one statement per poll finds the due rows of all its connections (not one per connection)', async () => {
    if (!t.url) return; // the statistics are PostgreSQL's
    const c = await company();
    const connections = [];
    for (let i = 0; i < 30; i++) connections.push(await addConnection(c.company.id));
    const commits = async () =>
      Number(
        rowsOf<{ n: string }>(
          await t.db.execute(
            sql`select xact_commit as n from pg_stat_database where datname = current_database()`,
          ),
        )[0]!.n,
      );
    // Slow refreshes, fast polls: what is counted is the idle loops' cost.
    send({ refreshMs: 60_000, pollMs: 50 });
    await new Promise((r) => setTimeout(r, 1_500)); // every loop has read its (empty) outbox once
    const before = await commits();
    await new Promise((r) => setTimeout(r, 3_000));
    const perSecond = ((await commits()) - before) / 3;
    // One per connection per poll would be 30 × 20 = 600/s; one per poll is about 20/s.
    expect(perSecond).toBeLessThan(150);
    // Still awake: a step on one of them is sent at once.
    const { orderId } = await scalepointCase(c, connections[7]!);
    await approveDraft(t.db, c.memberActor, { orderId });
    await until(
      () => outboxRows(orderId),
      (r) => r.length === 1 && r[0]!.status === 'sent',
    );
  });

  it('an instance that crashes mid-send: its lease runs out, the other takes over and every row is sent, the lost one again with its correlationId', async () => {
    const c = await company();
    const { tenant, connectionId } = await addConnection(c.company.id);
    const orderIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { orderId } = await scalepointCase(c, { connectionId, tenant });
      await approveDraft(t.db, c.memberActor, { orderId });
      orderIds.push(orderId);
    }
    // Instance A: leases without a heartbeat (the process is gone), and a send that reaches
    // Scalepoint but never comes back.
    const owner = 'crashing-instance';
    const held: string[] = [];
    const crashed: BackgroundInstance = {
      owner,
      leaseMs: 600,
      claim: async (job, keys) => {
        const got = await claimLeases(t.db, { job, keys, owner, leaseMs: 600 });
        held.push(...got);
        return got;
      },
      release: async () => {},
      held: () => [...held],
      onLost: () => () => {},
      stop: async () => {},
    };
    const hanging: typeof fetch = async (url, init) => {
      await fetch(url, init);
      return new Promise<Response>((_, reject) =>
        init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    };
    send({
      instance: crashed,
      fetch: hanging,
      inFlight: 1,
      inFlightMs: 1_000,
      requestTimeoutMs: 60_000,
    });
    await until(
      () => sentTo(tenant).length,
      (n) => n === 1,
    );
    const lost = sentTo(tenant)[0]!.body.correlationId;
    send({ owner: 'instance-b' });
    const rows = (
      await Promise.all(
        orderIds.map((id) =>
          until(
            () => outboxRows(id),
            (r) => r[0]?.status === 'sent',
          ),
        ),
      )
    ).flat();
    const delivered = sentTo(tenant).map((s) => s.body.correlationId);
    expect(delivered).toHaveLength(4);
    expect(delivered.filter((id) => id === lost)).toHaveLength(2);
    expect(new Set(delivered)).toEqual(new Set(rows.map((r) => r.correlationId)));
  });

  it('a connection deleted by support: its waiting events are Fejlet, connection_deleted', async () => {
    const c = await company();
    const { tenant, connectionId } = await addConnection(c.company.id);
    const { orderId } = await scalepointCase(c, { connectionId, tenant });
    await approveDraft(t.db, c.memberActor, { orderId });
    const view = await getSupportCompanyView(t.db, c.supportActor, { companyId: c.company.id });
    expect(view!.connections[0]!.outbound).toEqual({
      lastSentAt: null,
      lastFailedAt: null,
      lastFailureReason: null,
      pending: 1,
    });
    expect(
      await deleteConnection(t.db, c.supportActor, { companyId: c.company.id, id: connectionId }),
    ).toMatchObject({ ok: true });
    expect((await outboxRows(orderId))[0]).toMatchObject({
      status: 'failed',
      reason: 'connection_deleted',
      connectionId: null,
    });
  });
});

describe('which connection a step is sent through', () => {
  it('a direct claim: the connection whose tenant is the insurer alias, any case, Produktion before Sandbox', async () => {
    const c = await company();
    const tenant = `alias-${++counter}-${Date.now().toString(36)}`;
    await addConnection(c.company.id, { tenant, environment: 'sandbox' });
    const production = await addConnection(c.company.id, { tenant, environment: 'production' });
    const { orderId } = await scalepointCase(c, { insurerAlias: tenant.toUpperCase() });
    await approveDraft(t.db, c.memberActor, { orderId });
    expect((await outboxRows(orderId))[0]).toMatchObject({
      status: 'pending',
      connectionId: production.connectionId,
    });
    send();
    await until(
      () => outboxRows(orderId),
      (r) => r[0]?.status === 'sent',
    );
    expect(sentTo(tenant)[0]!.clientId).toBe(`kladde-${tenant}-production`);
    const body = sentTo(tenant)[0]!.body;
    expect(body.case).toEqual({ id: null, number: expect.any(String) });
    expect(body.service).toEqual({ id: null, referenceNumber: null });
  });

  it('no connection: Sendes ikke til Scalepoint, no_connection; a closed case: case_closed; a manual order: nothing', async () => {
    const c = await company();
    const none = await scalepointCase(c, { insurerAlias: 'nobody-here' });
    await approveDraft(t.db, c.memberActor, { orderId: none.orderId });
    expect((await outboxRows(none.orderId))[0]).toMatchObject({
      status: 'not_sent',
      reason: 'no_connection',
      connectionId: null,
    });

    const { tenant, connectionId } = await addConnection(c.company.id);
    const closed = await scalepointCase(c, { connectionId, tenant, closed: true });
    await approveDraft(t.db, c.memberActor, { orderId: closed.orderId, confirmed: true });
    expect((await outboxRows(closed.orderId))[0]).toMatchObject({
      status: 'not_sent',
      reason: 'case_closed',
    });
    // Closed at Scalepoint after the step: the sender does not send it either.
    const later = await scalepointCase(c, { connectionId, tenant });
    await approveDraft(t.db, c.memberActor, { orderId: later.orderId });
    await t.db
      .update(orders)
      .set({ scalepointClosedAt: new Date() })
      .where(eq(orders.id, later.orderId));
    send();
    await until(
      () => outboxRows(later.orderId),
      (r) => r[0]?.status === 'not_sent',
    );
    expect((await outboxRows(later.orderId))[0]!.reason).toBe('case_closed');
    expect(sentTo(tenant)).toEqual([]);

    const manual = await insertDraft(t.db, c.company.id, {
      orderTypeId: c.types[0].id,
      orderTypeName: c.types[0].name,
      heading: 'Eget',
      customerId: (await createCustomerWithNextNumber(t.db, c.company.id, { name: 'X' })).id,
      customerName: 'X',
      source: 'manual',
    });
    await approveDraft(t.db, c.memberActor, { orderId: manual!.id });
    expect(await outboxRows(manual!.id)).toEqual([]);
    expect(
      await t.db
        .select()
        .from(scalepointOutbox)
        .where(
          and(eq(scalepointOutbox.companyId, c.company.id), eq(scalepointOutbox.status, 'sent')),
        ),
    ).toEqual([]);
  });
});
