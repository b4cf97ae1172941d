import 'server-only';
import { env } from '@/lib/env';
import { openConfigured, migrate, type Database, type Db } from './client';

/**
 * The app's one database per process (kept on globalThis so dev reloads reuse it).
 * The embedded database is migrated on open, so `next start` without DATABASE_URL works too.
 */
type Holder = { promise?: Promise<Database> };
const holder = ((globalThis as { __kladdeDb?: Holder }).__kladdeDb ??= {});

async function open(): Promise<Database> {
  env(); // every setting checked first: production refuses without DATABASE_URL and the secrets
  const database = await openConfigured();
  if (database.driver === 'pglite') await migrate(database);
  const shutdown = async (signal: NodeJS.Signals) => {
    try {
      await database.close();
    } finally {
      process.exit(signal === 'SIGINT' ? 130 : 0);
    }
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  return database;
}

export async function getDb(): Promise<Db> {
  holder.promise ??= open().catch((e) => {
    holder.promise = undefined;
    throw e;
  });
  return (await holder.promise).db;
}

export type { Db };
