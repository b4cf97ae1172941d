/**
 * npm run bench:redate — the Gem frister part of `npm run bench` alone (no `next build`): the
 * re-date at BENCH_REDATE open cases (default 100,000) on the embedded database and on a
 * throwaway PostgreSQL database (scripts/support/redate-bench.ts).
 */
import os from 'node:os';
import { redateAtScale } from './support/redate-bench';

const cases = Number(process.env.BENCH_REDATE ?? 100_000);
const say = (line = '') => console.log(line);
say(
  `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}`,
);
await redateAtScale(say, cases);
process.exit(0);
