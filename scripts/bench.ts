/**
 * npm run bench — figures, not assertions. Against `next build && next start` over PostgreSQL:
 *  1. intake: 5,000 distinct signed claims at concurrency 1, 8 and 32, beside GET /api/health
 *     (the framework's ceiling) and the same database work done in-process with postgres.js
 *     (the database's floor); server RSS;
 *  2. two instances over one database, the load split across both;
 *  3. the drafts and customers lists at 100,000 drafts / 50,000 customers per company, two such
 *     companies, rendered by the server; and EXPLAIN of each list query.
 * BENCH_CLAIMS (default 5000) scales the intake runs.
 */
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { rowsOf, type Db } from '@/db/client';
import * as schema from '@/db/schema';
import { listCustomers } from '@/lib/customers/queries';
import { listDrafts } from '@/lib/orders/queries';
import { lookupIntakeAccount } from '@/lib/scalepoint/credentials';
import { outcomeCode, recordAndApplyDelivery } from '@/lib/scalepoint/apply-delivery';
import { outcomes } from '@/lib/scalepoint/outcomes';
import { verifySignature } from '@/lib/scalepoint/signature';
import { hashPassword } from '@/lib/auth/password';
import { activateDemoVvs, dropDatabase, ensureBuild, fmt, freshDatabase, rssTreeMb, runLoad, sampleClaim, signedHeaders, startServer, type LoadResult } from './support/harness';

const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 5000);
const DB_NAME = 'kladde_bench';
const out: string[] = [];
const say = (line = '') => {
  console.log(line);
  out.push(line);
};
const row = (name: string, r: LoadResult, extra = '') =>
  say(`| ${name} | ${fmt(r.perSecond, 0)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${Object.entries(r.statuses).map(([k, v]) => `${k}×${v}`).join(' ')} ${extra}|`);

ensureBuild();
const { url, database } = await freshDatabase(DB_NAME);
const account = await activateDemoVvs(database, { customerMode: 'policyholder', phoneAsCustomerNumber: false });
say(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL on 127.0.0.1`);
say(`Command: npm run bench (BENCH_CLAIMS=${CLAIMS}) — ${new Date().toISOString()}`);

const a = await startServer(3201, { DATABASE_URL: url });
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssTreeMb(a.child.pid!))), 250);

let seq = 0;
const postClaim = async (port: number) => {
  const i = seq++;
  const raw = Buffer.from(JSON.stringify(sampleClaim(`SP-BENCH-${i}`, i)));
  const res = await fetch(`http://127.0.0.1:${port}/api/scalepoint/claims`, { method: 'POST', headers: signedHeaders(account, raw, `msg_bench_${i}`), body: raw });
  await res.arrayBuffer();
  return String(res.status);
};
const getHealth = async () => {
  const res = await fetch(`http://127.0.0.1:${a.port}/api/health`);
  await res.arrayBuffer();
  return String(res.status);
};

// Warm up the routes (compilation caches, connection pool) before measuring.
await runLoad(200, 8, getHealth);
await runLoad(200, 8, () => postClaim(a.port));

say('\n## Intake (claims/s, latency ms)\n');
say('| run | req/s | p50 | p95 | p99 | answers |');
say('|---|---|---|---|---|---|');
const results: Record<string, LoadResult> = {};
for (const c of [1, 8, 32]) {
  results[`health${c}`] = await runLoad(CLAIMS, c, getHealth);
  row(`GET /api/health, c=${c}`, results[`health${c}`]!);
}
for (const c of [1, 8, 32]) {
  peakRss = 0;
  results[`intake${c}`] = await runLoad(CLAIMS, c, () => postClaim(a.port));
  row(`POST /api/scalepoint/claims, c=${c}`, results[`intake${c}`]!, `(RSS peak ${peakRss} MB) `);
}

// The database's floor: the same look-up, verification and transaction, in this process.
const floorDb = await openFloor(url);
for (const c of [1, 8, 32]) {
  results[`floor${c}`] = await runLoad(CLAIMS, c, async () => {
    const i = seq++;
    const raw = Buffer.from(JSON.stringify(sampleClaim(`SP-BENCH-${i}`, i)));
    const headers = signedHeaders(account, raw, `msg_bench_${i}`);
    const keys = await lookupIntakeAccount(floorDb, account.accountId);
    const ok = verifySignature({ keys: keys!.keys, webhookId: headers['webhook-id'], timestamp: headers['webhook-timestamp'], signatureHeader: headers['webhook-signature'], rawBody: raw });
    if (!ok.ok) return 'unsigned';
    const o = await recordAndApplyDelivery(floorDb, { companyId: keys!.companyId, channel: 'direct', accountId: account.accountId, externalId: headers['webhook-id']!, rawBody: raw.toString(), json: JSON.parse(raw.toString()), headers: {} }, { settings: keys!.settings });
    return String(outcomes[outcomeCode(o)].http);
  });
  row(`same DB work in-process (postgres.js), c=${c}`, results[`floor${c}`]!);
}
clearInterval(sampler);

const ratio = (x: number, y: number) => `${fmt((100 * x) / y, 0)}%`;
say('');
say(`- Intake/health throughput at c=32: ${ratio(results.intake32!.perSecond, results.health32!.perSecond)} (target ≥ 30%)`);
say(`- Intake/DB-floor throughput at c=32: ${ratio(results.intake32!.perSecond, results.floor32!.perSecond)}`);
say(`- Intake p99 at c=8: ${fmt(results.intake8!.p99)} ms (target < 50 ms)`);
say(`- Server RSS after the intake runs: ${rssTreeMb(a.child.pid!)} MB (peaks per run above; target < 400 MB)`);

// Two instances over one database.
const b = await startServer(3202, { DATABASE_URL: url });
await runLoad(100, 8, () => postClaim(b.port));
const firstCase = seq;
let flip = 0;
const split = await runLoad(CLAIMS, 32, () => postClaim(flip++ % 2 ? b.port : a.port));
const lastCase = seq;
const [{ n: made }] = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from orders where scalepoint_case_number in (select 'SP-BENCH-' || g from generate_series(${firstCase}::int, ${lastCase - 1}::int) g)`)) as [{ n: number }];
say('\n## Two instances (ports 3201 + 3202, one PostgreSQL)\n');
say('| run | req/s | p50 | p95 | p99 | answers |');
say('|---|---|---|---|---|---|');
row('POST claims split over 2 instances, c=32', split, `(drafts made: ${made} of ${lastCase - firstCase}) `);
say(`Throughput two instances vs one at c=32: ${fmt(split.perSecond, 0)} vs ${fmt(results.intake32!.perSecond, 0)} claims/s (2 cores serve both)`);
await b.stop();

// The lists at 100,000 drafts.
say('\n## Lists at 100,000 drafts and 50,000 customers per company (two such companies)\n');
const big = await seedLargeCompanies(database.db);
const cookie = await signInCookie(a.port, big[0]!.email);
const pages: [string, string][] = [
  ['drafts, newest first', '/orders/drafts'],
  ['drafts by Ordreoverskrift', '/orders/drafts?sort=heading&dir=asc'],
  ['drafts by Rekv.nr.', '/orders/drafts?sort=requisitionNumber&dir=desc'],
  ['drafts by Kunde', '/orders/drafts?sort=customerName&dir=asc'],
  ['drafts by Ordretype', '/orders/drafts?sort=orderType&dir=asc'],
  ['drafts, page 200', '/orders/drafts?sort=createdAt&dir=desc&page=200'],
  ['drafts search "Rørskade 4711"', '/orders/drafts?q=R%C3%B8rskade%204711'],
  ['drafts search customer "Kunde 1234"', '/orders/drafts?q=Kunde%201234'],
  ['customers by Kundenr.', '/customers'],
  ['customers by Navn', '/customers?sort=name&dir=asc'],
  ['customers by Telefon', '/customers?sort=phone&dir=desc'],
  ['customers by Adresse', '/customers?sort=address&dir=asc'],
  ['customers search "Kunde 4242"', '/customers?q=Kunde%204242'],
];
say('| page (server-rendered, signed in) | p50 ms | p95 ms |');
say('|---|---|---|');
for (const [name, path] of pages) {
  const r = await runLoad(40, 1, async () => {
    const res = await fetch(`http://127.0.0.1:${a.port}${path}`, { headers: { cookie }, redirect: 'manual' });
    await res.arrayBuffer();
    return String(res.status);
  });
  say(`| ${name} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${r.statuses['200'] === 40 ? '' : JSON.stringify(r.statuses)}`.replace(/ \| $/, ' |'));
}
await a.stop();

say('\n## Query plans (EXPLAIN ANALYZE as the app role, inside the company)\n');
await explainLists(url, big[0]!.companyId);

await floorDb.$client.end();
await database.close();
if (!process.env.BENCH_KEEP_DB) await dropDatabase(DB_NAME);
process.exit(0);

// ---------------------------------------------------------------------------------------------

async function openFloor(dbUrl: string) {
  const client = postgres(dbUrl, { max: 10, onnotice: () => {} });
  return Object.assign(drizzle(client, { schema }) as unknown as Db, { $client: client });
}

async function seedLargeCompanies(db: Db) {
  const made: { companyId: string; email: string }[] = [];
  const hash = await hashPassword('bench1234');
  for (const name of ['Bench Alfa ApS', 'Bench Beta ApS']) {
    const cvr = String(30000000 + made.length);
    const [company] = rowsOf<{ id: string }>(await db.execute(sql`insert into companies (name, cvr, last_customer_number) values (${name}, ${cvr}, 50000) returning id`));
    const companyId = company!.id;
    const email = `admin@${name.split(' ')[1]!.toLowerCase()}.bench`;
    await db.execute(sql`insert into users (email, name, password_hash, role, company_id) values (${email}, 'Bench Admin', ${hash}, 'admin', ${companyId})`);
    await db.execute(sql`insert into order_types (company_id, name) select ${companyId}, t from unnest(array['Service','Skadeservice','Tilbud','Forsikring']) t`);
    await db.execute(sql`
      insert into customers (company_id, customer_number, name, name_key, street, house_number, postal_code, city, phone)
      select ${companyId}, g::text, 'Kunde ' || g, 'kunde ' || g, (array['Vestergade','Nørregade','Søndergade','Østergade','Åboulevarden'])[1 + g % 5], (1 + g % 120)::text,
             (8000 + g % 900)::text, 'Aarhus', (20000000 + g)::text
      from generate_series(1, 50000) g`);
    await db.execute(sql`
      insert into orders (company_id, status, order_type_id, order_type_name, heading, requisition_number, work_description, customer_id, customer_name, source, created_at)
      select ${companyId}, 'draft', t.id, t.name,
             (array['Vandskade','Rørskade','Stormskade','Service','Udskiftning af toilet'])[1 + g % 5] || ' ' || g,
             'R-' || g, 'Beskrivelse ' || g, c.id, c.name, 'manual', now() - (g || ' minutes')::interval
      from generate_series(1, 100000) g
      join customers c on c.company_id = ${companyId} and c.customer_number = (1 + g % 50000)::text
      join lateral (select id, name from order_types where company_id = ${companyId} order by name offset (g % 4) limit 1) t on true`);
    made.push({ companyId, email });
  }
  // As autovacuum would in production: the visibility map lets counts be index-only scans.
  await db.execute(sql`vacuum analyze`);
  return made;
}

async function signInCookie(port: number, email: string): Promise<string> {
  const base = `http://127.0.0.1:${port}`;
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const csrfCookie = csrfRes.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email, password: 'bench1234', json: 'true' }),
  });
  const session = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c?.includes('session-token'));
  if (!session) throw new Error(`sign-in failed: ${res.status}`);
  return session;
}

async function explainLists(dbUrl: string, companyId: string) {
  const captured: { query: string; params: unknown[] }[] = [];
  const client = postgres(dbUrl, { max: 1, onnotice: () => {} });
  const db = drizzle(client, { schema, logger: { logQuery: (query, params) => captured.push({ query, params }) } }) as unknown as Db;
  const view = { q: '', page: 1, pageSize: 25 };
  const cases: [string, () => Promise<unknown>][] = [
    ['drafts newest first', () => listDrafts(db, companyId, { ...view, sort: 'createdAt', dir: 'desc' })],
    ['drafts by heading', () => listDrafts(db, companyId, { ...view, sort: 'heading', dir: 'asc' })],
    ['drafts by requisition', () => listDrafts(db, companyId, { ...view, sort: 'requisitionNumber', dir: 'asc' })],
    ['drafts by customer', () => listDrafts(db, companyId, { ...view, sort: 'customerName', dir: 'asc' })],
    ['drafts by order type', () => listDrafts(db, companyId, { ...view, sort: 'orderType', dir: 'asc' })],
    ['drafts search', () => listDrafts(db, companyId, { ...view, q: 'Rørskade 4711', sort: 'createdAt', dir: 'desc' })],
    ['customers by number', () => listCustomers(db, companyId, { ...view, sort: 'customerNumber', dir: 'asc' })],
    ['customers by name', () => listCustomers(db, companyId, { ...view, sort: 'name', dir: 'asc' })],
    ['customers by phone', () => listCustomers(db, companyId, { ...view, sort: 'phone', dir: 'asc' })],
    ['customers by address', () => listCustomers(db, companyId, { ...view, sort: 'address', dir: 'asc' })],
    ['customers search', () => listCustomers(db, companyId, { ...view, q: 'Kunde 4242', sort: 'customerNumber', dir: 'asc' })],
  ];
  say('| list query | ms | plan nodes (no Seq Scan anywhere = ✓) |');
  say('|---|---|---|');
  for (const [name, run] of cases) {
    captured.length = 0;
    await run();
    for (const { query, params } of captured.filter((c) => !c.query.includes('set_config'))) {
      const plan = await client.begin(async (tx) => {
        await tx.unsafe(`select set_config('role', 'kladde_app', true), set_config('app.company_id', '${companyId}', true)`);
        return tx.unsafe(`explain (analyze, format json) ${query}`, params as never[]);
      });
      const kind = query.includes('over ()') ? 'page + total' : query.includes('count(*)') ? 'count' : 'page';
      say(`| ${name} (${kind}) | ${planSummary(plan)} |`);
    }
  }
  // Inside the search functions (run as their owner): the trigram index does the work.
  const inner: [string, string][] = [
    ['inside kladde_draft_search', `select id from orders where company_id = '${companyId}' and status = 'draft' and (heading || ' ' || coalesce(requisition_number, '') || ' ' || customer_name) ilike '%Rørskade 4711%'`],
    ['inside kladde_customer_search', `select id from customers where company_id = '${companyId}' and (name || ' ' || customer_number || ' ' || coalesce(phone, '') || ' ' || coalesce(street, '') || ' ' || coalesce(house_number, '') || ' ' || coalesce(postal_code, '') || ' ' || coalesce(city, '')) ilike '%Kunde 4242%'`],
  ];
  for (const [name, query] of inner) {
    say(`| ${name} | ${planSummary(await client.unsafe(`explain (analyze, format json) ${query}`))} |`);
  }
  await client.end();
}

type PlanNode = { 'Node Type': string; 'Index Name'?: string; Plans?: PlanNode[] };

/** "ms | ✓ node → node …" of an EXPLAIN (ANALYZE, FORMAT JSON) result; ✗ when any node is a Seq Scan. */
function planSummary(result: unknown): string {
  const root = ((result as unknown[])[0] as { 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number }] })['QUERY PLAN'][0];
  const nodes: string[] = [];
  const walk = (n: PlanNode) => {
    nodes.push(n['Index Name'] ? `${n['Node Type']} ${n['Index Name']}` : n['Node Type']);
    n.Plans?.forEach(walk);
  };
  walk(root.Plan);
  const seq = nodes.some((n) => n.startsWith('Seq Scan'));
  return `${fmt(root['Execution Time'], 2)} | ${seq ? '✗ ' : '✓ '}${[...new Set(nodes)].join(' → ')}`;
}
