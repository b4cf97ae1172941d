// Local profiling aid (not committed): next start with --cpu-prof under intake load.
import { activateDemoVvs, dropDatabase, freshDatabase, runLoad, sampleClaim, signedHeaders } from './support/harness';
const DB = 'kladde_prof';
const { url, database } = await freshDatabase(DB);
const account = await activateDemoVvs(database, { customerMode: 'policyholder', phoneAsCustomerNumber: false });
import { spawn } from 'node:child_process';
import { cpuMs, serverSecrets } from './support/harness';
const child = spawn(process.execPath, [...(process.env.NODE_ARGS ? process.env.NODE_ARGS.split(' ') : []), ...(process.env.REPORT ? ['--report-on-signal', '--report-signal=SIGUSR2', '--report-directory=/work/prof'] : []), ...(process.env.PROF === '0' ? [] : ['--cpu-prof', `--cpu-prof-dir=${process.env.PROF_DIR ?? '/work/prof'}`]), 'node_modules/next/dist/bin/next', 'start', '-p', '3301'], {
  env: { ...process.env, NODE_ENV: 'production', NEXT_MANUAL_SIG_HANDLE: '1', KLADDE_LOG: 'silent', APP_URL: 'http://127.0.0.1:3301', ...serverSecrets, DATABASE_URL: url },
  stdio: 'inherit',
});
for (;;) { try { if ((await fetch('http://127.0.0.1:3301/api/health')).ok) break; } catch {} await new Promise((r) => setTimeout(r, 200)); }
const s = { stop: async () => { child.kill('SIGTERM'); await new Promise((r) => child.once('exit', r)); } };
let seq = 0;
const post = async () => {
  const i = seq++;
  const raw = Buffer.from(JSON.stringify(sampleClaim(`SP-PROF-${i}`, i)));
  const res = await fetch(`http://127.0.0.1:3301/api/scalepoint/claims`, { method: 'POST', headers: signedHeaders(account, raw, `msg_prof_${i}`), body: raw });
  await res.arrayBuffer();
  return String(res.status);
};
await runLoad(300, 8, post);
const c0 = cpuMs(child.pid!, DB);
const r = await runLoad(Number(process.env.PROF_CLAIMS ?? 3000), 8, post);
const c1 = cpuMs(child.pid!, DB);
if (process.env.REPORT) { child.kill('SIGUSR2'); await new Promise((res) => setTimeout(res, 2000)); }
console.log(`${r.perSecond.toFixed(0)}/s p50 ${r.p50.toFixed(1)} p99 ${r.p99.toFixed(1)}; server CPU ${((c1.server - c0.server) / r.total).toFixed(2)} ms/claim, postgres ${((c1.postgres - c0.postgres) / r.total).toFixed(2)} ms/claim`, r.statuses);
await s.stop();
await database.close();
await dropDatabase(DB);
process.exit(0);
