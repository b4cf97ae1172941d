import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '@/db/client';
import { orders, scalepointConnections, scalepointSettings } from '@/db/schema';
import { encryptSecret } from '@/lib/crypto';
import { generateConnectionKeys } from '@/lib/scalepoint/events/certificate';
import { loadActor } from '@/lib/auth/actor';
import { createCustomerWithNextNumber } from '@/lib/customers/numbering';
import { insertDraft } from '@/lib/orders/create';
import { approveDraft, rejectDraft, restoreDraft } from '@/lib/orders/draft-actions';
import { recordMilestone, reopenOrder } from '@/lib/orders/job-actions';
import { toDanishLocal } from '@/lib/orders/job-time';
import { getOrder, listDrafts, listOrders } from '@/lib/orders/queries';
import { applyEvent, applyEventBatch } from '@/lib/scalepoint/events/apply-event';
import { handleClaimDelivery } from '@/lib/scalepoint/intake/http';
import { activeCompany, exampleClaim, signedRequest } from '../support/claims';
import { createTestDatabase, type TestDatabase } from '../support/db';

/**
 * Frister (docs/deadlines.md) against a real database: every way a Scalepoint case arrives starts
 * its clocks, each step moves them in its own transaction, and the lists sort by Frist (empty
 * cells last both ways) and filter Forsinkede (oldest deadline first), search included.
 */

let t: TestDatabase;
beforeAll(async () => {
  process.env.KLADDE_LOG = 'silent';
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

const H = 3_600_000;
type Company = Awaited<ReturnType<typeof activeCompany>>;

let tenants = 0;
async function company(rule: Parameters<typeof activeCompany>[1] = { customerMode: 'insurer' }) {
  const c = await activeCompany(t.db, rule);
  // An Events API connection for the events (its stand-in is not needed: nothing is polled here).
  const tenant = `frister-${++tenants}-${randomUUID().slice(0, 6)}`;
  const keys = await generateConnectionKeys(`kladde-${tenant}`);
  const [connection] = await t.db
    .insert(scalepointConnections)
    .values({
      companyId: c.company.id,
      clientId: `kladde-${tenant}`,
      tenant,
      environment: 'sandbox',
      certificatePem: keys.certificatePem,
      privateKeyEnc: encryptSecret(keys.privateKeyPem),
    })
    .returning({ id: scalepointConnections.id });
  return {
    ...c,
    connectionId: connection!.id,
    memberActor: (await loadActor(t.db, c.member.id))!,
  };
}

const clocks = async (id: string) => {
  const [o] = await t.db
    .select({
      status: orders.status,
      createdAt: orders.createdAt,
      contactDueAt: orders.contactDueAt,
      inspectionDueAt: orders.inspectionDueAt,
      workDueAt: orders.workDueAt,
      contactStoppedAt: orders.contactStoppedAt,
      inspectionStoppedAt: orders.inspectionStoppedAt,
      workStoppedAt: orders.workStoppedAt,
      deadlineAt: orders.deadlineAt,
    })
    .from(orders)
    .where(eq(orders.id, id));
  return o!;
};

/** A direct claim through the intake; its draft's id. */
async function claimDraft(c: Company, caseNumber = `SP-D-${randomUUID().slice(0, 8)}`) {
  const claim = exampleClaim();
  claim.caseNumber = caseNumber;
  const res = await handleClaimDelivery(t.db, signedRequest(c.account, claim));
  expect(res.status).toBe(201);
  return res.body.orderId as string;
}

const repairService = (caseNumber: string, endDate?: string) => ({
  id: `evt-${randomUUID()}`,
  type: 'repair_service_requested',
  attributes: {
    case: {
      number: caseNumber,
      damageCause: 'Vandskade',
      damageCategory: 'Bygningsskade',
      policy: { insuranceCompany: { subcompanyName: 'Tryg Forsikring A/S' } },
    },
    service: { referenceNumber: `${caseNumber}-1`, ...(endDate ? { endDate } : {}) },
  },
});
const caseChange = (caseNumber: string, property: 'CaseClosed' | 'CaseReopened') => ({
  id: `evt-${randomUUID()}`,
  type: 'claim_updated',
  attributes: { case: { number: caseNumber }, changes: [{ property }] },
});

async function manualDraft(c: Company) {
  const customer = await createCustomerWithNextNumber(t.db, c.company.id, { name: 'Karen Kunde' });
  return (await insertDraft(t.db, c.company.id, {
    orderTypeId: c.types[0].id,
    orderTypeName: c.types[0].name,
    heading: 'Manuel ordre',
    customerId: customer.id,
    customerName: customer.name,
    source: 'manual',
  }))!.id;
}

/** Moves a case's arrival (and its running clocks with it) back by `hours`. */
async function arrivedEarlier(id: string, hours: number) {
  await t.db.execute(sql`update orders set
      created_at = created_at - make_interval(hours => ${hours}),
      contact_due_at = contact_due_at - make_interval(hours => ${hours}),
      inspection_due_at = inspection_due_at - make_interval(hours => ${hours})
    where id = ${id}`);
}

describe('a case starts its clocks as it arrives', () => {
  it('a direct claim: contact and visit from Oprettet with the company’s hours; no work deadline', async () => {
    const c = await company();
    const id = await claimDraft(c);
    const o = await clocks(id);
    expect(o.contactDueAt!.getTime() - o.createdAt.getTime()).toBe(24 * H);
    expect(o.inspectionDueAt!.getTime() - o.createdAt.getTime()).toBe(72 * H);
    expect(o.workDueAt).toBeNull();
    expect(o.deadlineAt).toEqual(o.contactDueAt);

    await t.db
      .update(scalepointSettings)
      .set({ contactHours: 2, inspectionHours: 5 })
      .where(eq(scalepointSettings.companyId, c.company.id));
    const next = await clocks(await claimDraft(c));
    expect(next.contactDueAt!.getTime() - next.createdAt.getTime()).toBe(2 * H);
    expect(next.inspectionDueAt!.getTime() - next.createdAt.getTime()).toBe(5 * H);
  });

  it('an event, one by one and in a batch: the work is due at service.endDate', async () => {
    const c = await company();
    const commit = async () => {};
    const one = repairService('EV-F1', '2026-12-20');
    await applyEvent(t.db, {
      companyId: c.company.id,
      connectionId: c.connectionId,
      event: one,
      commit,
    });
    const batch = [repairService('EV-F2', '2026-12-21T12:00:00Z'), repairService('EV-F3')];
    const applied = await applyEventBatch(t.db, {
      companyId: c.company.id,
      connectionId: c.connectionId,
      events: batch,
      commit,
    });
    expect(applied.applied).toBe(2);
    const byCase = Object.fromEntries(
      (
        await t.db
          .select({ n: orders.scalepointCaseNumber, id: orders.id })
          .from(orders)
          .where(eq(orders.companyId, c.company.id))
      ).map((r) => [r.n, r.id]),
    );
    const f1 = await clocks(byCase['EV-F1']!);
    expect(f1.workDueAt?.toISOString()).toBe('2026-12-20T23:00:00.000Z');
    expect(f1.contactDueAt!.getTime() - f1.createdAt.getTime()).toBe(24 * H);
    expect((await clocks(byCase['EV-F2']!)).workDueAt?.toISOString()).toBe(
      '2026-12-21T12:00:00.000Z',
    );
    const f3 = await clocks(byCase['EV-F3']!);
    expect(f3.workDueAt).toBeNull();
    expect(f3.inspectionDueAt!.getTime() - f3.createdAt.getTime()).toBe(72 * H);
  });

  it('an order not from Scalepoint has no clocks', async () => {
    const c = await company();
    const o = await clocks(await manualDraft(c));
    expect([o.contactDueAt, o.inspectionDueAt, o.workDueAt, o.deadlineAt]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });
});

describe('the steps move the clocks', () => {
  it('Godkend keeps them; Kunde kontaktet stops contact at its Tidspunkt; Besigtigelse aftalt stops the visit when recorded; Arbejde færdigt ends them; Genåbn starts the work again', async () => {
    const c = await company();
    const caseNumber = `EV-J-${randomUUID().slice(0, 6)}`;
    await applyEvent(t.db, {
      companyId: c.company.id,
      connectionId: c.connectionId,
      event: repairService(caseNumber, '2099-01-01T00:00:00Z'),
      commit: async () => {},
    });
    const [{ id }] = (await t.db
      .select({ id: orders.id })
      .from(orders)
      .where(eq(orders.scalepointCaseNumber, caseNumber))) as [{ id: string }];
    await arrivedEarlier(id, 30);
    const arrived = await clocks(id);
    // 30 hours ago with 24 hours to call: the draft is already late.
    expect(arrived.deadlineAt).toEqual(arrived.contactDueAt);
    expect(arrived.deadlineAt!.getTime()).toBeLessThan(Date.now());

    expect(await approveDraft(t.db, c.memberActor, { orderId: id })).toMatchObject({ ok: true });
    expect((await clocks(id)).deadlineAt).toEqual(arrived.contactDueAt);

    // Called 28 hours ago (in time), recorded now.
    const called = new Date(Date.now() - 28 * H);
    await recordMilestone(t.db, c.memberActor, {
      orderId: id,
      kind: 'customer_contacted',
      at: toDanishLocal(called),
    });
    let o = await clocks(id);
    expect(o.contactStoppedAt!.getTime()).toBe(Math.floor(called.getTime() / 60_000) * 60_000);
    expect(o.deadlineAt).toEqual(o.inspectionDueAt);
    const page = await getOrder(t.db, c.memberActor, { orderId: id });
    expect(page!.clocks.map((k) => [k.kind, k.state])).toEqual([
      ['contact', 'met'],
      ['inspection', 'open'],
      ['work', 'open'],
    ]);

    // The appointment lies ahead; the visit's clock stops now, when it is recorded.
    const before = Date.now();
    await recordMilestone(t.db, c.memberActor, {
      orderId: id,
      kind: 'inspection_scheduled',
      at: toDanishLocal(new Date(Date.now() + 100 * H)),
    });
    o = await clocks(id);
    expect(o.inspectionStoppedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(o.inspectionStoppedAt!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    expect(o.deadlineAt).toEqual(o.workDueAt);
    // Moving the appointment does not move the stop.
    await recordMilestone(t.db, c.memberActor, {
      orderId: id,
      kind: 'inspection_scheduled',
      at: toDanishLocal(new Date(Date.now() + 120 * H)),
    });
    expect((await clocks(id)).inspectionStoppedAt).toEqual(o.inspectionStoppedAt);

    await recordMilestone(t.db, c.memberActor, {
      orderId: id,
      kind: 'work_completed',
      at: toDanishLocal(new Date()),
    });
    o = await clocks(id);
    expect(o.status).toBe('closed');
    expect(o.workStoppedAt).not.toBeNull();
    expect(o.deadlineAt).toBeNull();

    expect(await reopenOrder(t.db, c.adminActor, { orderId: id })).toMatchObject({ ok: true });
    o = await clocks(id);
    expect(o.workStoppedAt).toBeNull();
    expect(o.deadlineAt).toEqual(o.workDueAt);
  });

  it('Afvis ends the clocks, Gendan brings them back with the Frister in force; Sag lukket hos Scalepoint likewise', async () => {
    const c = await company();
    const caseNumber = `EV-R-${randomUUID().slice(0, 6)}`;
    const commit = async () => {};
    const input = (event: ReturnType<typeof repairService> | ReturnType<typeof caseChange>) => ({
      companyId: c.company.id,
      connectionId: c.connectionId,
      event,
      commit,
    });
    await applyEvent(t.db, input(repairService(caseNumber)));
    const [{ id }] = (await t.db
      .select({ id: orders.id })
      .from(orders)
      .where(eq(orders.scalepointCaseNumber, caseNumber))) as [{ id: string }];

    await rejectDraft(t.db, c.memberActor, { orderId: id, reason: 'Ikke vores område' });
    expect((await clocks(id)).deadlineAt).toBeNull();
    // The hours change while it is rejected; Gendan re-dates it from them.
    await t.db
      .update(scalepointSettings)
      .set({ contactHours: 3 })
      .where(eq(scalepointSettings.companyId, c.company.id));
    await restoreDraft(t.db, c.memberActor, { orderId: id });
    let o = await clocks(id);
    expect(o.contactDueAt!.getTime() - o.createdAt.getTime()).toBe(3 * H);
    expect(o.deadlineAt).toEqual(o.contactDueAt);

    await applyEvent(t.db, input(caseChange(caseNumber, 'CaseClosed')));
    expect((await clocks(id)).deadlineAt).toBeNull();
    await t.db
      .update(scalepointSettings)
      .set({ contactHours: 4 })
      .where(eq(scalepointSettings.companyId, c.company.id));
    await applyEvent(t.db, input(caseChange(caseNumber, 'CaseReopened')));
    o = await clocks(id);
    expect(o.contactDueAt!.getTime() - o.createdAt.getTime()).toBe(4 * H);
    expect(o.deadlineAt).toEqual(o.contactDueAt);
  });
});

describe('the lists: Frist and Forsinkede', () => {
  it('Frist sorts both ways with the empty cells last; Forsinkede lists the passed deadlines, oldest first, search included, own company only', async () => {
    const c = await company();
    const other = await company();
    const late3 = await claimDraft(c, 'SP-LATE-3');
    const late1 = await claimDraft(c, 'SP-LATE-1');
    const late2 = await claimDraft(c, 'SP-LATE-2');
    const fresh = await claimDraft(c, 'SP-FRESH');
    const manual = await manualDraft(c);
    await arrivedEarlier(late1, 50);
    await arrivedEarlier(late2, 40);
    await arrivedEarlier(late3, 30);
    const otherLate = await claimDraft(other, 'SP-OTHER');
    await arrivedEarlier(otherLate, 60);

    const ids = async (view: Parameters<typeof listDrafts>[2]) => {
      const page = await listDrafts(t.db, c.memberActor, view);
      return { ids: page.rows.map((r) => r.id), total: page.total, rows: page.rows };
    };
    const asc = await ids({ sort: 'deadline', dir: 'asc' });
    expect(asc.ids).toEqual([late1, late2, late3, fresh, manual]);
    const desc = await ids({ sort: 'deadline', dir: 'desc' });
    expect(desc.ids).toEqual([fresh, late3, late2, late1, manual]);

    const late = await ids({ list: 'drafts_late', sort: 'deadline', dir: 'asc' });
    expect(late.ids).toEqual([late1, late2, late3]);
    expect(late.total).toBe(3);
    expect(late.rows.every((r) => r.overdue)).toBe(true);
    expect(asc.rows.find((r) => r.id === fresh)).toMatchObject({ overdue: false });
    expect(asc.rows.find((r) => r.id === manual)).toMatchObject({ deadlineAt: null });

    // A search inside Forsinkede, through the search function.
    const searched = await ids({ list: 'drafts_late', q: 'LATE-2', sort: 'deadline', dir: 'asc' });
    expect(searched.ids).toEqual([late2]);
    const searchedAll = await ids({ q: 'SP-', sort: 'deadline', dir: 'desc' });
    expect(searchedAll.ids).toEqual([fresh, late3, late2, late1]);

    // Two days on, the fresh one is late too; approved, the late ones move to Ordrer's Forsinkede.
    const later = new Date(Date.now() + 48 * H);
    const lateLater = await listDrafts(
      t.db,
      c.memberActor,
      { list: 'drafts_late', sort: 'deadline', dir: 'asc' },
      later,
    );
    expect(lateLater.rows.map((r) => r.id)).toEqual([late1, late2, late3, fresh]);
    await approveDraft(t.db, c.memberActor, { orderId: late2 });
    expect((await ids({ list: 'drafts_late', sort: 'deadline', dir: 'asc' })).ids).toEqual([
      late1,
      late3,
    ]);
    const lateOrders = await listOrders(t.db, c.memberActor, {
      list: 'orders_late',
      sort: 'deadline',
      dir: 'asc',
    });
    expect(lateOrders.rows.map((r) => r.id)).toEqual([late2]);
  });

  it('the Forsinkede and Frist pages are index scans of the deadline indexes', async () => {
    const c = await company();
    const plan = async (statement: ReturnType<typeof sql>) =>
      rowsOf<{ 'QUERY PLAN': string }>(await t.db.execute(sql`explain (costs off) ${statement}`))
        .map((r) => r['QUERY PLAN'])
        .join('\n');
    // A plan on an almost empty table may prefer a sequential scan; disable it as a larger table would.
    await t.db.execute(sql`set enable_seqscan = off`);
    try {
      const lateDrafts = await plan(
        sql`select id from orders where company_id = ${c.company.id} and status = 'draft' and deadline_at < now() order by deadline_at asc nulls last, id asc limit 25`,
      );
      expect(lateDrafts).toContain('orders_draft_deadline_idx');
      const descOrders = await plan(
        sql`select id from orders where company_id = ${c.company.id} and status in ('new', 'in_progress', 'closed') order by deadline_at desc nulls last, id desc nulls last limit 25`,
      );
      expect(descOrders).toContain('orders_approved_deadline_desc_idx');
      expect(descOrders).not.toMatch(/\bSort\b/);
    } finally {
      await t.db.execute(sql`reset enable_seqscan`);
    }
  });
});
