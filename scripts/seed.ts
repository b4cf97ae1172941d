import { migrate, openConfigured } from '@/db/client';
import { demoSignIns, seed } from '@/lib/demo-data';

// The demo passwords are public: never in production (docs/security.md).
if (process.env.NODE_ENV === 'production') {
  console.error('Refusing to seed demo data with NODE_ENV=production: its sign-ins and passwords are public.');
  process.exit(1);
}

const database = await openConfigured({ as: 'owner' });
try {
  if (database.driver === 'pglite') await migrate(database);
  await seed(database.db);
  console.log('Demo data in place. Sign in with:');
  for (const s of demoSignIns) console.log(`  ${s.email.padEnd(22)} ${s.password.padEnd(12)} (${s.what})`);
} finally {
  await database.close();
}
