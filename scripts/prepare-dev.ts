/**
 * Runs before `npm run dev`: on a fresh machine it writes .env.local with generated
 * development secrets, migrates the database and, the embedded one only, seeds it and prints the
 * demo sign-ins. A DATABASE_URL database is never seeded by itself (its data may be anyone's):
 * `npm run db:seed -- --demo` does that on purpose (lib/demo-seed-policy.ts).
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
const embedded = database.driver === 'pglite';
try {
  await migrate(database);
  if (embedded) await seed(database.db);
} finally {
  await database.close();
}
const port = process.env.PORT || '3000';
if (embedded) {
  console.log(`Database ready in ${Date.now() - started} ms (embedded, .data/).`);
  console.log(`\nKladde on http://localhost:${port} — sign in with:`);
  for (const s of demoSignIns)
    console.log(`  ${s.email.padEnd(22)} ${s.password.padEnd(12)} (${s.what})`);
} else {
  console.log(
    `Database migrated in ${Date.now() - started} ms (DATABASE_URL); not seeded: npm run dev seeds only the embedded database.`,
  );
  console.log('To add the demo data to this database on purpose: npm run db:seed -- --demo');
  console.log(`\nKladde on http://localhost:${port}`);
}
console.log('');
