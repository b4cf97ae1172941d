import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { migrate, openPglite, openPostgres, type Database } from '@/db/client';

/**
 * A throwaway, migrated database for one test file: a fresh database on the local PostgreSQL
 * server when it is reachable (TEST_PG_URL, default the machine's trust-auth server), else an
 * in-memory PGlite. Set TEST_DB=pglite to force the embedded one.
 */
const ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let reachable: Promise<boolean> | undefined;
function postgresReachable(): Promise<boolean> {
  if (process.env.TEST_DB === 'pglite') return Promise.resolve(false);
  reachable ??= (async () => {
    const sql = postgres(ADMIN_URL, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await sql`select 1`;
      return true;
    } catch {
      return false;
    } finally {
      await sql.end({ timeout: 1 }).catch(() => {});
    }
  })();
  return reachable;
}

export type TestDatabase = Database & { url?: string };

export async function createTestDatabase(options: { max?: number } = {}): Promise<TestDatabase> {
  if (!(await postgresReachable())) {
    const db = await openPglite(undefined, { as: 'owner' });
    await migrate(db);
    return db;
  }
  const name = `kladde_t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString(), { max: options.max ?? 10, as: 'owner' });
  await migrate(database);
  return {
    ...database,
    url: url.toString(),
    close: async () => {
      await database.close();
      const a = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/**
 * The app's default pool on a test database: connections start as kladde_app, so only the doors
 * in lib/tenancy.ts see company rows (docs/tenancy.md). Call operations with it to prove they go
 * through the doors; `t.db` (the owner) is for fixtures. PGlite has one connection: undefined
 * there (switch its session with `set role kladde_app` instead).
 */
export function openAppDatabase(t: TestDatabase, options: { max?: number } = {}): Promise<Database> | undefined {
  return t.url ? openPostgres(t.url, { max: options.max ?? 4 }) : undefined;
}
