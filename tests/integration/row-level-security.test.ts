import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, rowsOf, type Database } from '@/db/client';
import { orders } from '@/db/schema';
import { createCustomerWithNextNumber } from '@/lib/customers/numbering';
import { insertDraft } from '@/lib/orders/create';
import { inCompany } from '@/lib/tenancy';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { makeCompany } from '../support/factories';

let t: TestDatabase;
let a: Awaited<ReturnType<typeof makeCompany>>;
let b: Awaited<ReturnType<typeof makeCompany>>;

beforeAll(async () => {
  t = await createTestDatabase();
  a = await makeCompany(t.db, 'Alfa');
  b = await makeCompany(t.db, 'Beta');
  for (const c of [a, b]) {
    await t.db.transaction(async (tx) => {
      const customer = await createCustomerWithNextNumber(tx, c.company.id, { name: `${c.company.name}s kunde` });
      await insertDraft(tx, c.company.id, { orderTypeId: c.types[0].id, orderTypeName: c.types[0].name, heading: `${c.company.name}s ordre`, customerId: customer.id, customerName: 'x', source: 'manual' });
    });
  }
});
afterAll(async () => {
  await t?.close();
});

const count = async (db: Database['db'], table: string) =>
  rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n;

describe('row-level security', () => {
  it('as the app role without a company, a query sees no company rows at all', async () => {
    expect(await count(t.db, 'orders')).toBe(2); // the owner sees both
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('role', 'kladde_app', true)`);
      for (const table of ['orders', 'customers', 'order_types', 'companies', 'scalepoint_settings', 'order_notes', 'scalepoint_deliveries', 'audit_log']) {
        expect(await count(tx, table)).toBe(0);
      }
    });
  });

  it('inCompany sees only its own company, even for a query that forgets the company filter', async () => {
    const seen = await inCompany(t.db, a.company.id, async (tx) => tx.select({ heading: orders.heading, companyId: orders.companyId }).from(orders));
    expect(seen).toEqual([{ heading: 'Alfas ordre', companyId: a.company.id }]);
    expect(await inCompany(t.db, b.company.id, (tx) => count(tx, 'customers'))).toBe(1);
  });

  it('the search functions are confined to the transaction’s company', async () => {
    const search = (tx: Database['db']) => tx.execute(sql`select heading from kladde_order_search('%ordre%', array['draft'])`);
    expect(rowsOf<{ heading: string }>(await inCompany(t.db, a.company.id, search))).toEqual([{ heading: 'Alfas ordre' }]);
    expect(rowsOf(await t.db.transaction(async (tx) => { await tx.execute(sql`select set_config('role', 'kladde_app', true)`); return search(tx); }))).toEqual([]);
    expect(rowsOf(await t.db.execute(sql`select id from kladde_customer_search('%')`))).toEqual([]);
  });

  it('refuses to write a row for another company', async () => {
    await expect(
      inCompany(t.db, a.company.id, (tx) => tx.execute(sql`update orders set heading = 'hacked' where company_id = ${b.company.id}`)),
    ).resolves.toBeDefined();
    expect(rowsOf<{ heading: string }>(await t.db.execute(sql`select heading from orders where company_id = ${b.company.id}`))[0]!.heading).toBe('Betas ordre');
    await expect(
      inCompany(t.db, a.company.id, (tx) =>
        insertDraft(tx, b.company.id, { orderTypeId: b.types[0].id, orderTypeName: 'Service', heading: 'smuglet', customerId: a.company.id, customerName: 'x', source: 'manual' }),
      ),
    ).rejects.toThrow();
  });

  it('keeps secrets and password hashes out of the app role’s reach', async () => {
    await expect(inCompany(t.db, a.company.id, (tx) => tx.execute(sql`select password_hash from users`))).rejects.toThrow();
    await expect(inCompany(t.db, a.company.id, (tx) => tx.execute(sql`select secret_enc from scalepoint_credentials`))).rejects.toThrow();
    expect(await inCompany(t.db, a.company.id, (tx) => count(tx, 'users'))).toBeGreaterThan(0);
  });

  it('a pooled connection never carries one company’s setting into the next transaction', async () => {
    if (!t.url) return; // PGlite has a single connection and no pool; the same transactions run above.
    const single = await openPostgres(t.url, { max: 1 });
    try {
      const owner = rowsOf<{ u: string }>(await single.db.execute(sql`select current_user as u`))[0]!.u;
      expect(owner).not.toBe('kladde_app');
      const who = async () =>
        rowsOf<{ role: string; company: string | null }>(await single.db.execute(sql`select current_user as role, nullif(current_setting('app.company_id', true), '') as company`))[0]!;
      for (let i = 0; i < 5; i++) {
        const inside = await inCompany(single.db, (i % 2 ? a : b).company.id, async (tx) => count(tx, 'orders'));
        expect(inside).toBe(1);
        expect(await who()).toEqual({ role: owner, company: null });
        const afterwards = await single.db.transaction(async (tx) => {
          await tx.execute(sql`select set_config('role', 'kladde_app', true)`);
          return count(tx, 'orders');
        });
        expect(afterwards).toBe(0);
      }
      // A failed transaction does not leak its setting either.
      await expect(inCompany(single.db, a.company.id, async (tx) => tx.execute(sql`select 1/0`))).rejects.toThrow();
      expect(await who()).toEqual({ role: owner, company: null });
    } finally {
      await single.close();
    }
  });
});
