import { openPglite, openPostgres, migrate, type Database } from '@/db/client';
import { createThrowawayDatabase, postgresReachable } from '@/db/throwaway';

/**
 * A throwaway, migrated database for one test file: a fresh database on the local PostgreSQL
 * server when it is reachable (db/throwaway.ts: TEST_PG_URL, default the machine's trust-auth
 * server), else an in-memory PGlite. Set TEST_DB=pglite to force the embedded one.
 * `close()` drops the PostgreSQL database.
 */
let reachable: Promise<boolean> | undefined;
function postgresWanted(): Promise<boolean> {
  if (process.env.TEST_DB === 'pglite') return Promise.resolve(false);
  reachable ??= postgresReachable();
  return reachable;
}

export type TestDatabase = Database & { url?: string };

export async function createTestDatabase(options: { max?: number } = {}): Promise<TestDatabase> {
  if (!(await postgresWanted())) {
    const db = await openPglite(undefined, { as: 'owner' });
    await migrate(db);
    return db;
  }
  const database = await createThrowawayDatabase({ max: options.max ?? 10 });
  return {
    db: database.db,
    driver: database.driver,
    as: database.as,
    url: database.url,
    close: database.drop,
  };
}

/**
 * The app's default pool on a test database: connections start as kladde_app, so only the doors
 * in lib/tenancy.ts see company rows (docs/tenancy.md). Call operations with it to prove they go
 * through the doors; `t.db` (the owner) is for fixtures. PGlite has one connection: undefined
 * there (switch its session with `set role kladde_app` instead).
 */
export function openAppDatabase(
  t: TestDatabase,
  options: { max?: number } = {},
): Promise<Database> | undefined {
  return t.url ? openPostgres(t.url, { max: options.max ?? 4 }) : undefined;
}
