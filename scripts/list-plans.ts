/**
 * npm run bench:plans — only the list part of the bench, without a build or a server: seeds two
 * companies with 100,000 drafts + 100,000 orders each (scripts/support/big-lists.ts) and prints
 * EXPLAIN ANALYZE of every list query as the app role. A few minutes; one core.
 */
import { explainLists, seedLargeCompanies } from './support/big-lists';
import { dropDatabase, freshDatabase } from './support/harness';

const DB_NAME = process.env.BENCH_PLANS_DB ?? 'kladde_plans';
const { url, database } = await freshDatabase(DB_NAME);
const started = Date.now();
const big = await seedLargeCompanies(database.db);
console.log(`seeded in ${Math.round((Date.now() - started) / 1000)} s\n`);
await explainLists(url, big[0]!.companyId, (line) => console.log(line));
await database.close();
if (!process.env.BENCH_KEEP_DB) await dropDatabase(DB_NAME);
process.exit(0);
