import 'server-only';
import { assertAppRole, openConfigured, migrate, type Database, type Db } from './client';

/**
 * The app's one database per process (kept on globalThis so dev reloads reuse it).
 * The embedded database is migrated on open, so `next start` without DATABASE_URL works too.
 */
type Holder = { promise?: Promise<Database>; beforeClose?: (() => Promise<void>)[] };
const holder = ((globalThis as { __kladdeDb?: Holder }).__kladdeDb ??= {});

async function open(): Promise<Database> {
  // The app's connections start as kladde_app (docs/tenancy.md); PGlite's one session switches
  // after its migrations, which run as the owner.
  const database = await openConfigured({ as: 'app' });
  try {
    if (database.driver === 'pglite') await migrate(database);
    await assertAppRole(database);
  } catch (e) {
    await database.close();
    throw e;
  }
  const shutdown = async (signal: NodeJS.Signals) => {
    try {
      // Work that must end before the database closes (the Events API receiver releases its leases).
      await Promise.allSettled((holder.beforeClose ?? []).map((fn) => fn()));
      await database.close();
    } finally {
      process.exit(signal === 'SIGINT' ? 130 : 0);
    }
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  return database;
}

/** Runs `fn` on SIGTERM/SIGINT, before the database closes. */
export function beforeDatabaseClose(fn: () => Promise<void>): void {
  (holder.beforeClose ??= []).push(fn);
}

export async function getDb(): Promise<Db> {
  holder.promise ??= open().catch((e) => {
    holder.promise = undefined;
    throw e;
  });
  return (await holder.promise).db;
}

export type { Db };
