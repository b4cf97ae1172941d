import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { auditLog, customers, orderNumberCounters, orders } from '@/db/schema';
import { loadActor, NotFoundError, type Actor } from '@/lib/auth/actor';
import { createCustomerWithNextNumber } from '@/lib/customers/numbering';
import { findCustomers } from '@/lib/customers/lookup';
import { insertDraft } from '@/lib/orders/create';
import { getOrder, listOrders } from '@/lib/orders/queries';
import { approveDraft, rejectDraft, restoreDraft, saveDraft } from '@/lib/orders/draft-actions';
import { handleClaimDelivery } from '@/lib/scalepoint/intake/http';
import { activeCompany, exampleClaim, signedRequest } from '../support/claims';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { makeCompany, makeSupport } from '../support/factories';

let t: TestDatabase;
beforeAll(async () => {
  process.env.KLADDE_LOG = 'silent';
  t = await createTestDatabase({ max: 24 });
});
afterAll(async () => {
  await t?.close();
});

type Made = Awaited<ReturnType<typeof makeCompany>>;

async function tenant() {
  const made = await makeCompany(t.db);
  return {
    ...made,
    adminActor: (await loadActor(t.db, made.admin.id))!,
    memberActor: (await loadActor(t.db, made.member.id))!,
  };
}

async function draft(db: Db, made: Made, extra: Partial<typeof orders.$inferInsert> = {}) {
  const customer = await createCustomerWithNextNumber(db, made.company.id, {
    name: 'Karen Kunde',
    street: 'Algade',
    houseNumber: '1',
    postalCode: '4000',
    city: 'Roskilde',
  });
  const created = await insertDraft(db, made.company.id, {
    orderTypeId: made.types[0].id,
    orderTypeName: made.types[0].name,
    heading: 'Utæt rør',
    requisitionNumber: 'R-1',
    customerId: customer.id,
    customerName: customer.name,
    source: 'manual',
  });
  if (Object.keys(extra).length)
    await db.update(orders).set(extra).where(eq(orders.id, created!.id));
  return { orderId: created!.id, customerId: customer.id };
}

const orderRow = async (id: string) =>
  (await t.db.select().from(orders).where(eq(orders.id, id)))[0]!;
const auditOf = (orderId: string) =>
  t.db
    .select()
    .from(auditLog)
    .where(sql`${auditLog.details}->>'orderId' = ${orderId}`);

function editInput(orderId: string, made: Made, over: Record<string, unknown> = {}) {
  return {
    orderId,
    heading: 'Nyt gulv i bryggers',
    requisitionNumber: 'R-77',
    orderTypeId: made.types[1].id,
    workDescription: 'Lægge klinker.',
    installation: {
      street: 'Vestergade',
      houseNumber: '12',
      floor: '2. th.',
      postalCode: '8000',
      city: 'Aarhus C',
    },
    customerMode: 'existing',
    customerId: '',
    newCustomer: {
      name: '',
      customerNumber: '',
      phone: '',
      email: '',
      street: '',
      houseNumber: '',
      postalCode: '',
      city: '',
    },
    ...over,
  };
}

describe('Godkend', () => {
  it('20 concurrent approvals of one draft make one order with one number and one audit row', async () => {
    const c = await tenant();
    const { orderId } = await draft(t.db, c);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        approveDraft(t.db, i % 2 ? c.adminActor : c.memberActor, { orderId }),
      ),
    );
    expect(results.every((r) => r.ok && r.data?.orderNumber === 1)).toBe(true);
    const row = await orderRow(orderId);
    expect(row).toMatchObject({ status: 'new', orderNumber: 1 });
    expect(row.approvedAt).toBeInstanceOf(Date);
    expect([c.admin.id, c.member.id]).toContain(row.approvedBy);
    const audits = (await auditOf(orderId)).filter((a) => a.action === 'order.approve');
    expect(audits).toHaveLength(1);
    expect(audits[0]!.details).toMatchObject({ orderId, orderNumber: 1 });
    const [counter] = await t.db
      .select()
      .from(orderNumberCounters)
      .where(eq(orderNumberCounters.companyId, c.company.id));
    expect(counter!.lastNumber).toBe(1);
  });

  it('20 concurrent approvals of 20 drafts get the numbers 1..20, none twice', async () => {
    const c = await tenant();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await draft(t.db, c)).orderId);
    const results = await Promise.all(
      ids.map((orderId, i) =>
        approveDraft(t.db, i % 2 ? c.adminActor : c.memberActor, { orderId }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const numbers = (
      await t.db
        .select({ n: orders.orderNumber })
        .from(orders)
        .where(eq(orders.companyId, c.company.id))
    )
      .map((r) => r.n)
      .sort((a, b) => a! - b!);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // Another company counts from 1 on its own.
    const other = await tenant();
    const { orderId } = await draft(t.db, other);
    expect((await approveDraft(t.db, other.adminActor, { orderId })).data?.orderNumber).toBe(1);
  });

  it("another company's draft answers 404 and nothing changes; support and no one are refused too", async () => {
    const a = await tenant();
    const b = await tenant();
    const { orderId } = await draft(t.db, a);
    const before = await orderRow(orderId);
    const support = await loadActor(t.db, (await makeSupport(t.db)).id);
    for (const actor of [b.adminActor, b.memberActor, support, null] as (Actor | null)[]) {
      await expect(approveDraft(t.db, actor, { orderId })).rejects.toBeInstanceOf(NotFoundError);
      await expect(rejectDraft(t.db, actor, { orderId, reason: 'nej' })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(restoreDraft(t.db, actor, { orderId })).rejects.toBeInstanceOf(NotFoundError);
      await expect(
        saveDraft(
          t.db,
          actor,
          editInput(orderId, b, { customerMode: 'existing', customerId: before.customerId }),
        ),
      ).rejects.toBeInstanceOf(NotFoundError);
    }
    // Another company's order is not found (null → 404), for either of its roles; support and no one are refused.
    await expect(getOrder(t.db, b.adminActor, { orderId })).resolves.toBeNull();
    await expect(getOrder(t.db, b.memberActor, { orderId })).resolves.toBeNull();
    expect((await listOrders(t.db, b.memberActor, { list: 'drafts' })).rows).toEqual([]);
    for (const actor of [support, null]) {
      await expect(getOrder(t.db, actor, { orderId })).rejects.toBeInstanceOf(NotFoundError);
      await expect(listOrders(t.db, actor, { list: 'drafts' })).rejects.toBeInstanceOf(
        NotFoundError,
      );
    }
    // A malformed id is refused before any query (404).
    await expect(getOrder(t.db, a.adminActor, { orderId: 'not-a-uuid' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(await orderRow(orderId)).toEqual(before);
    expect(await auditOf(orderId)).toHaveLength(0);
    const [counter] = await t.db
      .select()
      .from(orderNumberCounters)
      .where(eq(orderNumberCounters.companyId, b.company.id));
    expect(counter).toBeUndefined();
  });

  it('a marked draft asks for confirmation first', async () => {
    const c = await tenant();
    const missing = await draft(t.db, c, { missingPolicyholder: true });
    const closed = await draft(t.db, c, {
      scalepointClosedAt: new Date(),
      scalepointCloseReason: 'Sagen er lukket',
    });
    for (const { orderId } of [missing, closed]) {
      const asked = await approveDraft(t.db, c.adminActor, { orderId });
      expect(asked).toMatchObject({ ok: false, needsConfirmation: true });
      expect((await orderRow(orderId)).status).toBe('draft');
      expect(await approveDraft(t.db, c.adminActor, { orderId, confirmed: true })).toMatchObject({
        ok: true,
      });
    }
    expect((await orderRow(missing.orderId)).orderNumber).toBe(1);
    expect((await orderRow(closed.orderId)).orderNumber).toBe(2);
  });

  it('the audit row is in the approving transaction: when it fails, the approval and its number roll back', async () => {
    const c = await tenant();
    const { orderId } = await draft(t.db, c);
    await t.db.execute(
      sql.raw(
        `alter table audit_log add constraint test_no_approve check (action <> 'order.approve' or company_id <> '${c.company.id}')`,
      ),
    );
    try {
      await expect(approveDraft(t.db, c.adminActor, { orderId })).rejects.toThrow();
    } finally {
      await t.db.execute(sql`alter table audit_log drop constraint test_no_approve`);
    }
    expect(await orderRow(orderId)).toMatchObject({
      status: 'draft',
      orderNumber: null,
      approvedAt: null,
    });
    // The counter's bump rolled back with it: the next approval still gets number 1 (no gap).
    expect((await approveDraft(t.db, c.adminActor, { orderId })).data?.orderNumber).toBe(1);
  });

  it('a rejected draft cannot be approved until restored', async () => {
    const c = await tenant();
    const { orderId } = await draft(t.db, c);
    expect(
      await rejectDraft(t.db, c.memberActor, { orderId, reason: 'Dublet af anden sag' }),
    ).toMatchObject({ ok: true });
    expect(await approveDraft(t.db, c.adminActor, { orderId })).toMatchObject({ ok: false });
    expect((await orderRow(orderId)).orderNumber).toBeNull();
  });
});

describe('Afvis and Gendan', () => {
  it('rejects with a required reason, leaves the drafts list, shows under Afviste, restores', async () => {
    const c = await tenant();
    const { orderId } = await draft(t.db, c);
    const empty = await rejectDraft(t.db, c.adminActor, { orderId, reason: '   ' });
    expect(empty.ok).toBe(false);
    expect(empty.fieldErrors?.reason).toBe('Skriv en begrundelse.');
    expect((await orderRow(orderId)).status).toBe('draft');

    const view = { q: '', sort: 'createdAt' as const, dir: 'desc' as const, page: 1, pageSize: 25 };
    expect(
      await rejectDraft(t.db, c.memberActor, { orderId, reason: 'Kunden har aflyst' }),
    ).toMatchObject({ ok: true });
    expect(await orderRow(orderId)).toMatchObject({
      status: 'rejected',
      rejectionReason: 'Kunden har aflyst',
      rejectedBy: c.member.id,
    });
    expect(
      (await listOrders(t.db, c.memberActor, { ...view, list: 'drafts' })).rows.map((r) => r.id),
    ).not.toContain(orderId);
    expect(
      (await listOrders(t.db, c.memberActor, { ...view, list: 'rejected' })).rows.map((r) => r.id),
    ).toEqual([orderId]);
    expect(
      (await listOrders(t.db, c.memberActor, { ...view, list: 'rejected', q: 'Utæt' })).rows.map(
        (r) => r.id,
      ),
    ).toEqual([orderId]);
    expect(
      (await listOrders(t.db, c.memberActor, { ...view, list: 'drafts', q: 'Utæt' })).rows,
    ).toHaveLength(0);

    expect(await restoreDraft(t.db, c.adminActor, { orderId })).toMatchObject({ ok: true });
    expect(await orderRow(orderId)).toMatchObject({
      status: 'draft',
      rejectionReason: null,
      rejectedAt: null,
    });
    expect(
      (await listOrders(t.db, c.memberActor, { ...view, list: 'drafts' })).rows.map((r) => r.id),
    ).toEqual([orderId]);
    expect((await auditOf(orderId)).map((a) => a.action)).toEqual([
      'order.reject',
      'order.restore',
    ]);
  });

  it('a rejected Scalepoint case delivered again is a duplicate (200), even with Rekv.nr. edited', async () => {
    const c = await activeCompany(t.db);
    const member = (await loadActor(t.db, c.member.id))!;
    const claim = exampleClaim();
    const first = await handleClaimDelivery(t.db, signedRequest(c.account, claim));
    expect(first.status).toBe(201);
    const orderId = first.body.orderId as string;
    const saved = await saveDraft(
      t.db,
      member,
      editInput(orderId, c, {
        requisitionNumber: 'ANDET-NR',
        customerMode: 'existing',
        customerId: first.body.customerId,
      }),
    );
    expect(saved).toMatchObject({ ok: true });
    expect(await rejectDraft(t.db, member, { orderId, reason: 'Ikke vores område' })).toMatchObject(
      { ok: true },
    );

    const again = await handleClaimDelivery(t.db, signedRequest(c.account, claim)); // a new webhook-id, same case
    expect(again).toMatchObject({ status: 200, body: { status: 'duplicate', orderId } });
    const n = (
      await t.db
        .select({ n: sql<number>`count(*)::int` })
        .from(orders)
        .where(eq(orders.companyId, c.company.id))
    )[0]!.n;
    expect(n).toBe(1);
    expect((await orderRow(orderId)).status).toBe('rejected');

    expect(await restoreDraft(t.db, member, { orderId })).toMatchObject({ ok: true });
    const order = await getOrder(t.db, member, { orderId });
    expect(order!.delivery?.caseNumber).toBe(claim.caseNumber);
    expect(order!.history.map((h) => h.action)).toEqual([
      'order.edit',
      'order.reject',
      'order.restore',
    ]);
  });
});

describe('Rediger', () => {
  it('saves the fields, picks a customer, clears Mangler forsikringstager, audits with the order id', async () => {
    const c = await tenant();
    const { orderId } = await draft(t.db, c, { missingPolicyholder: true });
    const other = await createCustomerWithNextNumber(t.db, c.company.id, { name: 'Bo Østergaard' });
    const r = await saveDraft(t.db, c.memberActor, editInput(orderId, c, { customerId: other.id }));
    expect(r).toMatchObject({ ok: true });
    expect(await orderRow(orderId)).toMatchObject({
      heading: 'Nyt gulv i bryggers',
      requisitionNumber: 'R-77',
      orderTypeId: c.types[1].id,
      orderTypeName: c.types[1].name,
      workDescription: 'Lægge klinker.',
      installationStreet: 'Vestergade',
      installationFloor: '2. th.',
      installationPostalCode: '8000',
      customerId: other.id,
      customerName: 'Bo Østergaard',
      missingPolicyholder: false,
    });
    const [audit] = await auditOf(orderId);
    expect(audit).toMatchObject({
      action: 'order.edit',
      actorUserId: c.member.id,
      companyId: c.company.id,
    });
  });

  it('creates a new customer inline with the next number, or a typed free number', async () => {
    const c = await tenant();
    const { orderId } = await draft(t.db, c); // its customer took number 1
    const next = await saveDraft(
      t.db,
      c.adminActor,
      editInput(orderId, c, {
        customerMode: 'new',
        newCustomer: {
          ...editInput(orderId, c).newCustomer,
          name: 'Ny Kunde ApS',
          phone: '12345678',
        },
      }),
    );
    expect(next).toMatchObject({ ok: true });
    const row = await orderRow(orderId);
    const [made] = await t.db.select().from(customers).where(eq(customers.id, row.customerId));
    expect(made).toMatchObject({
      name: 'Ny Kunde ApS',
      customerNumber: '2',
      phone: '12345678',
      companyId: c.company.id,
    });

    const typed = await saveDraft(
      t.db,
      c.adminActor,
      editInput(orderId, c, {
        customerMode: 'new',
        newCustomer: {
          ...editInput(orderId, c).newCustomer,
          name: 'Håndtastet',
          customerNumber: '9000',
        },
      }),
    );
    expect(typed).toMatchObject({ ok: true });
    const [hand] = await t.db
      .select()
      .from(customers)
      .where(eq(customers.id, (await orderRow(orderId)).customerId));
    expect(hand).toMatchObject({ name: 'Håndtastet', customerNumber: '9000' });
  });

  it('refuses an unknown order type, a customer of another company and a taken customer number with field errors; nothing saved', async () => {
    const c = await tenant();
    const b = await tenant();
    const { orderId } = await draft(t.db, c);
    const foreign = await createCustomerWithNextNumber(t.db, b.company.id, { name: 'Fremmed' });
    const before = await orderRow(orderId);
    const customersBefore = await t.db
      .select({ n: sql<number>`count(*)::int` })
      .from(customers)
      .where(eq(customers.companyId, c.company.id));

    const cases: [Record<string, unknown>, string, RegExp][] = [
      [
        { orderTypeId: randomUUID(), customerId: before.customerId },
        'orderTypeId',
        /Ordretypen findes ikke/,
      ],
      [
        { orderTypeId: b.types[0].id, customerId: before.customerId },
        'orderTypeId',
        /Ordretypen findes ikke/,
      ],
      [{ customerId: foreign.id }, 'customerId', /Kunden findes ikke/],
      [
        {
          customerMode: 'new',
          newCustomer: {
            ...editInput(orderId, c).newCustomer,
            name: 'Dublet',
            customerNumber: '1',
          },
        },
        'newCustomer.customerNumber',
        /optaget/,
      ],
      [{ heading: '  ', customerId: before.customerId }, 'heading', /Skriv en ordreoverskrift/],
      [
        {
          customerId: before.customerId,
          installation: { ...editInput(orderId, c).installation, postalCode: '80' },
        },
        'installation.postalCode',
        /fire cifre/,
      ],
      [
        { customerMode: 'new', newCustomer: { ...editInput(orderId, c).newCustomer, name: '' } },
        'newCustomer.name',
        /navn/,
      ],
    ];
    for (const [over, field, message] of cases) {
      const r = await saveDraft(t.db, c.adminActor, editInput(orderId, c, over));
      expect(r.ok, field).toBe(false);
      expect(r.fieldErrors?.[field], field).toMatch(message);
    }
    expect(await orderRow(orderId)).toEqual(before);
    expect(
      await t.db
        .select({ n: sql<number>`count(*)::int` })
        .from(customers)
        .where(eq(customers.companyId, c.company.id)),
    ).toEqual(customersBefore);
    expect(await auditOf(orderId)).toHaveLength(0);
  });

  it('an approved order is no longer editable as a draft', async () => {
    const c = await tenant();
    const { orderId, customerId } = await draft(t.db, c);
    await approveDraft(t.db, c.adminActor, { orderId });
    expect(
      await saveDraft(t.db, c.adminActor, editInput(orderId, c, { customerId })),
    ).toMatchObject({ ok: false });
    expect((await orderRow(orderId)).heading).toBe('Utæt rør');
  });

  it('the customer picker finds at most ten of the own company’s customers', async () => {
    const c = await tenant();
    const b = await tenant();
    for (let i = 0; i < 12; i++)
      await createCustomerWithNextNumber(t.db, c.company.id, { name: `Hansen ${i}` });
    await createCustomerWithNextNumber(t.db, b.company.id, { name: 'Hansen fremmed' });
    const found = await findCustomers(t.db, c.memberActor, { q: 'hansen' });
    expect(found.data).toHaveLength(10);
    expect(
      found.data!.every((x) => x.name.startsWith('Hansen ') && x.name !== 'Hansen fremmed'),
    ).toBe(true);
    expect((await findCustomers(t.db, c.memberActor, { q: 'fremmed' })).data).toEqual([]);
    const support = await loadActor(t.db, (await makeSupport(t.db)).id);
    await expect(findCustomers(t.db, support, { q: 'hansen' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('marks', () => {
  it('the lists and the order page carry Mangler forsikringstager and Sag lukket hos Scalepoint with its reason', async () => {
    const c = await tenant();
    const closedAt = new Date('2026-11-29T10:00:00Z');
    const { orderId } = await draft(t.db, c, {
      missingPolicyholder: true,
      scalepointClosedAt: closedAt,
      scalepointCloseReason: 'Kunden har trukket sagen',
    });
    const view = { q: '', sort: 'createdAt' as const, dir: 'desc' as const, page: 1, pageSize: 25 };
    for (const q of ['', 'Utæt']) {
      const [row] = (await listOrders(t.db, c.memberActor, { ...view, list: 'drafts', q })).rows;
      expect(row).toMatchObject({
        id: orderId,
        missingPolicyholder: true,
        scalepointClosedAt: closedAt,
        scalepointCloseReason: 'Kunden har trukket sagen',
      });
    }
    expect(await getOrder(t.db, c.memberActor, { orderId })).toMatchObject({
      missingPolicyholder: true,
      scalepointClosedAt: closedAt,
      scalepointCloseReason: 'Kunden har trukket sagen',
    });
  });
});

describe('Ordrer list', () => {
  it('lists approved orders with their numbers, sorts by number, searches, and keeps drafts out', async () => {
    const c = await tenant();
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await draft(t.db, c)).orderId);
    await approveDraft(t.db, c.adminActor, { orderId: ids[0]! });
    await approveDraft(t.db, c.adminActor, { orderId: ids[2]! });
    const view = {
      q: '',
      sort: 'orderNumber' as const,
      dir: 'asc' as const,
      page: 1,
      pageSize: 25,
    };
    const list = await listOrders(t.db, c.memberActor, { ...view, list: 'orders' });
    expect(list.total).toBe(2);
    expect(list.rows.map((r) => [r.orderNumber, r.status])).toEqual([
      [1, 'new'],
      [2, 'new'],
    ]);
    expect(
      (await listOrders(t.db, c.memberActor, { ...view, list: 'orders', dir: 'desc' })).rows[0]!.id,
    ).toBe(ids[2]);
    expect(
      (await listOrders(t.db, c.memberActor, { ...view, list: 'orders', q: 'utæt' })).total,
    ).toBe(2);
    // A number finds the order with that Ordrenr.
    const byNumber = await listOrders(t.db, c.memberActor, { ...view, list: 'orders', q: '2' });
    expect(byNumber.rows.map((r) => r.id)).toEqual([ids[2]]);
    expect(
      (
        await listOrders(t.db, c.memberActor, { ...view, list: 'drafts', sort: 'createdAt' })
      ).rows.map((r) => r.id),
    ).toEqual([ids[1]]);
    const order = await getOrder(t.db, c.adminActor, { orderId: ids[0]! });
    expect(order).toMatchObject({ orderNumber: 1, status: 'new' });
    expect(order!.history).toEqual([
      expect.objectContaining({ action: 'order.approve', actorName: 'Admin' }),
    ]);
  });
});
