import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  customers,
  orderNotes,
  orders,
  scalepointConnections,
  scalepointDeliveries,
} from '@/db/schema/index';
import { encryptSecret } from '@/lib/crypto';
import { applyEvent, applyEventBatch } from '@/lib/scalepoint/events/apply-event';
import type { ScalepointEvent } from '@/lib/scalepoint/events/receive-client';
import { lookupIntakeAccount } from '@/lib/scalepoint/intake/account';
import { recordAndApplyDelivery } from '@/lib/scalepoint/intake/apply-delivery';
import { exampleClaimWith } from '@/lib/scalepoint/contract/example-claim';
import { activeCompany } from '../support/claims';
import { createTestDatabase, type TestDatabase } from '../support/db';

/**
 * The drift test (docs/intake.md, "Two ways to apply a claim, one copy of each rule"): the intake has two ways to apply
 * a direct claim (optimistically in one write, and under locks) and two to apply the Events API's
 * events (one by one, and a backlog in one transaction). They share their rules and statement
 * builders (lib/scalepoint/intake/draft.ts, resolve-customer.ts `customerRule`); this test proves
 * they still write the same rows: the same claims or events through each way, into two companies
 * alike, leave the same customers, drafts, notes and delivery log, ids and times aside.
 */
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

/** A company's rows with what differs between two companies (ids, times, senders) taken out. */
async function rowsOf(companyId: string) {
  const cs = await t.db
    .select()
    .from(customers)
    .where(eq(customers.companyId, companyId))
    .orderBy(asc(customers.customerNumber));
  const numberOf = new Map(cs.map((c) => [c.id, c.customerNumber]));
  const os = await t.db
    .select()
    .from(orders)
    .where(eq(orders.companyId, companyId))
    .orderBy(asc(orders.scalepointCaseNumber));
  const caseOf = new Map(os.map((o) => [o.id, o.scalepointCaseNumber]));
  // An order's connection, by its tenant: each company has its own connection (ids differ).
  const tenantOf = new Map(
    (
      await t.db
        .select({ id: scalepointConnections.id, tenant: scalepointConnections.tenant })
        .from(scalepointConnections)
        .where(eq(scalepointConnections.companyId, companyId))
    ).map((c) => [c.id, c.tenant]),
  );
  const notes = await t.db
    .select()
    .from(orderNotes)
    .where(eq(orderNotes.companyId, companyId))
    .orderBy(asc(orderNotes.position));
  const deliveries = await t.db
    .select()
    .from(scalepointDeliveries)
    .where(eq(scalepointDeliveries.companyId, companyId))
    .orderBy(asc(scalepointDeliveries.messageId));
  const strip = <R extends Record<string, unknown>>(row: R): R =>
    Object.fromEntries(
      Object.entries(row).filter(
        ([k]) => !/^(id|companyId|accountId|connectionId|orderTypeId)$|At$/.test(k),
      ),
    ) as R;
  return {
    customers: cs.map((c) => strip(c)),
    orders: os.map((o) => ({
      ...strip(o),
      customer: numberOf.get(o.customerId),
      customerId: undefined,
      scalepointConnection: o.scalepointConnectionId
        ? (tenantOf.get(o.scalepointConnectionId) ?? 'another company’s')
        : null,
      scalepointConnectionId: undefined,
    })),
    notes: notes
      .map((n) => ({ ...strip(n), case: caseOf.get(n.orderId), orderId: undefined }))
      .sort((a, b) => `${a.case}/${a.position}`.localeCompare(`${b.case}/${b.position}`)),
    deliveries: deliveries.map((d) => ({
      ...strip(d),
      order: d.orderId ? caseOf.get(d.orderId) : null,
      orderId: undefined,
      customer: d.customerId ? numberOf.get(d.customerId) : null,
      customerId: undefined,
    })),
  };
}

/** Claims that walk every branch of the Kunde rules, the mapping and the duplicates. */
function claims() {
  const plain = exampleClaimWith('SP-PATH-1');
  const samePhone = exampleClaimWith('SP-PATH-2');
  const noPhone = exampleClaimWith('SP-PATH-3');
  noPhone.policyholder = { ...noPhone.policyholder, phone: null as never, mobile: null };
  const base = exampleClaimWith('SP-PATH-4');
  const elsewhere = {
    ...base,
    damageAddress: {
      street: 'Søndergade',
      houseNumber: '3',
      floor: '',
      postalCode: '8000',
      city: 'Aarhus C',
    },
    policyholder: { ...base.policyholder, name: 'Anna Holm', phone: '40 50 60 70' },
  };
  const otherInsurer = exampleClaimWith('SP-PATH-5');
  // Scalepoint's identifiers as the schema reads them: a policy number as a JSON number, no alias.
  otherInsurer.insurer = {
    ...otherInsurer.insurer,
    name: 'Alm. Brand Forsikring A/S',
    alias: null as never,
  };
  otherInsurer.policyNumber = 4417 as never;
  const invalid = { ...exampleClaimWith('SP-PATH-6'), policyholder: null };
  return [
    { id: 'msg-1', claim: plain },
    { id: 'msg-2', claim: samePhone },
    { id: 'msg-3', claim: noPhone },
    { id: 'msg-4', claim: elsewhere },
    { id: 'msg-5', claim: otherInsurer },
    { id: 'msg-6', claim: invalid },
    { id: 'msg-1', claim: plain }, // the same delivery again
    { id: 'msg-7', claim: exampleClaimWith('SP-PATH-1') }, // the same case under another id
  ];
}

describe('the direct claim, optimistically and under locks', () => {
  const rules = [
    { customerMode: 'policyholder' as const, phoneAsCustomerNumber: false },
    { customerMode: 'policyholder' as const, phoneAsCustomerNumber: true },
    { customerMode: 'insurer' as const, phoneAsCustomerNumber: false },
  ];
  it.each(rules)('writes the same rows (%o)', async (rule) => {
    const [optimistic, locking] = [
      await activeCompany(t.db, rule),
      await activeCompany(t.db, rule),
    ];
    const outcomes: Record<string, string[]> = { optimistic: [], locking: [] };
    for (const [way, c] of [
      ['optimistic', optimistic],
      ['locking', locking],
    ] as const) {
      const settings = (await lookupIntakeAccount(t.db, c.account.accountId))!.settings;
      for (const { id, claim } of claims()) {
        const rawBody = JSON.stringify(claim);
        const outcome = await recordAndApplyDelivery(
          t.db,
          {
            companyId: c.company.id,
            channel: 'direct',
            accountId: c.account.accountId,
            messageId: id,
            rawBody,
            json: JSON.parse(rawBody) as unknown,
            headers: {},
          },
          way === 'optimistic' ? { settings } : {},
        );
        outcomes[way]!.push(`${outcome.kind}${'reason' in outcome ? `:${outcome.reason}` : ''}`);
      }
    }
    expect(outcomes.optimistic).toEqual(outcomes.locking);
    expect(outcomes.locking).toEqual([
      'created',
      'created',
      'created',
      'created',
      'created',
      'rejected:validation_failed',
      'duplicate:duplicate_delivery',
      'duplicate:duplicate_case',
    ]);
    const [a, b] = [await rowsOf(optimistic.company.id), await rowsOf(locking.company.id)];
    expect(a).toEqual(b);
    // Not vacuous: the rows hold what the rules say.
    expect(a.orders).toHaveLength(5);
    expect(a.notes.length).toBeGreaterThanOrEqual(5);
    expect(a.customers).toHaveLength(
      rule.customerMode === 'insurer' ? 2 : rule.phoneAsCustomerNumber ? 3 : 5,
    );
    // Scalepoint's identifiers kept with each case (a path that forgot them would differ above).
    expect(a.orders.map((o) => [o.scalepointPolicyNumber, o.scalepointInsurerAlias])).toEqual([
      ['641-2231-77', 'tryg'],
      ['641-2231-77', 'tryg'],
      ['641-2231-77', 'tryg'],
      ['641-2231-77', 'tryg'],
      ['4417', null],
    ]);
    expect(a.orders[0]).toMatchObject({
      scalepointCaseUrl: 'https://www.scalepoint.com/dk/case/8f2c1d',
      scalepointCaseType: 'buildingClaim',
      scalepointCaseId: null,
      scalepointServiceReference: null,
      scalepointTenant: null,
      scalepointConnection: null,
    });
  });
});

describe('the Events API, one by one and as a batch', () => {
  const repairService = (caseNumber: string, insurer: string, i: number): ScalepointEvent => ({
    id: `evt-${String(i).padStart(3, '0')}`,
    type: 'repair_service_requested',
    attributes: {
      eventType: 'repair_service_requested',
      payloadVersion: '1.0.0',
      case: {
        id: `id-${caseNumber}`,
        number: caseNumber,
        externalId: `ext-${caseNumber}`,
        damageCause: 'Vandskade',
        damageCategory: 'Bygningsskade',
        policy: { insuranceCompany: { alias: 'x', subcompanyAlias: 'x', subcompanyName: insurer } },
      },
      service: {
        referenceNumber: `${caseNumber}-1`,
        id: `svc-${caseNumber}`,
        startDate: '2026-12-01T08:00:00Z',
        endDate: '2026-12-03T15:00:00Z',
      },
    },
  });
  const events = [
    repairService('EV-P1', 'Tryg Forsikring A/S', 1),
    repairService('EV-P2', 'Alm. Brand Forsikring A/S', 2),
    repairService('EV-P3', 'Tryg Forsikring A/S', 3),
    repairService('EV-P4', 'Topdanmark', 4),
  ];

  async function connectionOf(companyId: string) {
    const [row] = await t.db
      .insert(scalepointConnections)
      .values({
        companyId,
        clientId: `kladde-${companyId}`,
        // The same tenant in both companies, so their orders can be compared.
        tenant: 'tryg-drift',
        environment: 'sandbox',
        certificatePem: 'not read here',
        privateKeyEnc: encryptSecret('not read here'),
      })
      .returning({ id: scalepointConnections.id });
    return row!.id;
  }

  it.each(['policyholder', 'insurer'] as const)(
    'writes the same rows (Kunde = %s)',
    async (customerMode) => {
      const [single, batch] = [
        await activeCompany(t.db, { customerMode }),
        await activeCompany(t.db, { customerMode }),
      ];
      const commit = async () => {};
      const singleConnection = await connectionOf(single.company.id);
      for (const event of events)
        await applyEvent(t.db, {
          companyId: single.company.id,
          connectionId: singleConnection,
          event,
          commit,
        });
      const done = await applyEventBatch(t.db, {
        companyId: batch.company.id,
        connectionId: await connectionOf(batch.company.id),
        events,
        commit,
      });
      expect(done).toEqual({ applied: events.length, alone: 0 });
      const [a, b] = [await rowsOf(single.company.id), await rowsOf(batch.company.id)];
      expect(b).toEqual(a);
      expect(a.orders).toHaveLength(4);
      expect(a.customers).toHaveLength(3);
      expect(
        a.orders.every((o) => o.missingPolicyholder === (customerMode === 'policyholder')),
      ).toBe(true);
      // Scalepoint's identifiers kept with each case (a way in that forgot them would differ above).
      expect(a.orders[0]).toMatchObject({
        scalepointCaseId: 'id-EV-P1',
        scalepointCaseExternalId: 'ext-EV-P1',
        scalepointServiceId: 'svc-EV-P1',
        scalepointServiceReference: 'EV-P1-1',
        scalepointTenant: 'tryg-drift',
        scalepointConnection: 'tryg-drift',
        scalepointCaseUrl: null,
        scalepointInsurerAlias: null,
      });
      expect(a.orders.every((o) => o.scalepointConnection === 'tryg-drift')).toBe(true);
    },
  );
});
