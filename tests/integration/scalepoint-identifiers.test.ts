import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orders, scalepointConnections, scalepointDeliveries } from '@/db/schema/index';
import { encryptSecret } from '@/lib/crypto';
import { getOrder } from '@/lib/orders/queries';
import { replayDelivery } from '@/lib/scalepoint/admin/replay';
import { applyEvent, applyEventBatch, decideEvent } from '@/lib/scalepoint/events/apply-event';
import type { ScalepointEvent } from '@/lib/scalepoint/events/receive-client';
import { recordAndApplyDelivery } from '@/lib/scalepoint/intake/apply-delivery';
import { handleClaimDelivery } from '@/lib/scalepoint/intake/http';
import { saveScalepointSettings } from '@/lib/scalepoint/settings/save';
import { activeCompany, exampleClaim, signedRequest } from '../support/claims';
import { createTestDatabase, type TestDatabase } from '../support/db';

/**
 * Scalepoint's identifiers kept with the case (docs/intake.md, "Scalepoint's identifiers"): a
 * direct claim's (both paths) and an event's (one by one, a batch, a replay) land on the order
 * as the case arrives, and the order page's read shows the Serviceopgave.
 */
let t: TestDatabase;
beforeAll(async () => {
  process.env.KLADDE_LOG = 'silent';
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

/** The identifier columns of one order. */
async function idsOf(orderId: string) {
  const [o] = await t.db
    .select({
      caseId: orders.scalepointCaseId,
      caseExternalId: orders.scalepointCaseExternalId,
      serviceId: orders.scalepointServiceId,
      serviceReference: orders.scalepointServiceReference,
      tenant: orders.scalepointTenant,
      connectionId: orders.scalepointConnectionId,
      caseUrl: orders.scalepointCaseUrl,
      caseType: orders.scalepointCaseType,
      policyNumber: orders.scalepointPolicyNumber,
      insurerAlias: orders.scalepointInsurerAlias,
    })
    .from(orders)
    .where(eq(orders.id, orderId));
  return o;
}

const noEventIds = {
  caseId: null,
  caseExternalId: null,
  serviceId: null,
  serviceReference: null,
  tenant: null,
  connectionId: null,
};
const noClaimIds = { caseUrl: null, caseType: null, policyNumber: null, insurerAlias: null };

async function orderOfCase(companyId: string, caseNumber: string) {
  const [o] = await t.db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.companyId, companyId), eq(orders.scalepointCaseNumber, caseNumber)));
  return o!.id;
}

let tenants = 0;
async function connectionOf(companyId: string) {
  const tenant = `ids-${++tenants}`;
  const [row] = await t.db
    .insert(scalepointConnections)
    .values({
      companyId,
      clientId: `kladde-${tenant}`,
      tenant,
      environment: 'sandbox',
      certificatePem: 'not read here',
      privateKeyEnc: encryptSecret('not read here'),
    })
    .returning({ id: scalepointConnections.id });
  return { connectionId: row!.id, tenant };
}

const repairService = (caseNumber: string, id: string): ScalepointEvent => ({
  id,
  type: 'repair_service_requested',
  attributes: {
    eventType: 'repair_service_requested',
    case: {
      id: `case-${caseNumber}`,
      number: caseNumber,
      // Trimmed as every text the schema reads; a non-negative integer is taken as its digits.
      externalId: `  ext-${caseNumber} `,
      policy: { insuranceCompany: { alias: 'tryg', subcompanyName: 'Tryg Forsikring A/S' } },
    },
    service: { referenceNumber: `${caseNumber}-1`, id: 90210 },
  },
});
const eventIds = (caseNumber: string, connection: { connectionId: string; tenant: string }) => ({
  caseId: `case-${caseNumber}`,
  caseExternalId: `ext-${caseNumber}`,
  serviceId: '90210',
  serviceReference: `${caseNumber}-1`,
  ...connection,
});
const commit = async () => {};

describe('a direct claim', () => {
  it('keeps caseUrl, caseType, policyNumber and insurer.alias, optimistically and under locks', async () => {
    const c = await activeCompany(t.db);
    const claim = exampleClaim();
    const res = await handleClaimDelivery(t.db, signedRequest(c.account, claim));
    expect(res.status).toBe(201);
    const expected = {
      ...noEventIds,
      caseUrl: 'https://www.scalepoint.com/dk/case/8f2c1d',
      caseType: 'buildingClaim',
      policyNumber: '641-2231-77',
      insurerAlias: 'tryg',
    };
    expect(await idsOf(res.body.orderId as string)).toEqual(expected);

    const locked = exampleClaim();
    const rawBody = JSON.stringify(locked);
    const outcome = await recordAndApplyDelivery(t.db, {
      companyId: c.company.id,
      channel: 'direct',
      accountId: c.account.accountId,
      messageId: 'msg-locked',
      rawBody,
      json: JSON.parse(rawBody) as unknown,
      headers: {},
    });
    expect(outcome.kind).toBe('created');
    expect(await idsOf(await orderOfCase(c.company.id, locked.caseNumber))).toEqual(expected);

    // A claim without them leaves them null; the order page has no Serviceopgave for it.
    const bare = { ...exampleClaim(), caseUrl: null, caseType: '  ', policyNumber: undefined };
    bare.insurer = { ...bare.insurer, alias: null as never };
    const plain = await handleClaimDelivery(t.db, signedRequest(c.account, bare));
    expect(plain.status).toBe(201);
    expect(await idsOf(plain.body.orderId as string)).toEqual({ ...noEventIds, ...noClaimIds });
    expect(
      await getOrder(t.db, c.adminActor, { orderId: plain.body.orderId as string }),
    ).toMatchObject({ scalepointServiceReference: null });
  });
});

describe('an Events API event', () => {
  it('keeps case.id, case.externalId, service.id, service.referenceNumber, the tenant and the connection, one by one', async () => {
    const c = await activeCompany(t.db, { customerMode: 'insurer' });
    const connection = await connectionOf(c.company.id);
    await applyEvent(t.db, {
      companyId: c.company.id,
      ...connection,
      event: repairService('EV-ID-1', 'evt-1'),
      commit,
    });
    const orderId = await orderOfCase(c.company.id, 'EV-ID-1');
    expect(await idsOf(orderId)).toEqual({ ...eventIds('EV-ID-1', connection), ...noClaimIds });
    // The order page's read: Serviceopgave is the reference number.
    expect(await getOrder(t.db, c.adminActor, { orderId })).toMatchObject({
      scalepointCaseNumber: 'EV-ID-1',
      scalepointServiceReference: 'EV-ID-1-1',
    });

    // A second service for the known case is a note; the order keeps the first one's identifiers.
    await applyEvent(t.db, {
      companyId: c.company.id,
      ...connection,
      event: {
        ...repairService('EV-ID-1', 'evt-2'),
        attributes: {
          case: { number: 'EV-ID-1', policy: { insuranceCompany: { alias: 'tryg' } } },
          service: { referenceNumber: 'EV-ID-1-2', id: 'svc-2' },
        },
      },
      commit,
    });
    expect(await idsOf(orderId)).toEqual({ ...eventIds('EV-ID-1', connection), ...noClaimIds });
  });

  it('keeps them in a batch', async () => {
    const c = await activeCompany(t.db, { customerMode: 'insurer' });
    const connection = await connectionOf(c.company.id);
    const done = await applyEventBatch(t.db, {
      companyId: c.company.id,
      ...connection,
      events: [repairService('EV-ID-2', 'evt-1'), repairService('EV-ID-3', 'evt-2')],
      commit,
    });
    expect(done).toEqual({ applied: 2, alone: 0 });
    for (const caseNumber of ['EV-ID-2', 'EV-ID-3'])
      expect(await idsOf(await orderOfCase(c.company.id, caseNumber))).toEqual({
        ...eventIds(caseNumber, connection),
        ...noClaimIds,
      });
  });

  it('names no connection that is gone: a replay after support deleted it, and a deletion afterwards', async () => {
    const c = await activeCompany(t.db, { customerMode: 'insurer', enabled: false });
    const gone = await connectionOf(c.company.id);
    // An event stored Modul slået fra (before the receiver left such events waiting at Scalepoint:
    // docs/events-api.md, "The receiver"), through the core as a replay reads it.
    const stored = repairService('EV-ID-4', 'evt-1');
    await recordAndApplyDelivery(
      t.db,
      {
        companyId: c.company.id,
        channel: 'events',
        connectionId: gone.connectionId,
        messageId: stored.id,
        rawBody: JSON.stringify(stored),
        json: stored,
        headers: {},
      },
      { decide: decideEvent },
    );
    const [rejected] = await t.db
      .select({ id: scalepointDeliveries.id, reason: scalepointDeliveries.reason })
      .from(scalepointDeliveries)
      .where(eq(scalepointDeliveries.companyId, c.company.id));
    expect(rejected?.reason).toBe('module_disabled');
    await t.db.delete(scalepointConnections).where(eq(scalepointConnections.id, gone.connectionId));
    const saved = await saveScalepointSettings(t.db, c.adminActor, {
      enabled: true,
      orderTypeId: c.types[1].id,
      customerMode: 'insurer',
      phoneAsCustomerNumber: false,
    });
    expect(saved.ok).toBe(true);
    expect((await replayDelivery(t.db, c.adminActor, { deliveryId: rejected!.id })).ok).toBe(true);
    expect(await idsOf(await orderOfCase(c.company.id, 'EV-ID-4'))).toEqual({
      ...eventIds('EV-ID-4', { connectionId: null as never, tenant: null as never }),
      ...noClaimIds,
    });

    // A connection deleted later: its orders keep the tenant, the foreign key lets go of the id.
    const later = await connectionOf(c.company.id);
    await applyEvent(t.db, {
      companyId: c.company.id,
      ...later,
      event: repairService('EV-ID-5', 'evt-2'),
      commit,
    });
    const orderId = await orderOfCase(c.company.id, 'EV-ID-5');
    expect(await idsOf(orderId)).toMatchObject(later);
    await t.db
      .delete(scalepointConnections)
      .where(eq(scalepointConnections.id, later.connectionId));
    expect(await idsOf(orderId)).toMatchObject({
      caseId: 'case-EV-ID-5',
      tenant: later.tenant,
      connectionId: null,
    });
  });
});
