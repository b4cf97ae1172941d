import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers, orders, users } from '@/db/schema';
import { seed } from '@/lib/demo-data';
import { isCompanyAdmin, loadActor, NotFoundError } from '@/lib/auth/actor';
import { checkCredentials } from '@/lib/auth/credentials';
import {
  createCustomerWithNextNumber,
  findOrCreateCustomerByNumber,
} from '@/lib/customers/numbering';
import { getCustomer, listCustomers } from '@/lib/customers/queries';
import { insertDraft } from '@/lib/orders/create';
import { getOrder, listDrafts } from '@/lib/orders/queries';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { makeCompany } from '../support/factories';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ max: 20 });
});
afterAll(async () => {
  await t?.close();
});

const view = { q: '', sort: 'createdAt' as const, dir: 'desc' as const, page: 1, pageSize: 25 };
/** A company's user as the read door sees it (the lists are any of its users' reads). */
const actorOf = async (user: { id: string }) => (await loadActor(t.db, user.id))!;

describe('customer numbering', () => {
  it('gives 20 concurrent creations 20 distinct, consecutive numbers', async () => {
    const { company } = await makeCompany(t.db);
    const made = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.db.transaction((tx) =>
          createCustomerWithNextNumber(tx, company.id, { name: `Kunde ${i}` }),
        ),
      ),
    );
    const numbers = made.map((m) => Number(m.customerNumber)).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('numbers each company on its own and skips numbers taken by hand', async () => {
    const a = await makeCompany(t.db);
    const b = await makeCompany(t.db);
    await t.db.transaction((tx) =>
      findOrCreateCustomerByNumber(tx, a.company.id, '1', { name: 'Taget' }),
    );
    const first = await t.db.transaction((tx) =>
      createCustomerWithNextNumber(tx, a.company.id, { name: 'Ny' }),
    );
    const other = await t.db.transaction((tx) =>
      createCustomerWithNextNumber(tx, b.company.id, { name: 'Anden' }),
    );
    expect(first.customerNumber).toBe('2');
    expect(other.customerNumber).toBe('1');
  });

  it('makes one customer when 20 race for the same number', async () => {
    const { company } = await makeCompany(t.db);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.db.transaction((tx) =>
          findOrCreateCustomerByNumber(tx, company.id, '20123456', { name: 'Jens Hansen' }),
        ),
      ),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const rows = await t.db.select().from(customers).where(eq(customers.companyId, company.id));
    expect(rows).toHaveLength(1);
  });
});

describe('tenant scoping', () => {
  it('never returns another company’s drafts or customers', async () => {
    const a = await makeCompany(t.db, 'Alfa VVS');
    const b = await makeCompany(t.db, 'Beta Byg');
    const order = await t.db.transaction(async (tx) => {
      const c = await createCustomerWithNextNumber(tx, a.company.id, {
        name: 'Alfas kunde',
        phone: '11223344',
      });
      const o = await insertDraft(tx, a.company.id, {
        orderTypeId: a.types[0].id,
        orderTypeName: a.types[0].name,
        heading: 'Alfas ordre',
        customerId: c.id,
        customerName: 'Alfas kunde',
        source: 'manual',
      });
      return { customerId: c.id, orderId: o!.id };
    });

    const aAdmin = await actorOf(a.admin);
    const bMember = await actorOf(b.member);
    expect((await listDrafts(t.db, aAdmin, view)).total).toBe(1);
    expect(await listDrafts(t.db, bMember, view)).toEqual({ rows: [], total: 0 });
    expect(await listDrafts(t.db, bMember, { ...view, q: 'Alfa' })).toEqual({
      rows: [],
      total: 0,
    });
    // Another company's order: not found (null → 404), never forbidden.
    expect(await getOrder(t.db, bMember, { orderId: order.orderId })).toBeNull();
    expect(await getCustomer(t.db, b.company.id, order.customerId)).toBeNull();
    expect((await listCustomers(t.db, b.company.id, { ...view, sort: 'name' })).total).toBe(0);
    expect((await getOrder(t.db, aAdmin, { orderId: order.orderId }))?.heading).toBe('Alfas ordre');
    expect((await getCustomer(t.db, a.company.id, order.customerId))?.orders).toHaveLength(1);
    // A malformed id is refused by the read's schema: 404.
    await expect(getOrder(t.db, aAdmin, { orderId: 'not-a-uuid' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('searches, sorts and pages drafts on the server', async () => {
    const a = await makeCompany(t.db);
    await t.db.transaction(async (tx) => {
      for (let i = 0; i < 30; i++) {
        const name = i % 2 ? `Øster ${i}` : `Anders ${i}`;
        const c = await createCustomerWithNextNumber(tx, a.company.id, { name });
        await insertDraft(tx, a.company.id, {
          orderTypeId: a.types[i % 2]!.id,
          orderTypeName: a.types[i % 2]!.name,
          heading: `Opgave ${String(i).padStart(2, '0')}`,
          requisitionNumber: `R-${i}`,
          customerId: c.id,
          customerName: name,
          source: 'manual',
        });
      }
    });
    const member = await actorOf(a.member);
    const page1 = await listDrafts(t.db, member, { ...view, sort: 'heading', dir: 'asc' });
    expect(page1.total).toBe(30);
    expect(page1.rows).toHaveLength(25);
    expect(page1.rows[0]?.heading).toBe('Opgave 00');
    const page2 = await listDrafts(t.db, member, {
      ...view,
      sort: 'heading',
      dir: 'asc',
      page: 2,
    });
    expect(page2.rows.map((r) => r.heading)).toEqual([
      'Opgave 25',
      'Opgave 26',
      'Opgave 27',
      'Opgave 28',
      'Opgave 29',
    ]);
    const byCustomer = await listDrafts(t.db, member, {
      ...view,
      sort: 'customerName',
      dir: 'desc',
    });
    expect(byCustomer.rows[0]?.customerName.startsWith('Øster')).toBe(true);
    const search = await listDrafts(t.db, member, { ...view, q: 'øster 1' });
    expect(search.rows.map((r) => r.customerName).sort()).toEqual([
      'Øster 1',
      'Øster 11',
      'Øster 13',
      'Øster 15',
      'Øster 17',
      'Øster 19',
    ]);
    expect((await listDrafts(t.db, member, { ...view, q: 'R-7' })).total).toBe(1);
    expect((await listDrafts(t.db, member, { ...view, q: '%' })).total).toBe(0);
    const searchPage2 = await listDrafts(t.db, member, {
      ...view,
      q: 'opgave',
      sort: 'heading',
      dir: 'desc',
      page: 2,
    });
    expect(searchPage2.total).toBe(30);
    expect(searchPage2.rows.map((r) => r.heading)).toEqual([
      'Opgave 04',
      'Opgave 03',
      'Opgave 02',
      'Opgave 01',
      'Opgave 00',
    ]);
    expect(await listDrafts(t.db, member, { ...view, q: 'opgave', page: 9 })).toEqual({
      rows: [],
      total: 30,
    });
    const byType = await listDrafts(t.db, member, { ...view, sort: 'orderType', dir: 'asc' });
    expect(byType.rows[0]?.orderType).toBe('Service');
  });
});

describe('seed', () => {
  it('is idempotent and makes the demo accounts of the README', async () => {
    await seed(t.db);
    const count = async () => ({
      users: (await t.db.select({ n: sql<number>`count(*)::int` }).from(users))[0]!.n,
      customers: (await t.db.select({ n: sql<number>`count(*)::int` }).from(customers))[0]!.n,
      orders: (await t.db.select({ n: sql<number>`count(*)::int` }).from(orders))[0]!.n,
    });
    const before = await count();
    await seed(t.db);
    expect(await count()).toEqual(before);

    const adminId = await checkCredentials(t.db, {
      email: 'admin@demo-vvs.dk',
      password: 'demo1234',
    });
    expect(adminId).toBeTruthy();
    const actor = await loadActor(t.db, adminId!);
    expect(actor).toMatchObject({ role: 'admin', companyName: 'Demo VVS ApS' });
    expect(
      await checkCredentials(t.db, { email: 'ADMIN@demo-vvs.dk ', password: 'demo1234' }),
    ).toBe(adminId);
    expect(
      await checkCredentials(t.db, { email: 'admin@demo-vvs.dk', password: 'forkert' }),
    ).toBeNull();
    expect(
      await checkCredentials(t.db, { email: 'ingen@demo-vvs.dk', password: 'demo1234' }),
    ).toBeNull();
    expect(
      await checkCredentials(t.db, { email: 'support@kladde.dk', password: 'support1234' }),
    ).toBeTruthy();
    expect(
      await checkCredentials(t.db, { email: 'montor@demo-vvs.dk', password: 'demo1234' }),
    ).toBeTruthy();
    expect(
      await checkCredentials(t.db, { email: 'admin@nord-byg.dk', password: 'demo1234' }),
    ).toBeTruthy();
  });

  it('re-reads the role: a demoted admin loses admin rights at once', async () => {
    const { admin } = await makeCompany(t.db);
    expect(isCompanyAdmin(await loadActor(t.db, admin.id))).toBe(true);
    await t.db.update(users).set({ role: 'member' }).where(eq(users.id, admin.id));
    expect(isCompanyAdmin(await loadActor(t.db, admin.id))).toBe(false);
  });
});
