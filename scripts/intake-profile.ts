/**
 * npm run bench:profile — where the server's CPU goes under intake load (docs/performance.md).
 * Starts the built app (`next start`, as `npm start` would) with `--cpu-prof`, sends PROFILE_CLAIMS
 * (default 3000) signed claims at concurrency PROFILE_CONCURRENCY (default 8), stops it, and prints
 * claims/s, p50/p99, the CPU per claim of the server and of PostgreSQL's backends, and the heaviest
 * functions by self time. The profile stays in .data/profiles/ (open it in Chrome DevTools).
 * PROFILE_CPU=0 measures without the profiler.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  activateDemoVvs,
  cpuMs,
  dropDatabase,
  ensureBuild,
  fmt,
  freshDatabase,
  postSampleClaim,
  runLoad,
  startServer,
} from './support/harness';

const DB_NAME = 'kladde_profile';
const PORT = 3301;
const CLAIMS = Number(process.env.PROFILE_CLAIMS ?? 3000);
const CONCURRENCY = Number(process.env.PROFILE_CONCURRENCY ?? 8);
const dir = path.resolve('.data', 'profiles');
const profiling = process.env.PROFILE_CPU !== '0';

ensureBuild();
fs.mkdirSync(dir, { recursive: true });
const before = new Set(fs.readdirSync(dir));
const { url, database } = await freshDatabase(DB_NAME);
const account = await activateDemoVvs(database, {
  customerMode: 'policyholder',
  phoneAsCustomerNumber: false,
});
const server = await startServer(
  PORT,
  { DATABASE_URL: url },
  profiling ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [],
);
let seq = 0;
const post = () => postSampleClaim(PORT, account, 'profile', seq++);
try {
  await runLoad(300, CONCURRENCY, post); // warm-up
  const c0 = cpuMs(server.child.pid!, DB_NAME);
  const r = await runLoad(CLAIMS, CONCURRENCY, post);
  const c1 = cpuMs(server.child.pid!, DB_NAME);
  console.log(
    `${CLAIMS} claims at c=${CONCURRENCY}: ${fmt(r.perSecond, 0)}/s, p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms, answers ${JSON.stringify(r.statuses)}`,
  );
  console.log(
    `CPU per claim: server ${fmt((c1.server - c0.server) / CLAIMS, 2)} ms, PostgreSQL ${fmt((c1.postgres - c0.postgres) / CLAIMS, 2)} ms`,
  );
} finally {
  await server.stop();
  await database.close();
  await dropDatabase(DB_NAME);
}

const written = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && !before.has(f));
if (profiling && written.length) {
  const file = path.join(dir, written.sort().at(-1)!);
  type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    nodes: Node[];
    samples: number[];
    timeDeltas: number[];
  };
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const where = (u: string) =>
    /node_modules\/((@[^/]+\/)?[^/]+)/.exec(u)?.[1] ??
    (u.startsWith('node:') ? u : u ? 'app' : 'native');
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const { functionName, url: u, lineNumber } = nodes.get(id)!.callFrame;
    const key = `${functionName || '(anonymous)'} — ${where(u)}${u ? `:${lineNumber}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
    total += profile.timeDeltas[i] ?? 0;
  });
  console.log(`\nHeaviest functions by self time (${file}):`);
  for (const [key, us] of [...self].sort((x, y) => y[1] - x[1]).slice(0, 20))
    console.log(`${fmt((100 * us) / total).padStart(5)}%  ${key}`);
}
process.exit(0);
