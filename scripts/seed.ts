/**
 * `npm run db:seed [-- --demo]`: the demo data (README.md, "Demo accounts"). Its passwords are
 * public, so lib/demo-seed-policy.ts decides first: never in production, a DATABASE_URL database
 * only with --demo, and there random passwords unless APP_URL is this machine (docs/security.md).
 */
import { migrate, openConfigured } from '@/db/client';
import { demoSignIns, seed } from '@/lib/demo-data';
import { seedPolicy } from '@/lib/demo-seed-policy';

// The raw settings, before lib/env.ts validates the rest: a refusal must not depend on them.
const setting = (name: string) => process.env[name]?.trim() || undefined;
const policy = seedPolicy({
  nodeEnv: setting('NODE_ENV'),
  // The database the seed writes to: openConfigured({ as: 'owner' }) takes the same.
  databaseUrl: setting('MIGRATION_DATABASE_URL') ?? setting('DATABASE_URL'),
  appUrl: setting('APP_URL'),
  argv: process.argv.slice(2),
});
if ('refuse' in policy) {
  console.error(policy.refuse);
  process.exit(1);
}

const database = await openConfigured({ as: 'owner' });
try {
  if (database.driver === 'pglite') await migrate(database);
  const users = await seed(database.db, [], { passwords: policy.passwords });
  const what = new Map(demoSignIns.map((s) => [s.email, s.what]));
  const created = users.some((u) => u.created);
  console.log(
    !created
      ? 'Demo data in place. Every demo user existed already; their passwords are unchanged:'
      : policy.passwords === 'random'
        ? 'Demo data in place. APP_URL is not this machine, so each user created now got a random password, shown only this once:'
        : 'Demo data in place. Sign in with:',
  );
  for (const u of users) {
    const status = u.created
      ? `${u.password!.padEnd(16)} created now with this password`
      : `${'(unchanged)'.padEnd(16)} already existed, left alone`;
    console.log(`  ${u.email.padEnd(22)} ${status} (${what.get(u.email) ?? u.role})`);
  }
} finally {
  await database.close();
}
