/**
 * A throwaway PostgreSQL database: created on the local server, migrated, optionally seeded, and
 * dropped when done. The one helper behind the vitest databases (tests/support/db.ts), the bench
 * and fault scripts (scripts/support/harness.ts) and the Playwright server (scripts/e2e-server.ts).
 * Never for the app itself: it needs the server's admin login (TEST_PG_URL, default the machine's
 * trust-auth server).
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { migrate, openPostgres, unixSocket, type Database, type Db } from './client';

export const ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** ADMIN_URL as postgres.js takes it (a `?host=/socket/dir` becomes a Unix-socket path). */
const adminSocket = unixSocket(ADMIN_URL);

export type ThrowawayDatabase = Database & {
  name: string;
  url: string;
  /** Closes the pool and drops the database. */
  drop: () => Promise<void>;
};

/** The URL of database `name` on the throwaway server (same login as ADMIN_URL). */
export function throwawayUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** True when the admin login answers within two seconds. */
export async function postgresReachable(): Promise<boolean> {
  const sql = postgres(adminSocket.url, {
    ...adminSocket.options,
    max: 1,
    connect_timeout: 2,
    onnotice: () => {},
  });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

async function asAdmin(statement: string): Promise<void> {
  const admin = postgres(adminSocket.url, { ...adminSocket.options, max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(statement);
  } finally {
    await admin.end().catch(() => {});
  }
}

/**
 * A fresh, migrated database, opened as its owner (the role that owns the tables; read company
 * data through the doors of lib/tenancy.ts as usual). With a `name` an earlier database of that
 * name is dropped first (a script's fixed name); without one the name is random (a test file's).
 * `seed` runs once after the migrations.
 */
export async function createThrowawayDatabase(
  options: { name?: string; max?: number; seed?: (db: Db) => Promise<unknown> } = {},
): Promise<ThrowawayDatabase> {
  const name = options.name ?? `kladde_t_${randomBytes(6).toString('hex')}`;
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a plain database name: ${name}`);
  if (options.name) await asAdmin(`drop database if exists ${name} with (force)`);
  await asAdmin(`create database ${name}`);
  const url = throwawayUrl(name);
  const database = await openPostgres(url, { max: options.max ?? 10, as: 'owner' });
  try {
    await migrate(database);
    if (options.seed) await options.seed(database.db);
  } catch (e) {
    await database.close().catch(() => {});
    await dropDatabase(name).catch(() => {});
    throw e;
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await database.close();
  };
  return {
    ...database,
    name,
    url,
    close,
    drop: async () => {
      await close();
      await dropDatabase(name);
    },
  };
}

/** Drops a throwaway database by name (connections to it are ended). */
export async function dropDatabase(name: string): Promise<void> {
  await asAdmin(`drop database if exists ${name} with (force)`);
}
