/**
 * npm run bench — figures, not assertions. Against `next build && next start` over PostgreSQL:
 *  1. intake: 5,000 distinct signed claims at concurrency 1, 8 and 32, beside GET /api/health
 *     (the framework's ceiling) and the same database work done in-process with postgres.js
 *     (the database's floor); server RSS;
 *  2. two instances over one database, the load split across both;
 *  3. the drafts, orders and customers lists at 100,000 drafts + 100,000 orders / 50,000 customers
 *     per company, two such companies, rendered by the server; and EXPLAIN of each list query
 *     (scripts/support/big-lists.ts; `npm run bench:plans` gives the plans alone);
 *  4. an order type renamed at 100,000 orders, beside one plain UPDATE (`npm run bench:rename` alone);
 *  5. Gem frister's re-date at 100,000 open Scalepoint cases, on the embedded database and on
 *     PostgreSQL (scripts/support/redate-bench.ts; `npm run bench:redate` alone; BENCH_REDATE=0
 *     skips it, BENCH_REDATE=N sets the cases). It runs before the lists, so with BENCH_LISTS=0 too.
 * BENCH_CLAIMS (default 5000) scales the intake runs; BENCH_LISTS=0 stops after the intake parts
 * (a quicker before/after of the intake).
 */
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { openPostgres, rowsOf } from '@/db/client';
import { lookupIntakeAccount } from '@/lib/scalepoint/intake/account';
import { outcomeCode, recordAndApplyDelivery } from '@/lib/scalepoint/intake/apply-delivery';
import { outcomes } from '@/lib/scalepoint/intake/words';
import { verifySignature } from '@/lib/scalepoint/intake/signature';
import { asSystem } from '@/lib/tenancy';
import { explainLists, seedLargeCompanies } from './support/big-lists';
import { renameAtScale } from './support/rename-at-scale';
import { eventsDrain, eventsDrainServerEnv } from './support/events-drain';
import { redateAtScale } from './support/redate-bench';
import { sendsLatency } from './support/sends-latency';
import {
  activateDemoVvs,
  cpuMs,
  postSampleClaim,
  dropDatabase,
  ensureBuild,
  fmt,
  freshDatabase,
  rssTreeMb,
  runLoad,
  sampleClaim,
  signedHeaders,
  startServer,
  type LoadResult,
} from './support/harness';

const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 5000);
const DB_NAME = 'kladde_bench';
const out: string[] = [];
const say = (line = '') => {
  console.log(line);
  out.push(line);
};
type Cpu = { server: number; postgres: number };
const row = (name: string, r: LoadResult, extra = '', cpu?: Cpu) =>
  say(
    `| ${name} | ${fmt(r.perSecond, 0)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${cpu ? `${fmt(cpu.server / r.total, 2)} | ${fmt(cpu.postgres / r.total, 2)}` : '– | –'} | ${Object.entries(
      r.statuses,
    )
      .map(([k, v]) => `${k}×${v}`)
      .join(' ')} ${extra}|`,
  );
/** A load run, with the CPU the server (and PostgreSQL) spent on it. */
async function measured(
  pid: number,
  total: number,
  concurrency: number,
  job: () => Promise<string>,
): Promise<[LoadResult, Cpu]> {
  const before = cpuMs(pid, DB_NAME);
  const r = await runLoad(total, concurrency, job);
  const after = cpuMs(pid, DB_NAME);
  return [r, { server: after.server - before.server, postgres: after.postgres - before.postgres }];
}

ensureBuild();
const { url, database } = await freshDatabase(DB_NAME);
const account = await activateDemoVvs(database, {
  customerMode: 'policyholder',
  phoneAsCustomerNumber: false,
});
say(
  `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL on 127.0.0.1`,
);
say(`Command: npm run bench (BENCH_CLAIMS=${CLAIMS}) — ${new Date().toISOString()}`);

const a = await startServer(3201, { DATABASE_URL: url, ...eventsDrainServerEnv() });
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssTreeMb(a.child.pid!))), 250);

let seq = 0;
const postClaim = (port: number) => postSampleClaim(port, account, 'bench', seq++);
const getHealth = async () => {
  const res = await fetch(`http://127.0.0.1:${a.port}/api/health`);
  await res.arrayBuffer();
  return String(res.status);
};

// Warm up the routes (compilation caches, V8's optimised code, connection pool) before measuring:
// with only a few hundred requests the first measured run (health) was still cold.
await runLoad(1000, 8, getHealth);
await runLoad(1000, 8, () => postClaim(a.port));

say('\n## Intake (claims/s, latency ms, CPU ms per request)\n');
say('| run | req/s | p50 | p95 | p99 | server CPU | PostgreSQL CPU | answers |');
say('|---|---|---|---|---|---|---|---|');
const results: Record<string, LoadResult> = {};
const cpu: Record<string, Cpu> = {};
let intakeRssPeak = 0;
for (const c of [1, 8, 32]) {
  [results[`health${c}`], cpu[`health${c}`]] = await measured(a.child.pid!, CLAIMS, c, getHealth);
  row(`GET /api/health, c=${c}`, results[`health${c}`]!, '', cpu[`health${c}`]);
}
for (const c of [1, 8, 32]) {
  peakRss = 0;
  [results[`intake${c}`], cpu[`intake${c}`]] = await measured(a.child.pid!, CLAIMS, c, () =>
    postClaim(a.port),
  );
  intakeRssPeak = Math.max(intakeRssPeak, peakRss);
  row(
    `POST /api/scalepoint/claims, c=${c}`,
    results[`intake${c}`]!,
    `(RSS peak ${peakRss} MB) `,
    cpu[`intake${c}`],
  );
}

// The database's floor: the same look-up, verification and transaction, in this process, over a
// pool opened as the app opens it (connections start as kladde_app; the doors switch).
const floor = await openPostgres(url, { max: 10 });
const floorDb = floor.db;
for (const c of [1, 8, 32]) {
  results[`floor${c}`] = await runLoad(CLAIMS, c, async () => {
    const i = seq++;
    const raw = Buffer.from(JSON.stringify(sampleClaim(`SP-BENCH-${i}`, i)));
    const headers = signedHeaders(account, raw, `msg_bench_${i}`);
    const keys = await lookupIntakeAccount(floorDb, account.accountId);
    const ok = verifySignature({
      keys: keys!.keys,
      webhookId: headers['webhook-id'],
      timestamp: headers['webhook-timestamp'],
      signatureHeader: headers['webhook-signature'],
      rawBody: raw,
    });
    if (!ok.ok) return 'unsigned';
    const o = await recordAndApplyDelivery(
      floorDb,
      {
        companyId: keys!.companyId,
        channel: 'direct',
        accountId: account.accountId,
        messageId: headers['webhook-id']!,
        rawBody: raw.toString(),
        json: JSON.parse(raw.toString()),
        headers: {},
      },
      { settings: keys!.settings },
    );
    return String(outcomes[outcomeCode(o)].http);
  });
  row(`same DB work in-process (postgres.js), c=${c}`, results[`floor${c}`]!);
}
clearInterval(sampler);

// The Events API: a backlog drained by server A's own poller (scripts/support/events-drain.ts).
const drain =
  process.env.BENCH_EVENTS === '0'
    ? null
    : await eventsDrain({ database, url, startServer, server: a, companyId: account.companyId });
if (drain) {
  say(
    '\n## Events API backlog drain (server A, port 3201: its own poller, local Scalepoint on 127.0.0.1)\n',
  );
  say(
    '| run | events/s | vs direct c=8 | first draft ms | drafts | not exactly once | RSS peak MB |',
  );
  say('|---|---|---|---|---|---|---|');
  say(
    `| Events API backlog drain (${drain.events} events, one poller) | ${fmt(drain.perSecond, 0)} | ${fmt(drain.perSecond / results.intake8!.perSecond, 2)}× (target ≥ 0.5×) | ${fmt(drain.firstDraftMs, 0)} | ${drain.drafts} | ${drain.duplicatesOrFailures} | ${drain.rssPeakMb} |`,
  );
  say(
    `Timed from the poller taking the connection's lease (${fmt(drain.discoveryMs, 0)} ms after support saved it) to the last event recorded: ${fmt(drain.seconds)} s.`,
  );
}

// Sending to Scalepoint: a step's commit to its arrival at the local Scalepoint, sent by server
// A's own sender (scripts/support/sends-latency.ts; issue 22).
const sends =
  process.env.BENCH_SENDS === '0'
    ? null
    : await sendsLatency({ database, companyId: account.companyId });
if (sends) {
  say("\n## Sending to Scalepoint (server A's sender, local Scalepoint answering at once)\n");
  say('| run | steps | arrived | repeats | p50 ms | p99 ms | max ms | target |');
  say('|---|---|---|---|---|---|---|---|');
  say(
    `| a step's commit → its arrival, c=8 (5 steps per case, in order) | ${sends.steps} | ${sends.arrived} | ${sends.repeats} | ${fmt(sends.p50, 0)} | ${fmt(sends.p99, 0)} | ${fmt(sends.max, 0)} | p99 < 2,000 ms: ${sends.p99 < 2000 ? 'met' : '**not met**'} |`,
  );
  say(`All ${sends.steps} steps committed and arrived within ${fmt(sends.seconds)} s.`);
}

// Issue 13's targets, beside the figures when it was filed (docs/performance.md: same machine
// kind, same commands; those were taken with the load generator on the same 2 cores, as here).
const i8 = results.intake8!;
const h8 = results.health8!;
const share32 = results.intake32!.perSecond / results.health32!.perSecond;
const p99Ratio = i8.p99 / h8.p99;
const mark = (ok: boolean) => (ok ? 'met' : '**not met**');
say('\n### Against issue 13\n');
say('| measure | when filed | this run | target | |');
say('|---|---|---|---|---|');
say(
  `| intake / health throughput, c=32 | 0.17–0.19 (96–114 vs 573–609/s) | ${fmt(share32, 2)} (${fmt(results.intake32!.perSecond, 0)} vs ${fmt(results.health32!.perSecond, 0)}/s) | ≥ 0.30 | ${mark(share32 >= 0.3)} |`,
);
say(
  `| intake p99 / health p99, c=8 | 1.9× (139 vs 72 ms) | ${fmt(p99Ratio, 2)}× (${fmt(i8.p99)} vs ${fmt(h8.p99)} ms) | ≤ 1.5× | ${mark(p99Ratio <= 1.5)} |`,
);
say(
  `| intake throughput, c=8 | 109/s (0.24 × health) | ${fmt(i8.perSecond, 0)}/s (${fmt(i8.perSecond / h8.perSecond, 2)} × health) | – | |`,
);
const rssPeak = Math.max(intakeRssPeak, drain?.rssPeakMb ?? 0);
say(
  `| server RSS peak through the intake runs${drain ? ' and the drain' : ''} | 316–336 MB | ${rssPeak} MB | < 350 MB | ${mark(rssPeak < 350)} |`,
);
if (drain) {
  const drainRatio = drain.perSecond / i8.perSecond;
  say(
    `| Events API drain of ${drain.events} events / direct c=8 | – | ${fmt(drainRatio, 2)}× (${fmt(drain.perSecond, 0)} vs ${fmt(i8.perSecond, 0)}/s) | ≥ 0.5× | ${mark(drainRatio >= 0.5)} |`,
  );
}
say(
  '| burst after a database restart, p99 | ~7 s | `npm run test:faults`, scenario 3 (right after scenario 2 restarts PostgreSQL) | < 1 s | |',
);
say(
  `| server CPU per claim, c=8 (health: ${fmt(cpu.health8!.server / h8.total, 2)} ms) | – | ${fmt(cpu.intake8!.server / i8.total, 2)} ms | – | |`,
);
say(`| PostgreSQL CPU per claim, c=8 | – | ${fmt(cpu.intake8!.postgres / i8.total, 2)} ms | – | |`);
say(
  `- Intake/DB-floor throughput at c=32: ${fmt((100 * results.intake32!.perSecond) / results.floor32!.perSecond, 0)}%`,
);
say(`- Server RSS after the intake runs: ${rssTreeMb(a.child.pid!)} MB`);
say(
  `- Load average (1, 5, 15 min) at the end of the intake runs: ${os
    .loadavg()
    .map((l) => fmt(l, 2))
    .join(', ')}`,
);

// Two instances over one database.
const b = await startServer(3202, { DATABASE_URL: url });
await runLoad(100, 8, () => postClaim(b.port));
const firstCase = seq;
let flip = 0;
const split = await runLoad(CLAIMS, 32, () => postClaim(flip++ % 2 ? b.port : a.port));
const lastCase = seq;
const [{ n: made }] = rowsOf<{ n: number }>(
  await asSystem(database.db, 'maintenance', (tx) =>
    tx.execute(
      sql`select count(*)::int as n from orders where scalepoint_case_number in (select 'SP-BENCH-' || g from generate_series(${firstCase}::int, ${lastCase - 1}::int) g)`,
    ),
  ),
) as [{ n: number }];
say('\n## Two instances (ports 3201 + 3202, one PostgreSQL)\n');
say('| run | req/s | p50 | p95 | p99 | server CPU | PostgreSQL CPU | answers |');
say('|---|---|---|---|---|---|---|---|');
row(
  'POST claims split over 2 instances, c=32',
  split,
  `(drafts made: ${made} of ${lastCase - firstCase}) `,
);
say(
  `Throughput two instances vs one at c=32: ${fmt(split.perSecond, 0)} vs ${fmt(results.intake32!.perSecond, 0)} claims/s (2 cores serve both)`,
);
await b.stop();

// 5. Gem frister at 100,000 open cases, each engine on a database of its own (issue 23).
if (process.env.BENCH_REDATE !== '0')
  await redateAtScale(say, Number(process.env.BENCH_REDATE ?? 100_000));

if (process.env.BENCH_LISTS === '0') {
  await a.stop();
  await floor.close();
  await database.close();
  if (!process.env.BENCH_KEEP_DB) await dropDatabase(DB_NAME);
  process.exit(0);
}

// The lists at 100,000 drafts.
say(
  '\n## Lists at 100,000 drafts, 100,000 orders and 50,000 customers per company (two such companies)\n',
);
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
  ['drafts by Frist', '/orders/drafts?sort=deadline&dir=asc'],
  ['drafts by Frist, descending', '/orders/drafts?sort=deadline&dir=desc'],
  ['drafts Forsinkede (filter)', '/orders/drafts?status=late'],
  ['Afviste (rejected drafts)', '/orders/drafts?status=rejected'],
  ['orders, highest Ordrenr. first', '/orders'],
  ['orders by Ordreoverskrift', '/orders?sort=heading&dir=asc'],
  ['orders by Rekv.nr.', '/orders?sort=requisitionNumber&dir=desc'],
  ['orders by Kunde', '/orders?sort=customerName&dir=asc'],
  ['orders by Ordretype', '/orders?sort=orderType&dir=asc'],
  ['orders by Status', '/orders?sort=status&dir=asc'],
  ['orders I gang (filter)', '/orders?status=in_progress'],
  ['orders Afsluttede (filter)', '/orders?status=closed'],
  ['orders by Frist', '/orders?sort=deadline&dir=asc'],
  ['orders by Frist, descending', '/orders?sort=deadline&dir=desc'],
  ['orders Forsinkede (filter)', '/orders?status=late'],
  ['orders by Oprettet', '/orders?sort=createdAt&dir=desc'],
  ['orders, page 200', '/orders?page=200'],
  ['orders search "Rørskade 4711"', '/orders?q=R%C3%B8rskade%204711'],
  ['customers by Kundenr.', '/customers'],
  ['customers by Navn', '/customers?sort=name&dir=asc'],
  ['customers by Telefon', '/customers?sort=phone&dir=desc'],
  ['customers by Adresse', '/customers?sort=address&dir=asc'],
  ['customers search "Kunde 4242"', '/customers?q=Kunde%204242'],
];
say('| page (server-rendered, signed in) | p50 ms | p95 ms |');
say('|---|---|---|');
const pageP95 = new Map<string, number>();
for (const [name, path] of pages) {
  const r = await runLoad(40, 1, async () => {
    const res = await fetch(`http://127.0.0.1:${a.port}${path}`, {
      headers: { cookie },
      redirect: 'manual',
    });
    await res.arrayBuffer();
    return String(res.status);
  });
  say(
    `| ${name} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${r.statuses['200'] === 40 ? '' : JSON.stringify(r.statuses)}`.replace(
      / \| $/,
      ' |',
    ),
  );
  pageP95.set(name, r.p95);
}
// Frister's target (docs/deadlines.md): each Frist and Forsinkede page's p95 at most 1.3 × the
// drafts-newest-first page's in the same run, and under 150 ms.
const newest = pageP95.get('drafts, newest first')!;
for (const [name, p95] of pageP95) {
  if (!/Frist|Forsinkede/.test(name)) continue;
  const met = p95 <= 1.3 * newest && p95 < 150;
  say(
    `Frister: ${name} p95 ${fmt(p95)} ms = ${fmt(p95 / newest, 2)} × drafts newest first (${fmt(newest)} ms); target ≤ 1.3 × and < 150 ms: ${met ? 'met' : 'NOT met'}`,
  );
}
await a.stop();

say('\n## Query plans (EXPLAIN ANALYZE as the app role, inside the company)\n');
await explainLists(url, big[0]!.companyId, say);

// 4. An order type renamed at 100,000 orders (docs/people.md); `npm run bench:rename` runs it alone.
await renameAtScale(database.db, say);

await floor.close();
await database.close();
if (!process.env.BENCH_KEEP_DB) await dropDatabase(DB_NAME);
process.exit(0);

// ---------------------------------------------------------------------------------------------

async function signInCookie(port: number, email: string): Promise<string> {
  const base = `http://127.0.0.1:${port}`;
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const csrfCookie = csrfRes.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email, password: 'bench1234', json: 'true' }),
  });
  const session = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c?.includes('session-token'));
  if (!session) throw new Error(`sign-in failed: ${res.status}`);
  return session;
}
