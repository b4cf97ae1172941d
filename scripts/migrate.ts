import { migrate, openConfigured } from '@/db/client';

const database = await openConfigured({ as: 'owner' });
try {
  await migrate(database);
  console.log(
    `Migrations applied (${database.driver === 'postgres' ? 'DATABASE_URL' : 'embedded database in .data/'}).`,
  );
} finally {
  await database.close();
}
