import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  backgroundLeases,
  customers,
  orderNotes,
  orders,
  scalepointConnections,
  scalepointDeliveries,
  scalepointMails,
  scalepointSettings,
} from '@/db/schema';
import { encryptSecret } from '@/lib/crypto';
import { resendMailer } from '@/lib/email';
import { resetEnvCache } from '@/lib/env';
import { handleClaimDelivery } from '@/lib/scalepoint/intake/http';
import { connectionAlerter } from '@/lib/scalepoint/events/alert-mail';
import { applyEvent, applyEventBatch } from '@/lib/scalepoint/events/apply-event';
import {
  advanceCursor,
  CursorMovedError,
  ModuleOffError,
} from '@/lib/scalepoint/events/poller-state';
import type { ScalepointEvent } from '@/lib/scalepoint/events/receive-client';
import type { Db } from '@/db/client';
import { generateConnectionKeys } from '@/lib/scalepoint/events/certificate';
import {
  RECEIVER_JOB,
  startPoller,
  type Poller,
  type PollerOptions,
} from '@/lib/scalepoint/events/poller';
import { startResendStandIn, type ReceivedMail } from '@/tools/stand-ins/resend';
import { activeCompany, exampleClaim, signedRequest } from '../support/claims';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { setupScalepointStandIn } from '../support/scalepoint-stand-in';

/**
 * The Events API receiver against the local Scalepoint over real HTTP and a real database:
 * events become drafts exactly once, through the same intake core as direct delivery.
 */
const scalepoint = setupScalepointStandIn({ holdMs: 300 });
let t: TestDatabase;
let resend: http.Server;
const pollers: Poller[] = [];

beforeAll(async () => {
  process.env.KLADDE_LOG = process.env.DEBUG_LOG ? '' : 'silent';
  t = await createTestDatabase({ max: 12 });
  resend = await startResendStandIn(0);
  process.env.RESEND_API_KEY = 're_test_stand_in';
  process.env.RESEND_BASE_URL = `http://127.0.0.1:${(resend.address() as AddressInfo).port}`;
  resetEnvCache();
});
afterEach(async () => {
  await Promise.all(pollers.splice(0).map((p) => p.stop()));
});
afterAll(async () => {
  await t?.close();
  await new Promise((r) => resend.close(r));
  delete process.env.RESEND_API_KEY;
  delete process.env.RESEND_BASE_URL;
  resetEnvCache();
});

let tenantCounter = 0;

/** A company with its module on and a connection whose certificate the local Scalepoint knows. */
async function connected(rule: Parameters<typeof activeCompany>[1] = {}) {
  const c = await activeCompany(t.db, rule);
  return { ...c, ...(await addConnection(c.company.id)) };
}

/** One more connection (another tenant) of a company. */
async function addConnection(companyId: string) {
  const tenant = `tenant-${++tenantCounter}-${Date.now().toString(36)}`;
  const clientId = `kladde-${tenant}`;
  const keys = await generateConnectionKeys(clientId);
  const [connection] = await t.db
    .insert(scalepointConnections)
    .values({
      companyId,
      clientId,
      tenant,
      environment: 'sandbox',
      certificatePem: keys.certificatePem,
      privateKeyEnc: encryptSecret(keys.privateKeyPem),
    })
    .returning({ id: scalepointConnections.id });
  scalepoint.standIn.registerCertificate(clientId, tenant, keys.certificatePem);
  return { tenant, connectionId: connection!.id };
}

/** As the server polls (receiver.ts): a backlog in batches, anything else one event at a time. */
function poll(options: Partial<PollerOptions> = {}) {
  const p = startPoller({
    db: t.db,
    applyEvent,
    applyBatch: applyEventBatch,
    refreshMs: 100,
    leaseMs: 3_000,
    waitSeconds: 1,
    ...options,
  });
  pollers.push(p);
  return p;
}

const repairService = (caseNumber: string, extra: Record<string, unknown> = {}) => ({
  type: 'repair_service_requested',
  attributes: {
    eventType: 'repair_service_requested',
    payloadVersion: '1.0.0',
    case: {
      id: `id-${caseNumber}`,
      number: caseNumber,
      damageCause: 'Vandskade',
      damageCategory: 'Bygningsskade',
      policy: {
        insuranceCompany: {
          alias: 'tryg',
          subcompanyAlias: 'tryg',
          subcompanyName: 'Tryg Forsikring A/S',
        },
      },
      ...extra,
    },
    service: {
      referenceNumber: `${caseNumber}-1`,
      startDate: '2026-12-01T08:00:00Z',
      endDate: '2026-12-03T15:00:00Z',
    },
  },
});
const caseClosed = (caseNumber: string, terminationReason = 'NotCovered') => ({
  type: 'claim_updated',
  attributes: {
    eventType: 'claim_updated',
    case: { number: caseNumber },
    changes: [{ property: 'CaseClosed', isTerminated: true, terminationReason }],
  },
});

const draftsOf = (companyId: string) =>
  t.db
    .select({
      id: orders.id,
      requisitionNumber: orders.requisitionNumber,
      workDescription: orders.workDescription,
      customerName: orders.customerName,
      missingPolicyholder: orders.missingPolicyholder,
      closedAt: orders.scalepointClosedAt,
      closeReason: orders.scalepointCloseReason,
    })
    .from(orders)
    .where(eq(orders.companyId, companyId))
    .orderBy(asc(orders.requisitionNumber));
const deliveriesOf = (companyId: string) =>
  t.db
    .select()
    .from(scalepointDeliveries)
    .where(eq(scalepointDeliveries.companyId, companyId))
    .orderBy(asc(scalepointDeliveries.receivedAt), asc(scalepointDeliveries.messageId));
const leaseOwnerOf = async (connectionId: string) =>
  (
    await t.db
      .select({ owner: backgroundLeases.owner })
      .from(backgroundLeases)
      .where(and(eq(backgroundLeases.job, RECEIVER_JOB), eq(backgroundLeases.key, connectionId)))
  )[0]?.owner ?? null;
const cursorOf = async (id: string) =>
  (
    await t.db
      .select({ cursor: scalepointConnections.cursor })
      .from(scalepointConnections)
      .where(eq(scalepointConnections.id, id))
  )[0]?.cursor;

async function until<T>(what: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the Events API receiver', () => {
  it('turns repair_service_requested events into drafts, in order, with the mapping of the Events API', async () => {
    const c = await connected({ customerMode: 'insurer' });
    scalepoint.standIn.publish(c.tenant, [repairService('EV-1'), repairService('EV-2')]);
    poll();
    const drafts = await until(
      () => draftsOf(c.company.id),
      (d) => d.length === 2,
    );
    expect(drafts[0]).toMatchObject({
      requisitionNumber: 'EV-1',
      customerName: 'Tryg Forsikring A/S',
      workDescription: 'Bygningsskade: Vandskade\nServiceopgave EV-1-1: 1.12.2026 – 3.12.2026',
      missingPolicyholder: false,
    });
    // One insurer customer for both.
    const insurers = await t.db
      .select()
      .from(customers)
      .where(and(eq(customers.companyId, c.company.id), eq(customers.name, 'Tryg Forsikring A/S')));
    expect(insurers).toHaveLength(1);
    const log = await deliveriesOf(c.company.id);
    expect(log.map((d) => [d.channel, d.status])).toEqual([
      ['events', 'created'],
      ['events', 'created'],
    ]);
    const published = await until(
      () => cursorOf(c.connectionId),
      (cur) => !!cur,
    );
    expect(published).toBe(log[1]!.messageId);
  });

  it('marks a draft Mangler forsikringstager when the company takes the policyholder as customer', async () => {
    const c = await connected({ customerMode: 'policyholder' });
    scalepoint.standIn.publish(c.tenant, repairService('EV-PH'));
    poll();
    const [draft] = await until(
      () => draftsOf(c.company.id),
      (d) => d.length === 1,
    );
    expect(draft).toMatchObject({ customerName: 'Tryg Forsikring A/S', missingPolicyholder: true });
  });

  it('resumes from its cursor after a stop: no event twice, none skipped', async () => {
    const c = await connected();
    scalepoint.standIn.publish(c.tenant, [repairService('EV-R1'), repairService('EV-R2')]);
    const first = poll();
    await until(
      () => draftsOf(c.company.id),
      (d) => d.length === 2,
    );
    await first.stop();
    scalepoint.standIn.publish(c.tenant, [repairService('EV-R3'), repairService('EV-R4')]);
    poll();
    const drafts = await until(
      () => draftsOf(c.company.id),
      (d) => d.length === 4,
    );
    expect(drafts.map((d) => d.requisitionNumber)).toEqual(['EV-R1', 'EV-R2', 'EV-R3', 'EV-R4']);
    expect(await deliveriesOf(c.company.id)).toHaveLength(4);
  });

  it('handles the same event served twice once (the cursor is lost, Scalepoint sends everything again)', async () => {
    const c = await connected();
    scalepoint.standIn.publish(c.tenant, [repairService('EV-T1'), repairService('EV-T2')]);
    const first = poll();
    await until(
      () => draftsOf(c.company.id),
      (d) => d.length === 2,
    );
    await first.stop();
    await t.db
      .update(scalepointConnections)
      .set({ cursor: null })
      .where(eq(scalepointConnections.id, c.connectionId));
    poll();
    await until(
      () => cursorOf(c.connectionId),
      (cur) => cur !== null,
    );
    await until(
      async () => (await deliveriesOf(c.company.id)).map((d) => d.attempts),
      (a) => a.every((n) => n === 2),
    );
    expect(await draftsOf(c.company.id)).toHaveLength(2);
  });

  it('keys an event by its connection: two tenants of one company may use the same event id, and each event is its own', async () => {
    const c = await connected({ customerMode: 'insurer' });
    const other = await addConnection(c.company.id);
    const commit = async () => {};
    const event = (caseNumber: string) => ({ id: 'evt-shared-1', ...repairService(caseNumber) });
    await applyEvent(t.db, {
      companyId: c.company.id,
      connectionId: c.connectionId,
      event: event('EV-K1'),
      commit,
    });
    await applyEvent(t.db, {
      companyId: c.company.id,
      connectionId: other.connectionId,
      event: event('EV-K2'),
      commit,
    });
    // The same event again on the first connection is a redelivery.
    await applyEvent(t.db, {
      companyId: c.company.id,
      connectionId: c.connectionId,
      event: event('EV-K1'),
      commit,
    });
    expect((await draftsOf(c.company.id)).map((d) => d.requisitionNumber)).toEqual([
      'EV-K1',
      'EV-K2',
    ]);
    const log = await deliveriesOf(c.company.id);
    expect(
      log
        .map((d) => [d.connectionId, d.messageId, d.caseNumber, d.status, d.attempts, d.accountId])
        .sort(),
    ).toEqual(
      [
        [c.connectionId, 'evt-shared-1', 'EV-K1', 'created', 2, null],
        [other.connectionId, 'evt-shared-1', 'EV-K2', 'created', 1, null],
      ].sort(),
    );
  });

  it('lets one of two instances poll a connection, and both together handle each event once', async () => {
    const c = await connected();
    poll({ owner: 'instance-a' });
    poll({ owner: 'instance-b' });
    const cases = Array.from({ length: 20 }, (_, i) => `EV-I${String(i).padStart(2, '0')}`);
    for (const n of cases) scalepoint.standIn.publish(c.tenant, repairService(n));
    const drafts = await until(
      () => draftsOf(c.company.id),
      (d) => d.length === 20,
    );
    expect(drafts.map((d) => d.requisitionNumber)).toEqual(cases);
    expect(await deliveriesOf(c.company.id)).toHaveLength(20);
    const leases = await t.db
      .select({ owner: backgroundLeases.owner })
      .from(backgroundLeases)
      .where(and(eq(backgroundLeases.job, RECEIVER_JOB), eq(backgroundLeases.key, c.connectionId)));
    expect(leases).toHaveLength(1);
    expect(['instance-a', 'instance-b']).toContain(leases[0]!.owner);
  });

  it('hands a connection to the other instance at once when one stops, and after its lease runs out when one dies', async () => {
    const c = await connected();
    const a = poll({ owner: 'instance-a' });
    await until(
      () => leaseOwnerOf(c.connectionId),
      (o) => o === 'instance-a',
    );
    poll({ owner: 'instance-b' });
    scalepoint.standIn.publish(c.tenant, repairService('EV-H1'));
    await until(
      () => draftsOf(c.company.id),
      (d) => d.length === 1,
    );
    // A stop gives the lease back: b polls within one refresh, not one lease period.
    await a.stop();
    await until(
      () => leaseOwnerOf(c.connectionId),
      (o) => o === 'instance-b',
      2_000,
    );
    scalepoint.standIn.publish(c.tenant, repairService('EV-H2'));
    await until(
      () => draftsOf(c.company.id),
      (d) => d.length === 2,
    );
    // b dies without a word (its lease is left to run out, as after a crash); c takes over.
    await t.db
      .update(backgroundLeases)
      .set({ owner: 'instance-gone', expiresAt: sql`now() + interval '1 second'` })
      .where(and(eq(backgroundLeases.job, RECEIVER_JOB), eq(backgroundLeases.key, c.connectionId)));
    poll({ owner: 'instance-c' });
    await until(
      () => leaseOwnerOf(c.connectionId),
      (o) => o === 'instance-c' || o === 'instance-b',
      5_000,
    );
    scalepoint.standIn.publish(c.tenant, repairService('EV-H3'));
    const drafts = await until(
      () => draftsOf(c.company.id),
      (d) => d.length === 3,
    );
    expect(drafts.map((d) => d.requisitionNumber)).toEqual(['EV-H1', 'EV-H2', 'EV-H3']);
    expect((await deliveriesOf(c.company.id)).map((d) => d.attempts)).toEqual([1, 1, 1]);
  });

  it('makes one draft of a case that arrives by direct delivery and by event', async () => {
    const c = await connected({ customerMode: 'insurer' });
    const direct = await handleClaimDelivery(
      t.db,
      signedRequest(c.account, { ...exampleClaim(), caseNumber: 'EV-BOTH' }),
    );
    expect(direct.status).toBe(201);
    scalepoint.standIn.publish(c.tenant, repairService('EV-BOTH'));
    poll();
    const log = await until(
      () => deliveriesOf(c.company.id),
      (d) => d.length === 2,
    );
    expect(log.map((d) => [d.channel, d.status, d.reason])).toEqual([
      ['direct', 'created', null],
      ['events', 'duplicate', 'duplicate_case'],
    ]);
    expect(await draftsOf(c.company.id)).toHaveLength(1);
    // The second service's line is a note on the draft.
    const notes = await t.db
      .select({ text: orderNotes.text })
      .from(orderNotes)
      .where(eq(orderNotes.orderId, log[0]!.orderId!));
    expect(notes.map((n) => n.text)).toContain('Serviceopgave EV-BOTH-1: 1.12.2026 – 3.12.2026');
  });

  it('stores a poison event as a failed, replayable delivery and goes on with the next one', async () => {
    const c = await connected();
    scalepoint.standIn.publish(c.tenant, [
      repairService('EV-P1', { damageCause: 'Vand\u0000skade' }),
      repairService('EV-P2'),
    ]);
    poll();
    const drafts = await until(
      () => draftsOf(c.company.id),
      (d) => d.length === 1,
    );
    expect(drafts[0]!.requisitionNumber).toBe('EV-P2');
    const log = await deliveriesOf(c.company.id);
    expect(log.map((d) => [d.status, d.reason])).toEqual([
      ['failed', 'invalid_event'],
      ['created', null],
    ]);
    expect(log[0]!.issues).toEqual([
      {
        path: 'attributes.case.damageCause',
        message: 'Control characters and lone surrogates are not allowed',
      },
    ]);
  });

  it('marks a case closed with the Danish reason, and a reopening removes it; an unknown case is ignored', async () => {
    const c = await connected();
    scalepoint.standIn.publish(c.tenant, [
      repairService('EV-C1'),
      caseClosed('EV-C1', 'BelowDeductible'),
      caseClosed('EV-NOPE'),
    ]);
    poll();
    await until(
      () => deliveriesOf(c.company.id),
      (d) => d.length === 3,
    );
    let [draft] = await draftsOf(c.company.id);
    expect(draft!.closeReason).toBe('Under selvrisiko');
    expect(draft!.closedAt).not.toBeNull();
    expect((await deliveriesOf(c.company.id)).map((d) => d.status)).toEqual([
      'created',
      'updated',
      'ignored',
    ]);
    scalepoint.standIn.publish(c.tenant, {
      type: 'claim_updated',
      attributes: { case: { number: 'EV-C1' }, changes: [{ property: 'CaseReopened' }] },
    });
    await until(
      () => deliveriesOf(c.company.id),
      (d) => d.length === 4,
    );
    [draft] = await draftsOf(c.company.id);
    expect(draft!.closedAt).toBeNull();
    expect(draft!.closeReason).toBeNull();
  });

  it('does not poll while the module is off, and handles the waiting events once it is on', async () => {
    const c = await connected();
    await t.db
      .update(scalepointSettings)
      .set({ enabled: false, updatedAt: new Date() })
      .where(eq(scalepointSettings.companyId, c.company.id));
    scalepoint.standIn.publish(c.tenant, repairService('EV-OFF'));
    const before = scalepoint.standIn.receiveCalls;
    poll();
    await new Promise((r) => setTimeout(r, 600));
    expect(await draftsOf(c.company.id)).toHaveLength(0);
    await t.db
      .update(scalepointSettings)
      .set({ enabled: true, updatedAt: new Date() })
      .where(eq(scalepointSettings.companyId, c.company.id));
    await until(
      () => draftsOf(c.company.id),
      (d) => d.length === 1,
    );
    expect(scalepoint.standIn.receiveCalls).toBeGreaterThan(before);
  });

  it('never lets one company’s connection touch another company', async () => {
    const a = await connected();
    const b = await connected();
    scalepoint.standIn.publish(a.tenant, repairService('EV-A'));
    poll();
    await until(
      () => draftsOf(a.company.id),
      (d) => d.length === 1,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(await draftsOf(b.company.id)).toHaveLength(0);
    expect(await deliveriesOf(b.company.id)).toHaveLength(0);
  });

  it('records the failure, backs off, and mails the admins once when a connection keeps failing', async () => {
    const c = await connected();
    const mails = async () =>
      (
        (await (
          await fetch(`${process.env.RESEND_BASE_URL}/_test/emails`)
        ).json()) as ReceivedMail[]
      ).filter((m) => String(m.body.to).includes(c.company.id));
    // Scalepoint forgets the certificate: every token request is refused.
    const keys = await t.db
      .select({ pem: scalepointConnections.certificatePem })
      .from(scalepointConnections)
      .where(eq(scalepointConnections.id, c.connectionId));
    expect(keys).toHaveLength(1);
    await t.db
      .update(scalepointConnections)
      .set({ clientId: 'not-registered' })
      .where(eq(scalepointConnections.id, c.connectionId));
    poll({ alertAfterMs: 500, alertFailing: connectionAlerter(resendMailer) });
    const [row] = await until(
      () =>
        t.db
          .select()
          .from(scalepointConnections)
          .where(eq(scalepointConnections.id, c.connectionId)),
      (r) => !!r[0]?.alertedAt,
      15_000,
    );
    expect(row!.lastErrorCode).toBe('invalid_client');
    expect(row!.failingSince).not.toBeNull();
    const sent = await until(mails, (m) => m.length >= 1);
    expect(sent).toHaveLength(1);
    expect(String(sent[0]!.body.subject)).toMatch(/Scalepoint.*forbindelse/);
    // Still failing a while later: no second mail within 24 hours.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await mails()).toHaveLength(1);
    const recorded = await t.db
      .select({ kind: scalepointMails.kind, status: scalepointMails.status })
      .from(scalepointMails)
      .where(eq(scalepointMails.companyId, c.company.id));
    expect(recorded).toContainEqual({ kind: 'connection_alert', status: 'sent' });
  });

  it('picks up a corrected connection at once, without waiting out its back-off', async () => {
    const c = await connected();
    const [{ clientId }] = (await t.db
      .select({ clientId: scalepointConnections.clientId })
      .from(scalepointConnections)
      .where(eq(scalepointConnections.id, c.connectionId))) as [{ clientId: string }];
    // Saved with a typo in the Klient-id: every token request is refused and the loop backs off.
    await t.db
      .update(scalepointConnections)
      .set({ clientId: `${clientId}-typo` })
      .where(eq(scalepointConnections.id, c.connectionId));
    scalepoint.standIn.publish(c.tenant, repairService('EV-FIX'));
    poll();
    await until(
      () =>
        t.db
          .select({ failures: scalepointConnections.failingSince })
          .from(scalepointConnections)
          .where(eq(scalepointConnections.id, c.connectionId)),
      (r) => !!r[0]?.failures,
    );
    await new Promise((r) => setTimeout(r, 3_500)); // several failures: the back-off is at 4–8 s now
    // Support corrects it (as saveConnection does: the version moves).
    const fixedAt = Date.now();
    await t.db
      .update(scalepointConnections)
      .set({ clientId, version: sql`${scalepointConnections.version} + 1`, changedAt: new Date() })
      .where(eq(scalepointConnections.id, c.connectionId));
    await until(
      () => draftsOf(c.company.id),
      (d) => d.length === 1,
    );
    expect(Date.now() - fixedAt).toBeLessThan(3_000);
  });

  it('keeps the cursor where it is while Scalepoint is away, and catches up when it is back', async () => {
    const c = await connected();
    scalepoint.standIn.publish(c.tenant, repairService('EV-O1'));
    poll();
    await until(
      () => draftsOf(c.company.id),
      (d) => d.length === 1,
    );
    const cursor = await cursorOf(c.connectionId);
    scalepoint.standIn.fail('receive', 503, 2);
    scalepoint.standIn.publish(c.tenant, repairService('EV-O2'));
    const rows = await until(
      () => draftsOf(c.company.id),
      (d) => d.length === 2,
      15_000,
    );
    expect(rows.map((d) => d.requisitionNumber)).toEqual(['EV-O1', 'EV-O2']);
    expect(await cursorOf(c.connectionId)).not.toBe(cursor);
  });
});

describe('draining a backlog in batches', () => {
  const eventId = (n: number) => `_${900_000 + n}`;
  const asEvents = (list: { type: string; attributes: Record<string, unknown> }[]) =>
    list.map((e, i) => ({ id: eventId(i), ...e }));

  it('turns a batch with a poison event, a known case and a closing in the middle into one delivery per event, in order, the cursor past all', async () => {
    const c = await connected({ customerMode: 'insurer' });
    const direct = await handleClaimDelivery(
      t.db,
      signedRequest(c.account, { ...exampleClaim(), caseNumber: 'EV-B6' }),
    );
    expect(direct.status).toBe(201);
    const batches: { applied: number; alone: number }[] = [];
    const published = scalepoint.standIn.publish(c.tenant, [
      ...['EV-B1', 'EV-B2', 'EV-B3', 'EV-B4'].map((n) => repairService(n)),
      repairService('EV-BX', { damageCause: 'Vand\u0000skade' }),
      repairService('EV-B5'),
      repairService('EV-B6'), // known from direct delivery: a duplicate, its service line a note
      repairService('EV-B7'),
      repairService('EV-B8'),
      caseClosed('EV-B1'),
      repairService('EV-B9'),
      repairService('EV-B10'),
    ]);
    poll({
      applyBatch: async (db, input) => {
        const done = await applyEventBatch(db, input);
        batches.push(done);
        return done;
      },
    });
    await until(
      () => cursorOf(c.connectionId),
      (cur) => cur === published.at(-1)!.id,
    );
    const log = (await deliveriesOf(c.company.id)).filter((d) => d.channel === 'events');
    const byId = new Map(log.map((d) => [d.messageId, [d.caseNumber, d.status, d.reason]]));
    expect(published.map((e) => byId.get(e.id))).toEqual([
      ['EV-B1', 'created', null],
      ['EV-B2', 'created', null],
      ['EV-B3', 'created', null],
      ['EV-B4', 'created', null],
      ['EV-BX', 'failed', 'invalid_event'],
      ['EV-B5', 'created', null],
      ['EV-B6', 'duplicate', 'duplicate_case'],
      ['EV-B7', 'created', null],
      ['EV-B8', 'created', null],
      ['EV-B1', 'updated', 'case_closed'],
      ['EV-B9', 'created', null],
      ['EV-B10', 'created', null],
    ]);
    expect(log.every((d) => d.attempts === 1)).toBe(true);
    const drafts = await draftsOf(c.company.id);
    expect(drafts.map((d) => d.requisitionNumber).sort()).toEqual([
      'EV-B1',
      'EV-B10',
      'EV-B2',
      'EV-B3',
      'EV-B4',
      'EV-B5',
      'EV-B6',
      'EV-B7',
      'EV-B8',
      'EV-B9',
    ]);
    expect(drafts.find((d) => d.requisitionNumber === 'EV-B3')).toMatchObject({
      customerName: 'Tryg Forsikring A/S',
      workDescription: 'Bygningsskade: Vandskade\nServiceopgave EV-B3-1: 1.12.2026 – 3.12.2026',
    });
    expect(drafts.find((d) => d.requisitionNumber === 'EV-B1')!.closeReason).toBe('Ikke dækket');
    // Batches did the runs of new cases (4, then 7-8 and 9-10 as the run allows); the rest went singly.
    expect(batches.filter((b) => b.applied > 0).map((b) => b.applied)).toEqual([4, 2, 2]);
    // One insurer customer for them all, and every draft's delivery points at it.
    const insurers = await t.db
      .select()
      .from(customers)
      .where(and(eq(customers.companyId, c.company.id), eq(customers.name, 'Tryg Forsikring A/S')));
    expect(insurers).toHaveLength(1);
    expect(
      log
        .filter((d) => d.status === 'created')
        .every((d) => d.customerId === insurers[0]!.id && !!d.orderId),
    ).toBe(true);
  });

  it('rolls the whole batch back when anything in it throws, and the poller then applies its events one by one', async () => {
    const c = await connected();
    const published = scalepoint.standIn.publish(
      c.tenant,
      ['EV-F1', 'EV-F2', 'EV-F3'].map((n) => repairService(n)),
    );
    let thrown = 0;
    poll({
      applyBatch: (db, input) =>
        applyEventBatch(db, {
          ...input,
          commit: async (tx, to) => {
            if (thrown++ === 0) throw new Error('a fault inside the batch');
            await input.commit(tx, to);
          },
        }),
    });
    await until(
      () => cursorOf(c.connectionId),
      (cur) => cur === published.at(-1)!.id,
    );
    expect(thrown).toBe(1);
    const log = await deliveriesOf(c.company.id);
    expect(log.map((d) => [d.caseNumber, d.status, d.attempts])).toEqual([
      ['EV-F1', 'created', 1],
      ['EV-F2', 'created', 1],
      ['EV-F3', 'created', 1],
    ]);
    expect(await draftsOf(c.company.id)).toHaveLength(3);
  });

  it('stores nothing and throws when the cursor moved under it; the module off leaves the events to one-by-one', async () => {
    const c = await connected();
    const events = asEvents(['EV-L1', 'EV-L2'].map((n) => repairService(n)));
    const input = { companyId: c.company.id, connectionId: c.connectionId, events };
    await expect(
      applyEventBatch(t.db, {
        ...input,
        commit: async () => {
          throw new CursorMovedError();
        },
      }),
    ).rejects.toBeInstanceOf(CursorMovedError);
    expect(await deliveriesOf(c.company.id)).toHaveLength(0);
    expect(await draftsOf(c.company.id)).toHaveLength(0);

    await t.db
      .update(scalepointSettings)
      .set({ enabled: false })
      .where(eq(scalepointSettings.companyId, c.company.id));
    let moved = false;
    expect(
      await applyEventBatch(t.db, {
        ...input,
        commit: async () => {
          moved = true;
        },
      }),
    ).toEqual({ applied: 0, alone: 2 });
    expect(moved).toBe(false);
    expect(await deliveriesOf(c.company.id)).toHaveLength(0);
  });

  it('leaves a batch of one, and a run that starts with a known event, to one-by-one', async () => {
    const c = await connected();
    const commit = async () => {};
    const one = asEvents([repairService('EV-S1')]);
    expect(
      await applyEventBatch(t.db, {
        companyId: c.company.id,
        connectionId: c.connectionId,
        events: one,
        commit,
      }),
    ).toEqual({ applied: 0, alone: 1 });
    const direct = await handleClaimDelivery(
      t.db,
      signedRequest(c.account, { ...exampleClaim(), caseNumber: 'EV-S2' }),
    );
    expect(direct.status).toBe(201);
    const known = asEvents(['EV-S2', 'EV-S3', 'EV-S4'].map((n) => repairService(n)));
    expect(
      await applyEventBatch(t.db, {
        companyId: c.company.id,
        connectionId: c.connectionId,
        events: known,
        commit,
      }),
    ).toEqual({ applied: 0, alone: 1 });
    expect((await deliveriesOf(c.company.id)).filter((d) => d.channel === 'events')).toHaveLength(
      0,
    );
  });
});

describe('an event fetched while the module is being turned off', () => {
  /** As an admin's save writes it: the settings row's `enabled`, and its `updated_at` (the loop's generation). */
  const setModule = (companyId: string, enabled: boolean) =>
    t.db
      .update(scalepointSettings)
      .set({ enabled, updatedAt: new Date() })
      .where(eq(scalepointSettings.companyId, companyId));
  const healthOf = async (id: string) =>
    (
      await t.db
        .select({
          lastErrorCode: scalepointConnections.lastErrorCode,
          failingSince: scalepointConnections.failingSince,
          alertedAt: scalepointConnections.alertedAt,
        })
        .from(scalepointConnections)
        .where(eq(scalepointConnections.id, id))
    )[0];
  /** A case the company already has (by direct delivery, while the module is on). */
  async function knownCase(c: Awaited<ReturnType<typeof connected>>, caseNumber: string) {
    const direct = await handleClaimDelivery(
      t.db,
      signedRequest(c.account, { ...exampleClaim(), caseNumber }),
    );
    expect(direct.status).toBe(201);
  }

  it('is not consumed: applyEvent throws ModuleOffError, stores no delivery and leaves the cursor where it was — whatever the event', async () => {
    const c = await connected();
    await knownCase(c, 'EV-M0');
    await setModule(c.company.id, false);
    const input = (event: ScalepointEvent) => ({
      companyId: c.company.id,
      connectionId: c.connectionId,
      event,
      commit: (tx: Db) => advanceCursor(tx, c.connectionId, null, event.id),
    });
    const events = [
      { id: '_800001', ...repairService('EV-M1') },
      { id: '_800002', ...caseClosed('EV-M0') },
      { id: '_800003', ...repairService('EV-M2', { damageCause: 'Vand\u0000skade' }) },
    ];
    for (const event of events)
      await expect(applyEvent(t.db, input(event))).rejects.toBeInstanceOf(ModuleOffError);
    expect((await deliveriesOf(c.company.id)).filter((d) => d.channel === 'events')).toEqual([]);
    expect(await cursorOf(c.connectionId)).toBeNull();
    const [known] = await draftsOf(c.company.id);
    expect(known).toMatchObject({ requisitionNumber: 'EV-M0', closedAt: null });

    // On again: the same event becomes a draft, and its cursor move commits with it.
    await setModule(c.company.id, true);
    await applyEvent(t.db, input(events[0]!));
    expect((await draftsOf(c.company.id)).map((d) => d.requisitionNumber)).toEqual([
      'EV-M0',
      'EV-M1',
    ]);
    expect(await cursorOf(c.connectionId)).toBe('_800001');

    // A redelivery of a handled event waits too (it is answered before anything is decided).
    await setModule(c.company.id, false);
    await expect(
      applyEvent(t.db, {
        ...input(events[0]!),
        commit: (tx) => advanceCursor(tx, c.connectionId, '_800001', '_800001'),
      }),
    ).rejects.toBeInstanceOf(ModuleOffError);
    const log = (await deliveriesOf(c.company.id)).filter((d) => d.channel === 'events');
    expect(log.map((d) => [d.messageId, d.status, d.attempts])).toEqual([
      ['_800001', 'created', 1],
    ]);
  });

  it('waits, one by one, while the module is off — no error, no alert, the cursor before the events — and handles each once it is on', async () => {
    const c = await connected({ customerMode: 'insurer' });
    await knownCase(c, 'EV-W0');
    const published = scalepoint.standIn.publish(c.tenant, [
      repairService('EV-W1'),
      caseClosed('EV-W0'),
      repairService('EV-W2'),
    ]);
    let offAt = 0;
    let refused = 0;
    let alerts = 0;
    poll({
      applyBatch: undefined,
      alertAfterMs: 0,
      // (This poller polls the other tests' connections too: only this one's count.)
      alertFailing: async (_db, { connectionId }) => {
        if (connectionId === c.connectionId) alerts += 1;
      },
      // The admin turns the module off after the poller fetched the events, before it applies one.
      applyEvent: async (db, input) => {
        if (input.connectionId !== c.connectionId) return applyEvent(db, input);
        if (!offAt) {
          offAt = Date.now();
          await setModule(c.company.id, false);
        }
        try {
          await applyEvent(db, input);
        } catch (e) {
          if (e instanceof ModuleOffError) refused += 1;
          throw e;
        }
      },
    });
    await until(
      async () => offAt,
      (at) => at > 0,
    );
    await new Promise((r) => setTimeout(r, 800)); // the supervisor stops the loop meanwhile
    expect((await deliveriesOf(c.company.id)).filter((d) => d.channel === 'events')).toEqual([]);
    expect(await cursorOf(c.connectionId)).toBeNull();
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(await leaseOwnerOf(c.connectionId)).toBeNull(); // stopped, its lease given back
    expect(alerts).toBe(0);
    expect(await healthOf(c.connectionId)).toEqual({
      lastErrorCode: null,
      failingSince: null,
      alertedAt: null,
    });
    expect((await draftsOf(c.company.id))[0]!.closedAt).toBeNull();

    await setModule(c.company.id, true);
    await until(
      () => cursorOf(c.connectionId),
      (cur) => cur === published.at(-1)!.id,
    );
    const log = (await deliveriesOf(c.company.id)).filter((d) => d.channel === 'events');
    const byId = new Map(log.map((d) => [d.messageId, [d.caseNumber, d.status, d.attempts]]));
    expect(published.map((e) => byId.get(e.id))).toEqual([
      ['EV-W1', 'created', 1],
      ['EV-W0', 'updated', 1],
      ['EV-W2', 'created', 1],
    ]);
    expect(log).toHaveLength(3);
    const drafts = await draftsOf(c.company.id);
    expect(drafts.map((d) => d.requisitionNumber)).toEqual(['EV-W0', 'EV-W1', 'EV-W2']);
    expect(drafts[0]!.closeReason).toBe('Ikke dækket');
    expect((await healthOf(c.connectionId))!.lastErrorCode).toBeNull();
  });

  it('waits in the batch path too: a batch that finds the module off is not applied one by one', async () => {
    const c = await connected();
    const published = scalepoint.standIn.publish(
      c.tenant,
      ['EV-WB1', 'EV-WB2', 'EV-WB3'].map((n) => repairService(n)),
    );
    let offAt = 0;
    const batches: { applied: number; alone: number }[] = [];
    poll({
      applyBatch: async (db, input) => {
        if (input.connectionId !== c.connectionId) return applyEventBatch(db, input);
        if (!offAt) {
          offAt = Date.now();
          await setModule(c.company.id, false);
        }
        const done = await applyEventBatch(db, input);
        batches.push(done);
        return done;
      },
    });
    await until(
      async () => batches.length,
      (n) => n >= 1,
    );
    await new Promise((r) => setTimeout(r, 800)); // the supervisor stops the loop meanwhile
    expect(await deliveriesOf(c.company.id)).toEqual([]);
    expect(await draftsOf(c.company.id)).toEqual([]);
    expect(await cursorOf(c.connectionId)).toBeNull();
    expect((await healthOf(c.connectionId))!.lastErrorCode).toBeNull();

    await setModule(c.company.id, true);
    await until(
      () => cursorOf(c.connectionId),
      (cur) => cur === published.at(-1)!.id,
    );
    const log = await deliveriesOf(c.company.id);
    expect(log.map((d) => [d.caseNumber, d.status, d.attempts])).toEqual([
      ['EV-WB1', 'created', 1],
      ['EV-WB2', 'created', 1],
      ['EV-WB3', 'created', 1],
    ]);
    expect((await draftsOf(c.company.id)).map((d) => d.requisitionNumber)).toEqual([
      'EV-WB1',
      'EV-WB2',
      'EV-WB3',
    ]);
    // Once on, the backlog went as one batch.
    expect(batches.filter((b) => b.applied > 0).map((b) => b.applied)).toEqual([3]);
  });
});
