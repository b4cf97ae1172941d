import { migrate, openConfigured } from '@/db/client';
import { demoSignIns, seed } from '@/db/seed';

const database = await openConfigured({ as: 'owner' });
try {
  if (database.driver === 'pglite') await migrate(database);
  await seed(database.db);
  console.log('Demo data in place. Sign in with:');
  for (const s of demoSignIns) console.log(`  ${s.email.padEnd(22)} ${s.password.padEnd(12)} (${s.what})`);
} finally {
  await database.close();
}
