/** npm run bench:rename — the Omdøb section of `npm run bench` alone, on a throwaway PostgreSQL database. */
import { createThrowawayDatabase } from '@/db/throwaway';
import { renameAtScale } from './support/rename-at-scale';

const database = await createThrowawayDatabase({ name: 'kladde_bench_rename', max: 10 });
try {
  await renameAtScale(database.db, (line = '') => console.log(line));
} finally {
  await database.drop();
}
