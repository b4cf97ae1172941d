import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationEngines, migrationFiles, statementsOf, type Engine } from '../support/migrations';

/**
 * Migration 0018 on a database that holds orders from before it (docs/drafts.md, "After Godkend:
 * the job"): the steps already taken come from the audit log — order.approve → approved,
 * order.reject → rejected with its reason, order.restore → restored — at the audit row's time and
 * by its user; an odd row (details not an object, a reason that is not text, an orderId that is no
 * uuid, names no order or another company's) is skipped or gets no reason, and the migration does
 * not fail. The statuses, the order-number CHECK, the rank and the partial indexes take I gang.
 * On the embedded database and, when it answers, on the local PostgreSQL server.
 */
const company = '7a1c2b1e-0000-4000-8000-000000000001';
const otherCompany = '7a1c2b1e-0000-4000-8000-000000000002';
const anne = '7a1c2b1e-0000-4000-8000-0000000000a1';
const bo = '7a1c2b1e-0000-4000-8000-0000000000b1';
const noOrder = '7a1c2b1e-0000-4000-8000-00000000dead';

type Step = {
  audit: string;
  kind: string;
  order: string;
  at: string;
  reason: string | null;
  by: string | null;
};

describe.each(migrationEngines)('migration 0018 (order steps) on $name', (engine) => {
  let db: Engine | undefined;
  let skipped = false;
  const ids: Record<string, string> = {};
  const audits: Record<string, string> = {};

  const steps = () =>
    db!.query<Step>(
      `select s.id as audit, s.kind, o.heading as order, s.at::text as at, s.reason, s.recorded_by as by
       from order_steps s join orders o on o.id = s.order_id
       where s.recorded_at = s.at and s.note is null order by s.at, s.id`,
    );

  beforeAll(async () => {
    if (!(await engine.available())) {
      skipped = true;
      return;
    }
    db = await engine.open();
    const target = migrationFiles.findIndex((f) => f.startsWith('0018_'));
    expect(target).toBeGreaterThan(0);
    for (const file of migrationFiles.slice(0, target))
      for (const statement of statementsOf(file)) await db.exec(statement);

    await db.query(
      `insert into companies (id, name, cvr) values ($1, 'Firma', '12345678'), ($2, 'Andet firma', '87654321')`,
      [company, otherCompany],
    );
    await db.query(
      `insert into users (id, email, name, role, company_id, password_hash)
       values ($1, 'anne@firma.dk', 'Anne', 'admin', $3, 'x'), ($2, 'bo@firma.dk', 'Bo', 'member', $3, 'x')`,
      [anne, bo, company],
    );
    const order = async (heading: string, status: string, number: number | null, at = company) => {
      const [type] = await db!.query<{ id: string }>(
        `insert into order_types (company_id, name) values ($1, $2) returning id`,
        [at, `Type ${heading}`],
      );
      const [customer] = await db!.query<{ id: string }>(
        `insert into customers (company_id, customer_number, name, name_key) values ($1, $2, 'Kunde', 'kunde') returning id`,
        [at, heading],
      );
      const [row] = await db!.query<{ id: string }>(
        `insert into orders (company_id, status, order_number, order_type_id, heading, customer_id, customer_name, order_type_name, created_at)
         values ($1, $2, $3, $4, $5, $6, 'Kunde', 'Type', '2026-01-01T08:00:00Z') returning id`,
        [at, status, number, type!.id, heading, customer!.id],
      );
      ids[heading] = row!.id;
    };
    await order('approved', 'new', 1);
    await order('closed', 'closed', 2);
    await order('rejected', 'rejected', null);
    await order('restored', 'draft', null);
    await order('plain draft', 'draft', null);
    await order('foreign', 'new', 1, otherCompany);

    const audit = async (
      key: string,
      action: string,
      details: string,
      at: string,
      by: string | null = anne,
      at_company: string | null = company,
    ) => {
      const [row] = await db!.query<{ id: string }>(
        `insert into audit_log (company_id, actor_user_id, actor_role, action, details, created_at)
         values ($1, $2, $3, $4, $5::text::jsonb, $6) returning id`,
        [at_company, by, by ? 'admin' : 'command', action, details, at],
      );
      audits[key] = row!.id;
    };
    const d = (o: Record<string, unknown>) => JSON.stringify(o);
    await audit(
      'approve',
      'order.approve',
      d({ orderId: ids.approved, orderNumber: 1 }),
      '2026-01-02T09:00:00Z',
      bo,
    );
    await audit(
      'approve closed',
      'order.approve',
      d({ orderId: ids.closed, orderNumber: 2 }),
      '2026-01-02T10:00:00Z',
    );
    await audit(
      'edit',
      'order.edit',
      d({ orderId: ids.approved, customerId: 'c' }),
      '2026-01-02T11:00:00Z',
    );
    await audit(
      'reject',
      'order.reject',
      d({ orderId: ids.rejected, reason: 'Dublet af sag 7' }),
      '2026-01-03T09:00:00Z',
    );
    await audit(
      'reject again',
      'order.reject',
      d({ orderId: ids.restored, reason: 42 }),
      '2026-01-03T10:00:00Z',
    );
    await audit(
      'restore',
      'order.restore',
      d({ orderId: ids.restored }),
      '2026-01-03T11:00:00Z',
      null,
    );
    await audit(
      'reject blank',
      'order.reject',
      d({ orderId: ids.restored, reason: '' }),
      '2026-01-03T12:00:00Z',
    );
    // Odd rows: none is a step, and none makes the migration fail.
    await audit(
      'odd text',
      'order.approve',
      d({ orderId: 'not-a-uuid', orderNumber: 1 }),
      '2026-01-04T09:00:00Z',
    );
    await audit('odd scalar', 'order.approve', '"just text"', '2026-01-04T10:00:00Z');
    await audit(
      'odd array',
      'order.reject',
      `[${JSON.stringify(ids['plain draft'])}, 1]`,
      '2026-01-04T11:00:00Z',
    );
    await audit(
      'odd gone',
      'order.approve',
      d({ orderId: noOrder, orderNumber: 9 }),
      '2026-01-04T12:00:00Z',
    );
    await audit(
      'odd foreign',
      'order.approve',
      d({ orderId: ids.foreign, orderNumber: 1 }),
      '2026-01-04T13:00:00Z',
    );
    await audit(
      'odd reason',
      'order.reject',
      d({ orderId: ids['plain draft'], reason: { nested: 'x' } }),
      '2026-01-04T14:00:00Z',
    );
    await audit(
      'no company',
      'order.restore',
      d({ orderId: ids['plain draft'] }),
      '2026-01-04T15:00:00Z',
      null,
      null,
    );

    await db.inTransaction(statementsOf(migrationFiles[target]!));
  });
  afterAll(async () => {
    await db?.close();
  });

  const ts = (iso: string) => new Date(iso).getTime();

  it('writes one step per approve, reject and restore in the audit log, at its time and by its user', async (ctx) => {
    if (skipped) ctx.skip();
    const rows = await steps();
    expect(rows.map((r) => ({ ...r, at: ts(r.at) }))).toEqual([
      {
        audit: audits.approve,
        kind: 'approved',
        order: 'approved',
        at: ts('2026-01-02T09:00:00Z'),
        reason: null,
        by: bo,
      },
      {
        audit: audits['approve closed'],
        kind: 'approved',
        order: 'closed',
        at: ts('2026-01-02T10:00:00Z'),
        reason: null,
        by: anne,
      },
      {
        audit: audits.reject,
        kind: 'rejected',
        order: 'rejected',
        at: ts('2026-01-03T09:00:00Z'),
        reason: 'Dublet af sag 7',
        by: anne,
      },
      // A reason that is not text is no reason; the step is there.
      {
        audit: audits['reject again'],
        kind: 'rejected',
        order: 'restored',
        at: ts('2026-01-03T10:00:00Z'),
        reason: null,
        by: anne,
      },
      {
        audit: audits.restore,
        kind: 'restored',
        order: 'restored',
        at: ts('2026-01-03T11:00:00Z'),
        reason: null,
        by: null,
      },
      {
        audit: audits['reject blank'],
        kind: 'rejected',
        order: 'restored',
        at: ts('2026-01-03T12:00:00Z'),
        reason: null,
        by: anne,
      },
      {
        audit: audits['odd reason'],
        kind: 'rejected',
        order: 'plain draft',
        at: ts('2026-01-04T14:00:00Z'),
        reason: null,
        by: anne,
      },
    ]);
    const [all] = await db!.query<{ n: number }>(`select count(*)::int as n from order_steps`);
    expect(all!.n).toBe(7);
    // The steps' company is their order's.
    const [mismatch] = await db!.query<{ n: number }>(
      `select count(*)::int as n from order_steps s join orders o on o.id = s.order_id where o.company_id <> s.company_id`,
    );
    expect(mismatch!.n).toBe(0);
  });

  it('running its backfill again adds nothing', async (ctx) => {
    if (skipped) ctx.skip();
    const backfill = statementsOf(migrationFiles.find((f) => f.startsWith('0018_'))!).filter((s) =>
      s.replace(/^(--[^\n]*\n)+/, '').startsWith('INSERT INTO order_steps'),
    );
    expect(backfill).toHaveLength(1);
    await db!.inTransaction(backfill);
    const [all] = await db!.query<{ n: number }>(`select count(*)::int as n from order_steps`);
    expect(all!.n).toBe(7);
  });

  it('ranks the statuses, and lets an order be I gang with its number (never without one)', async (ctx) => {
    if (skipped) ctx.skip();
    const ranks = await db!.query<{ heading: string; status_rank: number }>(
      `select heading, status_rank from orders where company_id = $1 order by heading`,
      [company],
    );
    expect(Object.fromEntries(ranks.map((r) => [r.heading, r.status_rank]))).toEqual({
      approved: 1,
      closed: 3,
      'plain draft': 0,
      rejected: 0,
      restored: 0,
    });
    await db!.exec(`update orders set status = 'in_progress' where id = '${ids.approved}'`);
    const [row] = await db!.query<{ status_rank: number }>(
      `select status_rank from orders where id = $1`,
      [ids.approved],
    );
    expect(row!.status_rank).toBe(2);
    await expect(
      db!.exec(`update orders set status = 'in_progress' where id = '${ids['plain draft']}'`),
    ).rejects.toThrow();
    await expect(
      db!.exec(`update orders set status = 'working' where id = '${ids.approved}'`),
    ).rejects.toThrow();
  });

  it('puts I gang in every partial index of the approved orders, and order_steps under the company policy', async (ctx) => {
    if (skipped) ctx.skip();
    const indexes = await db!.query<{ name: string; def: string }>(
      `select indexname as name, indexdef as def from pg_indexes where tablename = 'orders' and indexname like 'orders_approved_%' order by 1`,
    );
    expect(indexes.map((i) => i.name)).toEqual([
      'orders_approved_created_idx',
      'orders_approved_customer_name_idx',
      'orders_approved_heading_idx',
      'orders_approved_number_idx',
      'orders_approved_rank_idx',
      'orders_approved_requisition_idx',
      'orders_approved_status_idx',
      'orders_approved_type_idx',
    ]);
    for (const i of indexes) expect(i.def, i.name).toMatch(/'new'.*'in_progress'.*'closed'/);
    expect(indexes.find((i) => i.name === 'orders_approved_rank_idx')!.def).toMatch(
      /\(company_id, status_rank, id\)/,
    );
    const [rls] = await db!.query<{ rls: boolean; policies: number }>(
      `select c.relrowsecurity as rls, (select count(*)::int from pg_policy p where p.polrelid = c.oid and p.polname = 'company_isolation') as policies
       from pg_class c where c.relname = 'order_steps'`,
    );
    expect(rls).toEqual({ rls: true, policies: 1 });
    const [grants] = await db!.query<Record<string, boolean>>(
      `select has_table_privilege('kladde_app', 'order_steps', 'SELECT') as "select",
              has_table_privilege('kladde_app', 'order_steps', 'INSERT') as "insert",
              has_table_privilege('kladde_app', 'order_steps', 'UPDATE') as "update",
              has_table_privilege('kladde_app', 'order_steps', 'DELETE') as "delete"`,
    );
    expect(grants).toEqual({ select: true, insert: true, update: false, delete: false });
    // The search function answers the rank too (a search sorted by Status).
    const [fn] = await db!.query<{ result: string; config: string[] }>(
      `select pg_get_function_result(p.oid) as result, p.proconfig as config from pg_proc p where p.proname = 'kladde_order_search'`,
    );
    expect(fn!.result).toMatch(/status_rank smallint\)$/);
    expect(fn!.config.join(',')).toMatch(/pg_temp$/);
  });
});
