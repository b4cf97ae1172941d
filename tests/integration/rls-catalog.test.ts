import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrate, openPglite, rowsOf, type Database, type Db } from '@/db/client';
import { seed } from '@/lib/demo-data';
import { checkCredentials } from '@/lib/auth/credentials';
import { loadActor } from '@/lib/auth/actor';
import { resetEnvCache } from '@/lib/env';
import { storeCredentials } from '@/lib/scalepoint/support/credentials';
import { lookupIntakeAccount } from '@/lib/scalepoint/intake/account';
import { listCompaniesForSupport } from '@/lib/scalepoint/support/company-list';
import { listCustomers, getCustomer } from '@/lib/customers/queries';
import type { OutgoingMail } from '@/lib/email';
import { getOrder, listDrafts } from '@/lib/orders/queries';
import { previewAccessMail, sendAccessMail } from '@/lib/scalepoint/admin/access-mail';
import { listDeliveries } from '@/lib/scalepoint/admin/deliveries';
import { replayDelivery } from '@/lib/scalepoint/admin/replay';
import { handleClaimDelivery } from '@/lib/scalepoint/intake/http';
import { saveScalepointSettings } from '@/lib/scalepoint/settings/save';
import { getScalepointOverview } from '@/lib/scalepoint/admin/overview';
import { generateSigningSecret, parseSigningSecret } from '@/lib/scalepoint/intake/signature';
import { asSystem } from '@/lib/tenancy';
import { activeCompany, exampleClaim, signedRequest } from '../support/claims';
import { createTestDatabase, openAppDatabase, type TestDatabase } from '../support/db';

/**
 * The database's own guarantees (docs/tenancy.md): every company table is under a policy for
 * kladde_app, SECURITY DEFINER functions have a safe search_path, and the app's default
 * connection — not through a door — sees no company rows while every cross-company path still
 * works through asSystem.
 */

type Problem = { object: string; problem: string };

/** Everything in the catalog that breaks the tenancy design; [] when it holds. */
async function catalogProblems(db: Db): Promise<Problem[]> {
  const tables = rowsOf<{ name: string; rls: boolean; forced: boolean; policies: number }>(
    await db.execute(sql`
      select c.relname as name, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
             (select count(*)::int from pg_policy p
               where p.polrelid = c.oid
                 and (0 = any(p.polroles) or (select oid from pg_roles where rolname = 'kladde_app') = any(p.polroles))
                 and (pg_get_expr(p.polqual, p.polrelid) like '%kladde_company_id()%'
                      or pg_get_expr(p.polqual, p.polrelid) like '%app.company_id%')) as policies
      from pg_class c
      where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
        and (c.relname = 'companies'
             or exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'company_id' and not a.attisdropped))
      order by 1`),
  );
  const problems: Problem[] = [];
  for (const t of tables) {
    if (!t.rls) problems.push({ object: t.name, problem: 'row-level security not enabled' });
    // Not forced, by design: the owner is the system door (asSystem) and must see every row.
    if (t.forced)
      problems.push({ object: t.name, problem: 'row-level security forced on the owner' });
    if (t.policies === 0)
      problems.push({ object: t.name, problem: 'no company policy for kladde_app' });
  }
  const functions = rowsOf<{ name: string; config: string[] | null }>(
    await db.execute(sql`
      select p.oid::regprocedure::text as name, p.proconfig as config
      from pg_proc p where p.pronamespace = 'public'::regnamespace and p.prosecdef order by 1`),
  );
  for (const f of functions) {
    const path = (f.config ?? []).find((c) => c.startsWith('search_path='));
    const parts =
      path
        ?.slice('search_path='.length)
        .split(',')
        .map((s) => s.trim().replace(/"/g, '')) ?? [];
    if (parts.at(-1) !== 'pg_temp')
      problems.push({
        object: f.name,
        problem: `SECURITY DEFINER without pg_temp last in search_path (${path ?? 'none'})`,
      });
  }
  const [role] = rowsOf<{ superuser: boolean; bypass: boolean; owns: number }>(
    await db.execute(sql`
      select r.rolsuper as superuser, r.rolbypassrls as bypass,
             (select count(*)::int from pg_class c where c.relowner = r.oid) as owns
      from pg_roles r where r.rolname = 'kladde_app'`),
  );
  if (!role) problems.push({ object: 'kladde_app', problem: 'role missing' });
  else if (role.superuser || role.bypass || role.owns > 0)
    problems.push({ object: 'kladde_app', problem: 'may bypass row-level security' });
  const secrets = rowsOf<{ col: string }>(
    await db.execute(sql`
      select t || '.' || c as col from (values ('users', 'password_hash'), ('scalepoint_credentials', 'secret_enc'), ('scalepoint_credentials', 'previous_secret_enc')) v(t, c)
      where has_column_privilege('kladde_app', t, c, 'SELECT')`),
  );
  for (const s of secrets) problems.push({ object: s.col, problem: 'readable by kladde_app' });
  return problems;
}

let t: TestDatabase;
/** The app's default database: a pool whose connections start as kladde_app (PGlite: its one session). */
let app: Database | undefined;
let company: Awaited<ReturnType<typeof activeCompany>>;

/** Runs `fn` against the app's default db; on PGlite the one session is switched for it. */
async function withApp<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  if (app) return fn(app.db);
  await t.db.execute(sql`set role kladde_app`);
  try {
    return await fn(t.db);
  } finally {
    await t.db.execute(sql`reset role`);
  }
}

beforeAll(async () => {
  vi.stubEnv('KLADDE_LOG', 'silent');
  resetEnvCache();
  t = await createTestDatabase();
  app = await openAppDatabase(t);
  await seed(t.db);
  company = await activeCompany(t.db);
});
afterAll(async () => {
  await app?.close();
  await t?.close();
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe('the catalog', () => {
  it('puts every company table under a kladde_app policy, and every SECURITY DEFINER function on a safe search_path', async () => {
    expect(await catalogProblems(t.db)).toEqual([]);
  });

  it('notices a new company table without a policy and a definer function without pg_temp', async () => {
    // The probe objects live only in a transaction that is rolled back.
    let seen: Problem[] = [];
    await expect(
      t.db.transaction(async (tx) => {
        await tx.execute(sql`create table rls_probe (id int, company_id uuid)`);
        await tx.execute(
          sql`create function rls_probe_fn() returns int language sql security definer set search_path = public as $$ select 1 $$`,
        );
        seen = await catalogProblems(tx);
        throw new Error('roll back the probe');
      }),
    ).rejects.toThrow('roll back the probe');
    expect(seen).toEqual(
      expect.arrayContaining([
        { object: 'rls_probe', problem: 'row-level security not enabled' },
        { object: 'rls_probe', problem: 'no company policy for kladde_app' },
        {
          object: 'rls_probe_fn()',
          problem: 'SECURITY DEFINER without pg_temp last in search_path (search_path=public)',
        },
      ]),
    );
    expect(await catalogProblems(t.db)).toEqual([]);
  });
});

describe('the app’s default database connection', () => {
  const count = async (db: Db, table: string) =>
    rowsOf<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`),
    )[0]!.n;

  it('runs as kladde_app and, outside the doors, sees no company rows at all', async () => {
    expect(await count(t.db, 'orders')).toBeGreaterThan(0); // the owner sees the seeded drafts
    await withApp(async (db) => {
      expect(rowsOf<{ u: string }>(await db.execute(sql`select current_user as u`))[0]!.u).toBe(
        'kladde_app',
      );
      for (const table of [
        'companies',
        'users',
        'orders',
        'customers',
        'order_types',
        'order_notes',
        'scalepoint_settings',
        'scalepoint_credentials',
        'scalepoint_mails',
        'scalepoint_deliveries',
        'audit_log',
        'order_steps',
        'scalepoint_outbox',
      ]) {
        expect({ table, n: await count(db, table) }).toEqual({ table, n: 0 });
      }
      await expect(db.execute(sql`select password_hash from users`)).rejects.toThrow();
      await expect(
        db.execute(sql`insert into companies (name, cvr) values ('Smuglet ApS', '11223344')`),
      ).rejects.toThrow();
      expect(
        rowsOf(
          await db.execute(
            sql`select id from kladde_order_search('%', array['draft'], null, null)`,
          ),
        ),
      ).toEqual([]);
      // After a system transaction the connection is kladde_app again.
      expect(await asSystem(db, 'maintenance', (tx) => count(tx, 'companies'))).toBeGreaterThan(1);
      expect(await count(db, 'companies')).toBe(0);
    });
  });

  it('still signs in, loads actors, finds the intake account, takes a claim and lists companies for support, through the doors', async () => {
    await withApp(async (db) => {
      const userId = await checkCredentials(db, {
        email: 'admin@demo-vvs.dk',
        password: 'demo1234',
      });
      expect(userId).toBeTruthy();
      const actor = await loadActor(db, userId!);
      expect(actor).toMatchObject({
        email: 'admin@demo-vvs.dk',
        companyName: 'Demo VVS ApS',
        role: 'admin',
      });
      const support = await loadActor(
        db,
        (await checkCredentials(db, { email: 'support@kladde.dk', password: 'support1234' }))!,
      );
      expect((await listCompaniesForSupport(db, support)).rows.map((c) => c.name)).toEqual(
        expect.arrayContaining(['Demo VVS ApS', 'Nord Byg ApS']),
      );
      expect((await lookupIntakeAccount(db, company.account.accountId))?.companyId).toBe(
        company.company.id,
      );
      const res = await handleClaimDelivery(db, signedRequest(company.account, exampleClaim()));
      expect(res.status).toBe(201);
      expect(await count(db, 'orders')).toBe(0);
    });
  });
});

describe('every page and action over the app’s default pool', () => {
  it('works through its door: lists, details, settings, credentials, intake with a new customer number, deliveries, replay, the mail', async () => {
    await withApp(async (db) => {
      const view = { q: '', page: 1, pageSize: 25 } as const;
      const demo = await loadActor(
        db,
        (await checkCredentials(db, { email: 'admin@demo-vvs.dk', password: 'demo1234' }))!,
      );
      const support = await loadActor(
        db,
        (await checkCredentials(db, { email: 'support@kladde.dk', password: 'support1234' }))!,
      );
      if (!demo?.companyId) throw new Error('no demo admin');

      const drafts = await listDrafts(db, demo, {
        ...view,
        sort: 'createdAt',
        dir: 'desc',
      });
      expect(drafts.total).toBeGreaterThan(0);
      expect(
        (
          await listDrafts(db, demo, {
            ...view,
            q: 'blandingsbatteri',
            sort: 'createdAt',
            dir: 'desc',
          })
        ).total,
      ).toBe(1);
      expect(await getOrder(db, demo, { orderId: drafts.rows[0]!.id })).toBeTruthy();
      const customers = await listCustomers(db, demo.companyId, {
        ...view,
        sort: 'name',
        dir: 'asc',
      });
      expect(customers.total).toBeGreaterThan(0);
      expect(
        (await listCustomers(db, demo.companyId, { ...view, q: 'Karen', sort: 'name', dir: 'asc' }))
          .total,
      ).toBe(1);
      expect(await getCustomer(db, demo.companyId, customers.rows[0]!.id)).toBeTruthy();

      // The admin turns the module on with the phone rule (a new customer gets the next number).
      const overview = await getScalepointOverview(db, demo);
      const type = overview.orderTypes.find((o) => o.name === 'Skadeservice')!;
      expect(
        (
          await saveScalepointSettings(db, demo, {
            enabled: true,
            orderTypeId: type.id,
            customerMode: 'policyholder',
            phoneAsCustomerNumber: false,
          })
        ).ok,
      ).toBe(true);
      const secret = generateSigningSecret();
      const accountId = `app-pool-${Date.now()}`;
      expect(
        (await storeCredentials(db, support, { companyId: demo.companyId, accountId, secret })).ok,
      ).toBe(true);
      expect((await getScalepointOverview(db, demo)).status).toBe('active');

      const account = { accountId, secret, key: parseSigningSecret(secret)! };
      const created = await handleClaimDelivery(db, signedRequest(account, exampleClaim()));
      expect(created.status).toBe(201);
      expect(
        (await listCustomers(db, demo.companyId, { ...view, sort: 'name', dir: 'asc' })).total,
      ).toBe(customers.total + 1);

      // A claim while the module is off is kept, and Genbehandl turns it into a draft.
      expect(
        (
          await saveScalepointSettings(db, demo, {
            enabled: false,
            orderTypeId: type.id,
            customerMode: 'policyholder',
            phoneAsCustomerNumber: false,
          })
        ).ok,
      ).toBe(true);
      expect((await handleClaimDelivery(db, signedRequest(account, exampleClaim()))).status).toBe(
        409,
      );
      expect(
        (
          await saveScalepointSettings(db, demo, {
            enabled: true,
            orderTypeId: type.id,
            customerMode: 'policyholder',
            phoneAsCustomerNumber: false,
          })
        ).ok,
      ).toBe(true);
      const [rejected] = await listDeliveries(db, demo, { status: 'module_disabled' });
      expect((await replayDelivery(db, demo, { deliveryId: rejected!.id })).ok).toBe(true);

      const calls: OutgoingMail[] = [];
      expect((await previewAccessMail(db, demo)).subject).toContain('Demo VVS ApS');
      const sent = await sendAccessMail(
        db,
        demo,
        async (mail) => (calls.push(mail), { status: 'sent', providerId: 'p-app' }),
      );
      expect(sent.ok).toBe(true);
      expect(calls).toHaveLength(1);
      expect((await getScalepointOverview(db, demo)).lastMail).toMatchObject({ status: 'sent' });
      expect(
        (await listCompaniesForSupport(db, support)).rows.find((c) => c.name === 'Demo VVS ApS')
          ?.lastMailAt,
      ).toBeTruthy();
    });
  });
});

describe('PGlite, the embedded database', () => {
  it('starts the app’s one session as kladde_app after migrating as the owner; the doors switch per transaction', async () => {
    const embedded = await openPglite(undefined, { as: 'app' });
    try {
      const who = async () =>
        rowsOf<{ u: string }>(await embedded.db.execute(sql`select current_user as u`))[0]!.u;
      await migrate(embedded); // fresh: runs as the owner, then enters kladde_app
      expect(await who()).toBe('kladde_app');
      await seed(embedded.db); // through asSystem
      expect(
        rowsOf<{ n: number }>(
          await embedded.db.execute(sql`select count(*)::int as n from companies`),
        )[0]!.n,
      ).toBe(0);
      expect(
        await asSystem(
          embedded.db,
          'maintenance',
          async (tx) =>
            rowsOf<{ n: number }>(
              await tx.execute(sql`select count(*)::int as n from companies`),
            )[0]!.n,
        ),
      ).toBe(2);
      expect(await who()).toBe('kladde_app');
      expect(
        await checkCredentials(embedded.db, { email: 'montor@demo-vvs.dk', password: 'demo1234' }),
      ).toBeTruthy();
      await migrate(embedded); // again: nothing to do, and back to kladde_app
      expect(await who()).toBe('kladde_app');
    } finally {
      await embedded.close();
    }
  }, 60_000);
});
