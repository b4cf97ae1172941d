/**
 * Shared by `npm run bench` and `npm run test:faults`: a throwaway PostgreSQL database, the
 * production server as a child process, a bounded load generator, and percentiles.
 * Every request goes to 127.0.0.1 only.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { type Database } from '@/db/client';
import { orderTypes, users } from '@/db/schema';
import { seed } from '@/lib/demo-data';
import { createThrowawayDatabase, dropDatabase as dropThrowaway } from '@/db/throwaway';
import { asSystem } from '@/lib/tenancy';
import { loadActor } from '@/lib/auth/actor';
import { storeCredentials } from '@/lib/scalepoint/support/credentials';
import { saveScalepointSettings } from '@/lib/scalepoint/settings/save';
import { exampleClaimWith } from '@/lib/scalepoint/contract/example-claim';
import { nowInSeconds, signedRequestHeaders } from '@/tools/stand-ins/scalepoint/sign-request';
import { generateSigningSecret, parseSigningSecret } from '@/lib/scalepoint/intake/signature';

export const serverSecrets = {
  AUTH_SECRET: 'harness-auth-secret-0123456789abcdef0123456789',
  CREDENTIALS_KEY: Buffer.alloc(32, 7).toString('base64'),
};

/** A migrated, seeded database (db/throwaway.ts); `database` is the owner's pool: scripts read through asSystem(…, 'maintenance'). */
export async function freshDatabase(name: string): Promise<{ url: string; database: Database }> {
  const database = await createThrowawayDatabase({ name, max: 40, seed: (db) => seed(db) });
  return { url: database.url, database };
}

/** Drops the database of {@link freshDatabase}; never throws (it runs in `finally`). */
export async function dropDatabase(name: string) {
  await dropThrowaway(name).catch(() => {});
}

/** Demo VVS with the module on and credentials stored; returns what Scalepoint would hold. */
export async function activateDemoVvs(
  database: Database,
  rule: { customerMode: 'policyholder' | 'insurer'; phoneAsCustomerNumber: boolean },
) {
  process.env.CREDENTIALS_KEY = serverSecrets.CREDENTIALS_KEY; // encrypt under the server's key
  const db = database.db;
  const [admin, support, type] = await asSystem(
    db,
    'maintenance',
    async (tx) =>
      [
        (await tx.select().from(users).where(eq(users.email, 'admin@demo-vvs.dk')))[0],
        (await tx.select().from(users).where(eq(users.email, 'support@kladde.dk')))[0],
        (await tx.select().from(orderTypes).where(eq(orderTypes.name, 'Skadeservice')))[0],
      ] as const,
  );
  const saved = await saveScalepointSettings(db, await loadActor(db, admin!.id), {
    enabled: true,
    orderTypeId: type!.id,
    ...rule,
  });
  const secret = generateSigningSecret();
  const accountId = `bench-${randomBytes(3).toString('hex')}`;
  const stored = await storeCredentials(db, await loadActor(db, support!.id), {
    companyId: admin!.companyId,
    accountId,
    secret,
  });
  if (!saved.ok || !stored.ok) throw new Error('could not activate Demo VVS');
  return { companyId: admin!.companyId!, accountId, secret, key: parseSigningSecret(secret)! };
}

/**
 * The contract's example claim (lib/scalepoint/contract/example-claim.ts) as case `caseNumber`, with a
 * policyholder of its own per `i` (distinct customers) and no separate damage address.
 */
export function sampleClaim(caseNumber: string, i: number) {
  return {
    ...exampleClaimWith(caseNumber),
    damageAddress: undefined, // left out of the JSON
    caseUrl: `https://www.scalepoint.com/dk/case/${caseNumber.toLowerCase()}`,
    policyholder: {
      name: `Forsikringstager ${i}`,
      phone: `+45 ${String(20000000 + i)}`,
      email: `kunde${i}@example.dk`,
      address: {
        street: 'Vestergade',
        houseNumber: String(1 + (i % 90)),
        postalCode: '8000',
        city: 'Aarhus C',
      },
    },
  };
}

/** The headers of `raw` signed for `account` now (tools/stand-ins/scalepoint/sign-request.ts). */
export function signedHeaders(
  account: { accountId: string; key: Buffer },
  raw: Buffer,
  webhookId: string,
) {
  return signedRequestHeaders({
    accountId: account.accountId,
    key: account.key,
    webhookId,
    timestamp: nowInSeconds(),
    rawBody: raw,
  });
}

/** POSTs the `i`th sample claim (case `SP-<label>-i`, webhook-id `msg_<label>_i`) signed for `account`; answers the status. */
export async function postSampleClaim(
  port: number,
  account: { accountId: string; key: Buffer },
  label: string,
  i: number,
): Promise<string> {
  const raw = Buffer.from(JSON.stringify(sampleClaim(`SP-${label.toUpperCase()}-${i}`, i)));
  const res = await fetch(`http://127.0.0.1:${port}/api/scalepoint/claims`, {
    method: 'POST',
    headers: signedHeaders(account, raw, `msg_${label}_${i}`),
    body: raw,
  });
  await res.arrayBuffer();
  return String(res.status);
}

export type Server = {
  port: number;
  child: ChildProcess;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
  output: string[];
};

export function ensureBuild() {
  if (!fs.existsSync(path.join(process.cwd(), '.next', 'BUILD_ID'))) {
    console.log('No production build found: running `npm run build` …');
    const r = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('build failed');
  }
}

/** The heap flag `npm start` gives Node (package.json), so the bench measures the server as deployed. */
function startHeapFlags(): string[] {
  const start =
    (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> })
      .scripts.start ?? '';
  return start.match(/--max-old-space-size=\d+/g) ?? [];
}

export async function startServer(
  port: number,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<Server> {
  const output: string[] = [];
  const child = spawn(
    process.execPath,
    [
      ...startHeapFlags(),
      ...nodeArgs,
      path.join('node_modules', 'next', 'dist', 'bin', 'next'),
      'start',
      '-p',
      String(port),
    ],
    {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NEXT_MANUAL_SIG_HANDLE: '1',
        KLADDE_LOG: 'silent',
        APP_URL: `http://127.0.0.1:${port}`,
        ...serverSecrets,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const keep = (b: Buffer) => {
    output.push(b.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server on ${port} exited:\n${output.join('')}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline)
      throw new Error(`server on ${port} did not start:\n${output.join('')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    port,
    child,
    output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    },
  };
}

/** Resident memory of a process and its children, in MB. */
type ProcStat = { pid: number; ppid: number; comm: string; cpuTicks: number };

/** Every process's /proc/<pid>/stat: parent, name and CPU time (user + system). */
function procStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Fields after the name, from 0: state, ppid, …, utime (11), stime (12).
      stats.push({
        pid: Number(entry),
        ppid: Number(f[1]),
        comm,
        cpuTicks: Number(f[11]) + Number(f[12]),
      });
    } catch {
      /* gone */
    }
  }
  return stats;
}

function processTree(pid: number, stats: ProcStat[]): ProcStat[] {
  const kids = new Map<number, ProcStat[]>();
  for (const s of stats) kids.set(s.ppid, [...(kids.get(s.ppid) ?? []), s]);
  const tree: ProcStat[] = [];
  const stack = stats.filter((s) => s.pid === pid);
  while (stack.length) {
    const p = stack.pop()!;
    tree.push(p);
    stack.push(...(kids.get(p.pid) ?? []));
  }
  return tree;
}

export function rssTreeMb(pid: number): number {
  let kb = 0;
  for (const p of processTree(pid, procStats())) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p.pid}/status`, 'utf8'));
      kb += Number(m?.[1] ?? 0);
    } catch {
      /* gone */
    }
  }
  return Math.round(kb / 1024);
}

const msPerTick = 1000 / 100; // USER_HZ is 100 on Linux

/**
 * CPU time used so far, in ms: by the server's process tree, and by PostgreSQL's backends
 * serving `database` (their command line names it; the writer, checkpointer and other shared
 * processes are left out, as is other work on the same cluster). Differences of two readings
 * give CPU per request, a figure that other work on the machine hardly moves.
 */
export function cpuMs(serverPid: number, database?: string): { server: number; postgres: number } {
  const stats = procStats();
  const server = processTree(serverPid, stats).reduce((n, p) => n + p.cpuTicks, 0);
  let postgres = 0;
  for (const p of stats) {
    if (p.comm !== 'postgres' || !database) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${p.pid}/cmdline`, 'utf8');
      if (cmdline.includes(` ${database} `)) postgres += p.cpuTicks;
    } catch {
      /* gone */
    }
  }
  return { server: server * msPerTick, postgres: postgres * msPerTick };
}

export type LoadResult = {
  total: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  statuses: Record<string, number>;
};

/** Runs `total` jobs with `concurrency` workers; each job returns a status label. */
export async function runLoad(
  total: number,
  concurrency: number,
  job: (i: number) => Promise<string>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < total; i = next++) {
        const t0 = performance.now();
        const status = await job(i).catch(
          (e: unknown) => `error:${(e as Error).message.slice(0, 40)}`,
        );
        latencies.push(performance.now() - t0);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return {
    total,
    seconds,
    perSecond: total / seconds,
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
    statuses,
  };
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits);
