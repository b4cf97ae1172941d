import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, rowsOf, type Database } from '@/db/client';
import { orders } from '@/db/schema';
import { createCustomerWithNextNumber } from '@/lib/customers/numbering';
import { insertDraft } from '@/lib/orders/create';
import { asSystem, asSystemAtOnce, inCompany, inCompanyAtOnce } from '@/lib/tenancy';
import { isWorthRetry, pgErrorCode } from '@/lib/db-errors';
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
      const customer = await createCustomerWithNextNumber(tx, c.company.id, {
        name: `${c.company.name}s kunde`,
      });
      await insertDraft(tx, c.company.id, {
        orderTypeId: c.types[0].id,
        orderTypeName: c.types[0].name,
        heading: `${c.company.name}s ordre`,
        customerId: customer.id,
        customerName: 'x',
        source: 'manual',
      });
    });
  }
});
afterAll(async () => {
  await t?.close();
});

const count = async (db: Database['db'], table: string) =>
  rowsOf<{ n: number }>(
    await db.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`),
  )[0]!.n;

describe('row-level security', () => {
  it('as the app role without a company, a query sees no company rows at all', async () => {
    expect(await count(t.db, 'orders')).toBe(2); // the owner sees both
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('role', 'kladde_app', true)`);
      for (const table of [
        'orders',
        'customers',
        'order_types',
        'companies',
        'scalepoint_settings',
        'order_notes',
        'scalepoint_deliveries',
        'audit_log',
      ]) {
        expect(await count(tx, table)).toBe(0);
      }
    });
  });

  it('inCompany sees only its own company, even for a query that forgets the company filter', async () => {
    const seen = await inCompany(t.db, a.company.id, async (tx) =>
      tx.select({ heading: orders.heading, companyId: orders.companyId }).from(orders),
    );
    expect(seen).toEqual([{ heading: 'Alfas ordre', companyId: a.company.id }]);
    expect(await inCompany(t.db, b.company.id, (tx) => count(tx, 'customers'))).toBe(1);
  });

  it('the search functions are confined to the transaction’s company', async () => {
    const search = (tx: Database['db']) =>
      tx.execute(
        sql`select heading from kladde_order_search('%ordre%', array['draft'], null, null)`,
      );
    expect(rowsOf<{ heading: string }>(await inCompany(t.db, a.company.id, search))).toEqual([
      { heading: 'Alfas ordre' },
    ]);
    expect(
      rowsOf(
        await t.db.transaction(async (tx) => {
          await tx.execute(sql`select set_config('role', 'kladde_app', true)`);
          return search(tx);
        }),
      ),
    ).toEqual([]);
    expect(rowsOf(await t.db.execute(sql`select id from kladde_customer_search('%')`))).toEqual([]);
  });

  it('refuses to write a row for another company', async () => {
    await expect(
      inCompany(t.db, a.company.id, (tx) =>
        tx.execute(sql`update orders set heading = 'hacked' where company_id = ${b.company.id}`),
      ),
    ).resolves.toBeDefined();
    expect(
      rowsOf<{ heading: string }>(
        await t.db.execute(sql`select heading from orders where company_id = ${b.company.id}`),
      )[0]!.heading,
    ).toBe('Betas ordre');
    await expect(
      inCompany(t.db, a.company.id, (tx) =>
        insertDraft(tx, b.company.id, {
          orderTypeId: b.types[0].id,
          orderTypeName: 'Service',
          heading: 'smuglet',
          customerId: a.company.id,
          customerName: 'x',
          source: 'manual',
        }),
      ),
    ).rejects.toThrow();
  });

  it('keeps secrets and password hashes out of the app role’s reach', async () => {
    await expect(
      inCompany(t.db, a.company.id, (tx) => tx.execute(sql`select password_hash from users`)),
    ).rejects.toThrow();
    await expect(
      inCompany(t.db, a.company.id, (tx) =>
        tx.execute(sql`select secret_enc from scalepoint_credentials`),
      ),
    ).rejects.toThrow();
    expect(await inCompany(t.db, a.company.id, (tx) => count(tx, 'users'))).toBeGreaterThan(0);
    // …and sees only its own company's users.
    const companiesOfUsers = await inCompany(t.db, a.company.id, async (tx) =>
      rowsOf<{ c: string | null }>(
        await tx.execute(sql`select distinct company_id as c from users`),
      ),
    );
    expect(companiesOfUsers).toEqual([{ c: a.company.id }]);
  });

  it('the system door records its reason for the transaction, and an inner door gives the outer one back', async () => {
    const reasonOf = async (tx: typeof t.db) =>
      rowsOf<{ r: string | null }>(
        await tx.execute(sql`select current_setting('app.system_reason', true) as r`),
      )[0]!.r;
    const seen = await asSystem(t.db, 'maintenance', async (tx) => {
      const outer = await reasonOf(tx);
      const inner = await asSystem(tx, 'people', (sys) => reasonOf(sys));
      return { outer, inner, after: await reasonOf(tx) };
    });
    expect(seen).toEqual({ outer: 'maintenance', inner: 'people', after: 'maintenance' });
    // In a company's transaction there is none.
    expect(await inCompany(t.db, a.company.id, (tx) => reasonOf(tx))).toBeFalsy();
  });

  it('asSystem inside a company transaction gives the company back when it is done', async () => {
    const seen = await inCompany(t.db, a.company.id, async (tx) => {
      const inside = await asSystem(tx, 'maintenance', (sys) => count(sys, 'orders'));
      const after = await tx.select({ companyId: orders.companyId }).from(orders);
      const who = rowsOf<{ role: string; company: string }>(
        await tx.execute(
          sql`select current_user as role, current_setting('app.company_id', true) as company`,
        ),
      )[0]!;
      return { inside, after, who };
    });
    expect(seen).toEqual({
      inside: 2,
      after: [{ companyId: a.company.id }],
      who: { role: 'kladde_app', company: a.company.id },
    });
  });

  it('a pooled connection never carries one company’s setting, or the owner role, into the next transaction', async () => {
    if (!t.url) return; // PGlite has a single connection and no pool; the same transactions run above.
    const single = await openPostgres(t.url, { max: 1 }); // the app's default: every connection starts as kladde_app
    try {
      const who = async () =>
        rowsOf<{ role: string; company: string | null }>(
          await single.db.execute(
            sql`select current_user as role, nullif(current_setting('app.company_id', true), '') as company`,
          ),
        )[0]!;
      expect(await who()).toEqual({ role: 'kladde_app', company: null });
      for (let i = 0; i < 5; i++) {
        const inside = await inCompany(single.db, (i % 2 ? a : b).company.id, async (tx) =>
          count(tx, 'orders'),
        );
        expect(inside).toBe(1);
        expect(await who()).toEqual({ role: 'kladde_app', company: null });
        expect(await count(single.db, 'orders')).toBe(0);
        expect(await asSystem(single.db, 'maintenance', (tx) => count(tx, 'orders'))).toBe(2);
        expect(await who()).toEqual({ role: 'kladde_app', company: null });
        expect(await count(single.db, 'orders')).toBe(0);
      }
      // A failed transaction does not leak its setting either.
      await expect(
        inCompany(single.db, a.company.id, async (tx) => tx.execute(sql`select 1/0`)),
      ).rejects.toThrow();
      expect(await who()).toEqual({ role: 'kladde_app', company: null });
      await expect(
        asSystem(single.db, 'maintenance', async (tx) => tx.execute(sql`select 1/0`)),
      ).rejects.toThrow();
      expect(await who()).toEqual({ role: 'kladde_app', company: null });
    } finally {
      await single.close();
    }
  });

  describe('the one-write doors (inCompanyAtOnce / asSystemAtOnce)', () => {
    it('confine every statement to the company and answer each statement’s rows', async () => {
      const [headings, customerCount] = await inCompanyAtOnce(t.db, a.company.id, [
        sql`select heading from orders`,
        sql`select count(*)::int as n from customers`,
      ]);
      expect(headings).toEqual([{ heading: 'Alfas ordre' }]);
      expect(customerCount).toEqual([{ n: 1 }]);
      expect(
        await asSystemAtOnce(t.db, 'maintenance', [sql`select count(*)::int as n from orders`]),
      ).toEqual([[{ n: 2 }]]);
      // Their own transaction, never a savepoint that would leave the door's role to the outer one.
      await expect(
        inCompany(t.db, b.company.id, (tx) =>
          asSystemAtOnce(tx, 'maintenance', [sql`select 1 as x`]),
        ),
      ).rejects.toThrow(/own transaction/);
    });

    it('all or nothing: a failing statement rolls back the ones before it and throws its own error', async () => {
      const before = await count(t.db, 'customers');
      const customer = (name: string) =>
        sql`insert into customers (company_id, customer_number, name, name_key) values (${a.company.id}, 'AT-ONCE-1', ${name}, ${name})`;
      // The second insert takes the same customer number: the unique index refuses it, after the first went in.
      const failed = await inCompanyAtOnce(t.db, a.company.id, [
        customer('først'),
        customer('igen'),
        sql`select 1 as later`,
      ]).catch((e: unknown) => e);
      expect(pgErrorCode(failed)).toBe('23505');
      expect(await count(t.db, 'customers')).toBe(before);
      // Another company's rows cannot be written through the company door (row-level security).
      await expect(
        inCompanyAtOnce(t.db, a.company.id, [
          sql`insert into customers (company_id, customer_number, name, name_key) values (${b.company.id}, 'AT-ONCE-2', 'smuglet', 'smuglet')`,
        ]),
      ).rejects.toThrow();
      expect(await count(t.db, 'customers')).toBe(before);
    });

    it('a connection lost mid-transaction is an error worth a retry, and the pool serves the next transaction', async () => {
      if (!t.url) return; // PGlite has no connection to lose.
      const single = await openPostgres(t.url, { max: 1 });
      try {
        // The backend ends itself in the middle of the one write (as a database restart would).
        const lost = await asSystemAtOnce(single.db, 'maintenance', [
          sql`select pg_terminate_backend(pg_backend_pid())`,
          sql`select 1 as after`,
        ]).catch((e: unknown) => e);
        expect(isWorthRetry(lost)).toBe(true);
        // The dead connection must not be handed out again (postgres.js would hang or crash on it).
        for (let i = 0; i < 3; i++)
          expect(
            await inCompanyAtOnce(single.db, a.company.id, [
              sql`select count(*)::int as n from orders`,
            ]),
          ).toEqual([[{ n: 1 }]]);
        // The ordinary door too: postgres.js 3.4.9 crashed the process here, writing its rollback to
        // the closed socket (patches/postgres+3.4.9.patch).
        const lostToo = await asSystem(single.db, 'maintenance', (tx) =>
          tx.execute(sql`select pg_terminate_backend(pg_backend_pid())`),
        ).catch((e: unknown) => e);
        expect(isWorthRetry(lostToo)).toBe(true);
        let served = 0;
        for (let i = 0; i < 3; i++)
          served += await inCompany(single.db, a.company.id, (tx) => count(tx, 'orders')).catch(
            () => 0,
          );
        expect(served).toBeGreaterThanOrEqual(2); // the first may still meet the closing connection
        expect(await inCompany(single.db, a.company.id, (tx) => count(tx, 'orders'))).toBe(1);
      } finally {
        await single.close();
      }
    });

    it('leaves a pooled connection as it found it, after success and after failure', async () => {
      if (!t.url) return; // PGlite: one session, the statements run in inCompany (tested above).
      const single = await openPostgres(t.url, { max: 1 });
      try {
        const who = async () =>
          rowsOf<{ role: string; company: string | null; tx: string }>(
            await single.db.execute(
              sql`select current_user as role, nullif(current_setting('app.company_id', true), '') as company, (select count(*) from orders)::text as tx`,
            ),
          )[0]!;
        expect(
          await inCompanyAtOnce(single.db, a.company.id, [sql`select current_user as role`]),
        ).toEqual([[{ role: 'kladde_app' }]]);
        expect(await who()).toEqual({ role: 'kladde_app', company: null, tx: '0' });
        await expect(inCompanyAtOnce(single.db, a.company.id, [sql`select 1/0`])).rejects.toThrow();
        expect(await who()).toEqual({ role: 'kladde_app', company: null, tx: '0' });
        expect(
          await asSystemAtOnce(single.db, 'maintenance', [
            sql`select count(*)::int as n from orders`,
          ]),
        ).toEqual([[{ n: 2 }]]);
        expect(await who()).toEqual({ role: 'kladde_app', company: null, tx: '0' });
      } finally {
        await single.close();
      }
    });
  });
});
