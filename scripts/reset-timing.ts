/**
 * npm run bench:reset — how long Glemt adgangskode? takes for a known and for an unknown e-mail
 * (docs/people.md, "Forgotten password"), on a throwaway PostgreSQL database, the two interleaved
 * so both see the same machine. The mail is not part of it: it is sent after the answer.
 */
import { performance } from 'node:perf_hooks';
import { createThrowawayDatabase } from '@/db/throwaway';
import { companies, users } from '@/db/schema';
import { requestPasswordReset } from '@/lib/people/password-reset';

process.env.KLADDE_LOG ??= 'silent';
process.env.APP_URL ??= 'http://127.0.0.1:3000';
const ROUNDS = 300;
const database = await createThrowawayDatabase({ name: 'kladde_bench_reset', max: 4 });
try {
  const db = database.db;
  const [company] = await db
    .insert(companies)
    .values({ name: 'Bench ApS', cvr: '11223344' })
    .returning({ id: companies.id });
  const known: string[] = [];
  for (let i = 0; i < ROUNDS; i++) known.push(`bruger-${i}@bench.test`);
  await db.insert(users).values(
    known.map((email) => ({
      email,
      name: 'Bruger',
      role: 'member' as const,
      companyId: company!.id,
      passwordHash: '$2b$10$RPHxys5P37JZ2GNkh1/yTuCkECPrFVb.d5FHdE0cXGJjxVVOle8/O',
    })),
  );
  const times = { known: [] as number[], unknown: [] as number[] };
  // Warm up the connection and the plans.
  for (let i = 0; i < 20; i++) await requestPasswordReset(db, { email: `warm-${i}@bench.test` });
  for (let i = 0; i < ROUNDS; i++) {
    for (const kind of i % 2 ? (['known', 'unknown'] as const) : (['unknown', 'known'] as const)) {
      const email = kind === 'known' ? known[i]! : `ukendt-${i}@bench.test`;
      const start = performance.now();
      const r = await requestPasswordReset(db, { email });
      times[kind].push(performance.now() - start);
      if ((kind === 'known') !== !!r.mail) throw new Error(`unexpected answer for ${email}`);
    }
  }
  const q = (xs: number[], p: number) =>
    [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))]!;
  console.log(`Glemt adgangskode?, ${ROUNDS} requests each, interleaved (ms):`);
  console.log('| e-mail | median | p95 | max |');
  console.log('|---|---|---|---|');
  for (const kind of ['known', 'unknown'] as const)
    console.log(
      `| ${kind} | ${q(times[kind], 0.5).toFixed(2)} | ${q(times[kind], 0.95).toFixed(2)} | ${Math.max(...times[kind]).toFixed(2)} |`,
    );
} finally {
  await database.drop();
}
