/**
 * The lists at scale, shared by `npm run bench` and `npm run bench:plans`: two companies with
 * 50,000 customers, 100,000 drafts, 100,000 approved orders and 1,000 rejected drafts each, and
 * EXPLAIN ANALYZE of every list query as the app role inside the company (docs/drafts.md).
 */
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { rowsOf, unixSocket, type Db } from '@/db/client';
import * as schema from '@/db/schema';
import { loadActor } from '@/lib/auth/actor';
import { hashPassword } from '@/lib/auth/password';
import { listCustomers } from '@/lib/customers/queries';
import { getOrder, listDrafts, listOrders } from '@/lib/orders/queries';
import { orderSteps } from '@/lib/orders/steps';
import { fmt } from './harness';

export async function seedLargeCompanies(db: Db) {
  const made: { companyId: string; email: string }[] = [];
  const hash = await hashPassword('bench1234');
  for (const name of ['Bench Alfa ApS', 'Bench Beta ApS']) {
    const cvr = String(30000000 + made.length);
    const [company] = rowsOf<{ id: string }>(
      await db.execute(
        sql`insert into companies (name, cvr, last_customer_number) values (${name}, ${cvr}, 50000) returning id`,
      ),
    );
    const companyId = company!.id;
    const email = `admin@${name.split(' ')[1]!.toLowerCase()}.bench`;
    await db.execute(
      sql`insert into users (email, name, password_hash, role, company_id) values (${email}, 'Bench Admin', ${hash}, 'admin', ${companyId})`,
    );
    await db.execute(
      sql`insert into order_types (company_id, name) select ${companyId}, t from unnest(array['Service','Skadeservice','Tilbud','Forsikring']) t`,
    );
    await db.execute(sql`
      insert into customers (company_id, customer_number, name, name_key, street, house_number, postal_code, city, phone)
      select ${companyId}, g::text, 'Kunde ' || g, 'kunde ' || g, (array['Vestergade','Nørregade','Søndergade','Østergade','Åboulevarden'])[1 + g % 5], (1 + g % 120)::text,
             (8000 + g % 900)::text, 'Aarhus', (20000000 + g)::text
      from generate_series(1, 50000) g`);
    // 100,000 drafts, then 100,000 approved orders (numbered 1..100,000: one in ten Afsluttet,
    // three in ten I gang, the rest Ny), then 1,000 rejected drafts. Every other one is a
    // Scalepoint case with its clocks (docs/deadlines.md): contact 24 h and visit 72 h after
    // Oprettet, one in five with a work deadline 14 days on, and on a third of the orders the
    // customer called within 2 hours. So Frist has both empty and filled cells, and Forsinkede
    // holds every Scalepoint draft (50,000: they are weeks old) and most Scalepoint orders.
    for (const [from, to, status] of [
      [1, 100000, 'draft'],
      [100001, 200000, 'approved'],
      [200001, 201000, 'rejected'],
    ] as const) {
      await db.execute(sql`
        insert into orders (company_id, status, order_number, order_type_id, order_type_name, heading, requisition_number, work_description, customer_id, customer_name, source, created_at,
                            approved_at, rejected_at, rejection_reason,
                            scalepoint_case_number, contact_due_at, inspection_due_at, work_due_at, contact_stopped_at)
        select ${companyId},
               case ${status} when 'approved' then (case when g % 10 = 0 then 'closed' when g % 10 <= 3 then 'in_progress' else 'new' end) else ${status} end,
               case ${status} when 'approved' then g - 100000 end,
               t.id, t.name,
               (array['Vandskade','Rørskade','Stormskade','Service','Udskiftning af toilet'])[1 + g % 5] || ' ' || g,
               'R-' || g, 'Beskrivelse ' || g, c.id, c.name, case when g % 2 = 0 then 'scalepoint' else 'manual' end, at.created,
               case ${status} when 'approved' then now() end,
               case ${status} when 'rejected' then now() end,
               case ${status} when 'rejected' then 'Bench' end,
               case when g % 2 = 0 then 'SP-' || g end,
               case when g % 2 = 0 then at.created + interval '24 hours' end,
               case when g % 2 = 0 then at.created + interval '72 hours' end,
               case when g % 10 = 0 then at.created + interval '14 days' end,
               case when g % 2 = 0 and ${status} = 'approved' and g % 3 = 0 then at.created + interval '2 hours' end
        from generate_series(${from}::int, ${to}::int) g
        cross join lateral (select now() - ((201000 - g) || ' minutes')::interval as created) at
        join customers c on c.company_id = ${companyId} and c.customer_number = (1 + g % 50000)::text
        join lateral (select id, name from order_types where company_id = ${companyId} order by name offset (g % 4) limit 1) t on true`);
    }
    await db.execute(
      sql`insert into order_number_counters (company_id, last_number) values (${companyId}, 100000)`,
    );
    // An audit trail the size of the orders: one approval row per order, so the history look-up is measured at scale.
    await db.execute(sql`
      insert into audit_log (company_id, actor_role, action, details, created_at)
      select company_id, 'admin', 'order.approve', jsonb_build_object('orderId', id, 'orderNumber', order_number), approved_at
      from orders where company_id = ${companyId} and order_number is not null`);
    // Their steps (order_steps, Forløb): Godkend for every order, Arbejde startet for those I gang
    // or Afsluttet, Arbejde færdigt for the Afsluttede.
    await db.execute(sql`
      insert into order_steps (company_id, order_id, kind, at, recorded_at)
      select o.company_id, o.id, k.kind, o.approved_at, o.approved_at + k.n * interval '1 hour'
      from orders o
      join lateral (values ('approved', 0), ('work_started', 1), ('work_completed', 2)) k(kind, n)
        on k.n = 0 or (k.n = 1 and o.status in ('in_progress', 'closed')) or (k.n = 2 and o.status = 'closed')
      where o.company_id = ${companyId} and o.order_number is not null`);
    made.push({ companyId, email });
  }
  // As autovacuum would in production: the visibility map lets counts be index-only scans.
  await db.execute(sql`vacuum analyze`);
  return made;
}

export async function explainLists(dbUrl: string, companyId: string, say: (line: string) => void) {
  const captured: { query: string; params: unknown[] }[] = [];
  const socket = unixSocket(dbUrl);
  const client = postgres(socket.url, { ...socket.options, max: 1, onnotice: () => {} });
  const db = drizzle(client, {
    schema,
    logger: { logQuery: (query, params) => captured.push({ query, params }) },
  }) as unknown as Db;
  const view = { q: '', page: 1, pageSize: 25 };
  const [someOrder] = rowsOf<{ id: string }>(
    await client.unsafe(
      `select id from orders where company_id = '${companyId}' and order_number = 54321`,
    ),
  );
  // The lists are read as the pages read them: through the read door, as the company's admin.
  const [admin] = rowsOf<{ id: string }>(
    await client.unsafe(
      `select id from users where company_id = '${companyId}' and role = 'admin' limit 1`,
    ),
  );
  const actor = await loadActor(db, admin!.id);
  const cases: [string, () => Promise<unknown>][] = [
    [
      'drafts newest first',
      () => listDrafts(db, actor, { ...view, sort: 'createdAt', dir: 'desc' }),
    ],
    ['drafts by heading', () => listDrafts(db, actor, { ...view, sort: 'heading', dir: 'asc' })],
    [
      'drafts by requisition',
      () => listDrafts(db, actor, { ...view, sort: 'requisitionNumber', dir: 'asc' }),
    ],
    [
      'drafts by customer',
      () => listDrafts(db, actor, { ...view, sort: 'customerName', dir: 'asc' }),
    ],
    [
      'drafts by order type',
      () => listDrafts(db, actor, { ...view, sort: 'orderType', dir: 'asc' }),
    ],
    [
      'drafts page 200',
      () => listDrafts(db, actor, { ...view, page: 200, sort: 'createdAt', dir: 'desc' }),
    ],
    [
      'drafts search',
      () => listDrafts(db, actor, { ...view, q: 'Rørskade 4711', sort: 'createdAt', dir: 'desc' }),
    ],
    ['drafts by Frist', () => listDrafts(db, actor, { ...view, sort: 'deadline', dir: 'asc' })],
    [
      'drafts by Frist, descending',
      () => listDrafts(db, actor, { ...view, sort: 'deadline', dir: 'desc' }),
    ],
    [
      'drafts Forsinkede (filter)',
      () => listDrafts(db, actor, { ...view, sort: 'deadline', dir: 'asc', list: 'drafts_late' }),
    ],
    [
      'rejected drafts',
      () => listDrafts(db, actor, { ...view, sort: 'createdAt', dir: 'desc', list: 'rejected' }),
    ],
    [
      'orders by number',
      () => listOrders(db, actor, { list: 'orders', ...view, sort: 'orderNumber', dir: 'desc' }),
    ],
    [
      'orders by heading',
      () => listOrders(db, actor, { list: 'orders', ...view, sort: 'heading', dir: 'asc' }),
    ],
    [
      'orders by requisition',
      () =>
        listOrders(db, actor, { list: 'orders', ...view, sort: 'requisitionNumber', dir: 'desc' }),
    ],
    [
      'orders by customer',
      () => listOrders(db, actor, { list: 'orders', ...view, sort: 'customerName', dir: 'asc' }),
    ],
    [
      'orders by order type',
      () => listOrders(db, actor, { list: 'orders', ...view, sort: 'orderType', dir: 'asc' }),
    ],
    [
      'orders by status',
      () => listOrders(db, actor, { list: 'orders', ...view, sort: 'status', dir: 'asc' }),
    ],
    [
      'orders I gang (filter)',
      () =>
        listOrders(db, actor, { list: 'in_progress', ...view, sort: 'orderNumber', dir: 'desc' }),
    ],
    [
      'orders Afsluttede (filter)',
      () => listOrders(db, actor, { list: 'closed', ...view, sort: 'orderNumber', dir: 'desc' }),
    ],
    [
      'orders Afsluttede by heading, page 200',
      () =>
        listOrders(db, actor, { list: 'closed', ...view, page: 200, sort: 'heading', dir: 'asc' }),
    ],
    [
      'orders by Frist',
      () => listOrders(db, actor, { list: 'orders', ...view, sort: 'deadline', dir: 'asc' }),
    ],
    [
      'orders by Frist, descending',
      () => listOrders(db, actor, { list: 'orders', ...view, sort: 'deadline', dir: 'desc' }),
    ],
    [
      'orders Forsinkede (filter)',
      () => listOrders(db, actor, { list: 'orders_late', ...view, sort: 'deadline', dir: 'asc' }),
    ],
    [
      'orders by created',
      () => listOrders(db, actor, { list: 'orders', ...view, sort: 'createdAt', dir: 'desc' }),
    ],
    [
      'orders page 200',
      () =>
        listOrders(db, actor, {
          list: 'orders',
          ...view,
          page: 200,
          sort: 'orderNumber',
          dir: 'desc',
        }),
    ],
    [
      'orders search',
      () =>
        listOrders(db, actor, {
          list: 'orders',
          ...view,
          q: 'Rørskade 154711',
          sort: 'orderNumber',
          dir: 'desc',
        }),
    ],
    [
      'orders search by Ordrenr.',
      () =>
        listOrders(db, actor, {
          list: 'orders',
          ...view,
          q: '54321',
          sort: 'orderNumber',
          dir: 'desc',
        }),
    ],
    ['order page (with history)', () => getOrder(db, actor, { orderId: someOrder!.id })],
    ['order page (Forløb)', () => orderSteps(db, actor, { orderId: someOrder!.id })],
    [
      'customers by number',
      () => listCustomers(db, companyId, { ...view, sort: 'customerNumber', dir: 'asc' }),
    ],
    [
      'customers by name',
      () => listCustomers(db, companyId, { ...view, sort: 'name', dir: 'asc' }),
    ],
    [
      'customers by phone',
      () => listCustomers(db, companyId, { ...view, sort: 'phone', dir: 'asc' }),
    ],
    [
      'customers by address',
      () => listCustomers(db, companyId, { ...view, sort: 'address', dir: 'asc' }),
    ],
    [
      'customers search',
      () =>
        listCustomers(db, companyId, {
          ...view,
          q: 'Kunde 4242',
          sort: 'customerNumber',
          dir: 'asc',
        }),
    ],
  ];
  say('| list query | ms | plan nodes (no Seq Scan anywhere = ✓) |');
  say('|---|---|---|');
  for (const [name, run] of cases) {
    captured.length = 0;
    await run();
    for (const { query, params } of captured.filter((c) => !c.query.includes('set_config'))) {
      const plan = await client.begin(async (tx) => {
        await tx.unsafe(
          `select set_config('role', 'kladde_app', true), set_config('app.company_id', '${companyId}', true)`,
        );
        return tx.unsafe(`explain (analyze, format json) ${query}`, params as never[]);
      });
      const kind = query.includes('over ()')
        ? 'page + total'
        : query.includes('count(*)')
          ? 'count'
          : query.includes('audit_log')
            ? 'history'
            : query.includes('order_steps')
              ? 'steps'
              : query.includes('scalepoint_deliveries')
                ? 'delivery'
                : 'page';
      say(`| ${name} (${kind}) | ${planSummary(plan)} |`);
    }
  }
  // Inside the search functions (run as their owner): the trigram index does the work.
  const inner: [string, string][] = [
    [
      'inside kladde_order_search (drafts)',
      `select id from orders where company_id = '${companyId}' and status = any (array['draft']) and ((heading || ' ' || coalesce(requisition_number, '') || ' ' || customer_name) ilike '%Rørskade 4711%' or order_number = null)`,
    ],
    [
      'inside kladde_order_search (orders)',
      `select id from orders where company_id = '${companyId}' and status = any (array['new','in_progress','closed']) and ((heading || ' ' || coalesce(requisition_number, '') || ' ' || customer_name) ilike '%Rørskade 154711%' or order_number = null)`,
    ],
    [
      'inside kladde_order_search (Ordrenr.)',
      `select id from orders where company_id = '${companyId}' and status = any (array['new','in_progress','closed']) and ((heading || ' ' || coalesce(requisition_number, '') || ' ' || customer_name) ilike '%54321%' or order_number = 54321)`,
    ],
    [
      'inside kladde_customer_search',
      `select id from customers where company_id = '${companyId}' and (name || ' ' || customer_number || ' ' || coalesce(phone, '') || ' ' || coalesce(street, '') || ' ' || coalesce(house_number, '') || ' ' || coalesce(postal_code, '') || ' ' || coalesce(city, '')) ilike '%Kunde 4242%'`,
    ],
  ];
  for (const [name, query] of inner) {
    say(
      `| ${name} | ${planSummary(await client.unsafe(`explain (analyze, format json) ${query}`))} |`,
    );
  }
  await client.end();
}

type PlanNode = { 'Node Type': string; 'Index Name'?: string; Plans?: PlanNode[] };

/** "ms | ✓ node → node …" of an EXPLAIN (ANALYZE, FORMAT JSON) result; ✗ when any node is a Seq Scan. */
function planSummary(result: unknown): string {
  const root = (
    (result as unknown[])[0] as { 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number }] }
  )['QUERY PLAN'][0];
  const nodes: string[] = [];
  const walk = (n: PlanNode) => {
    nodes.push(n['Index Name'] ? `${n['Node Type']} ${n['Index Name']}` : n['Node Type']);
    n.Plans?.forEach(walk);
  };
  walk(root.Plan);
  const seq = nodes.some((n) => n.startsWith('Seq Scan'));
  return `${fmt(root['Execution Time'], 2)} | ${seq ? '✗ ' : '✓ '}${[...new Set(nodes)].join(' → ')}`;
}
