/**
 * Runs before `npm run dev`: on a fresh machine it writes .env.local with generated
 * development secrets, migrates and seeds the database, and prints the demo sign-ins.
 */
import path from 'node:path';
import { migrate, openConfigured } from '@/db/client';
import { demoSignIns, seed } from '@/lib/demo-data';
import { writeDevEnvFile } from './dev-env';

const envFile = path.join(process.cwd(), '.env.local');
if (!process.env.AUTH_SECRET && writeDevEnvFile(envFile)) {
  console.log('Wrote .env.local (mode 0600) with generated development secrets.');
}

const started = Date.now();
const database = await openConfigured({ as: 'owner' });
try {
  await migrate(database);
  await seed(database.db);
} finally {
  await database.close();
}
const port = process.env.PORT || '3000';
console.log(`Database ready in ${Date.now() - started} ms (${database.driver === 'postgres' ? 'DATABASE_URL' : 'embedded, .data/'}).`);
console.log(`\nKladde on http://localhost:${port} — sign in with:`);
for (const s of demoSignIns) console.log(`  ${s.email.padEnd(22)} ${s.password.padEnd(12)} (${s.what})`);
console.log('');
