import fs from 'node:fs';
import path from 'node:path';
import { sql, type ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { env } from '@/lib/env';
import * as schema from './schema';

export type Schema = typeof schema;
/** The drizzle database or one of its transactions; both drivers share this surface. */
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

/**
 * Who a connection is by default (docs/tenancy.md):
 * - 'app': the role kladde_app, which owns nothing and is subject to row-level security, so a
 *   query outside the doors in lib/tenancy.ts sees no company rows. The app's pool is this.
 * - 'owner': the login role itself (owns the tables): migrations, seed, tests' fixtures, scripts.
 */
export type ConnectAs = 'app' | 'owner';

export type Database = {
  db: Db;
  driver: 'postgres' | 'pglite';
  as: ConnectAs;
  close: () => Promise<void>;
};

export const APP_ROLE = 'kladde_app';

export function dataDir(): string {
  return env().dataDir || path.join(process.cwd(), '.data');
}

export type PostgresOptions = {
  max?: number;
  as?: ConnectAs;
  /** Behind a transaction-mode pooler (PgBouncer, Supavisor): see docs/tenancy.md. */
  pooler?: 'none' | 'transaction';
};

/**
 * postgres.js for a PostgreSQL URL. As 'app' (the default), every server connection starts as
 * kladde_app: directly, by the startup parameter `options=-c role=kladde_app`; behind a
 * transaction-mode pooler (which does not pass startup parameters on), by the login's per-role
 * default (`ALTER ROLE … IN DATABASE … SET role = kladde_app`, docs/tenancy.md). Either way the
 * app probes it with assertAppRole (db/index.ts) and refuses to run otherwise. Connects lazily.
 * Behind such a pooler prepared statements are off too (a server connection is not ours).
 */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Database> {
  const socket = unixSocket(url);
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const as = options.as ?? 'app';
  const pooled = (options.pooler ?? 'none') === 'transaction';
  const client = postgres(socket.url, {
    ...socket.options,
    max: options.max ?? 10,
    onnotice: () => {},
    connect_timeout: 5,
    idle_timeout: 30,
    prepare: !pooled,
    // Directly, the startup parameter beats a per-role default, so the owner's connections
    // (migrations, seed) stay the owner even where the login defaults to kladde_app.
    connection: pooled ? {} : { options: `-c role=${as === 'app' ? APP_ROLE : 'none'}` },
  });
  return {
    db: drizzle(client, { schema }) as unknown as Db,
    driver: 'postgres',
    as,
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * A URL with `?host=/run/postgresql` (libpq's way to name a Unix-socket directory) as postgres.js
 * wants it: the URL without that parameter plus the socket's `path`. On one machine the socket
 * costs less per round trip than TCP over 127.0.0.1 (docs/performance.md).
 */
export function unixSocket(url: string): { url: string; options: { path?: string } } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url, options: {} };
  }
  const dir = parsed.searchParams.get('host');
  if (!dir?.startsWith('/')) return { url, options: {} };
  parsed.searchParams.delete('host');
  return { url: parsed.toString(), options: { path: `${dir}/.s.PGSQL.${parsed.port || '5432'}` } };
}

/** Fails closed: the app must not run as a role that bypasses row-level security. */
export async function assertAppRole(database: Database): Promise<void> {
  const [row] = rowsOf<{ role: string }>(
    await database.db.execute(sql`select current_user as role`),
  );
  if (row?.role !== APP_ROLE) {
    throw new Error(
      `The app's database connections start as "${row?.role}", not ${APP_ROLE}; refusing to run without row-level security. ` +
        `Behind a transaction-mode pooler run once: ALTER ROLE <login> IN DATABASE <db> SET role = ${APP_ROLE} (docs/tenancy.md).`,
    );
  }
}

/**
 * The embedded database's lock file is held by another live process (usually `npm run dev`).
 * Its message is the one every caller has always seen; a CLI can catch this class and say more
 * (scripts/support-invite.ts).
 */
export class EmbeddedDatabaseInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${dir} is in use by process ${pid}. Stop it first (or set DATABASE_URL).`,
    );
    this.name = 'EmbeddedDatabaseInUseError';
  }
}

/** Where openPglite keeps the lock of data directory `dir`: beside it, `<dir>.lock`, holding the pid. */
export function pgliteLockFile(dir: string): string {
  return path.join(path.dirname(dir), `${path.basename(dir)}.lock`);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Embedded PGlite in a data directory. PGlite is single-process: two processes on one
 * directory silently diverge, so a lock file holding our pid guards it.
 * `dir` undefined means an in-memory database (tests).
 */
export async function openPglite(
  dir?: string,
  options: { as?: ConnectAs } = {},
): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { btree_gin } = await import('@electric-sql/pglite/contrib/btree_gin');
  const { drizzle } = await import('drizzle-orm/pglite');
  let lockFile: string | undefined;
  if (dir) {
    fs.mkdirSync(/*turbopackIgnore: true*/ dir, { recursive: true });
    lockFile = pgliteLockFile(dir);
    try {
      fs.writeFileSync(/*turbopackIgnore: true*/ lockFile, String(process.pid), { flag: 'wx' });
    } catch {
      const holder = Number(fs.readFileSync(/*turbopackIgnore: true*/ lockFile, 'utf8'));
      if (holder && holder !== process.pid && pidAlive(holder)) {
        throw new EmbeddedDatabaseInUseError(dir, holder);
      }
      fs.writeFileSync(/*turbopackIgnore: true*/ lockFile, String(process.pid));
    }
  }
  const client = dir
    ? new PGlite(/*turbopackIgnore: true*/ dir, { extensions: { pg_trgm, btree_gin } })
    : new PGlite({ extensions: { pg_trgm, btree_gin } });
  await client.waitReady;
  let closed = false;
  const database: Database = {
    db: drizzle(client, { schema }) as unknown as Db,
    driver: 'pglite',
    as: options.as ?? 'app',
    close: async () => {
      if (closed) return;
      closed = true;
      await client.close();
      if (lockFile) fs.rmSync(/*turbopackIgnore: true*/ lockFile, { force: true });
    },
  };
  // One connection: its session role is the default. Before the first migration kladde_app does
  // not exist yet; migrate() switches once it has run.
  if (database.as === 'app' && (await appRoleExists(database.db))) await enterAppRole(database);
  return database;
}

async function appRoleExists(db: Db): Promise<boolean> {
  return (
    rowsOf(await db.execute(sql`select 1 from pg_roles where rolname = ${APP_ROLE}`)).length > 0
  );
}

/** PGlite's single session becomes kladde_app; the doors switch per transaction from there. */
async function enterAppRole(database: Database): Promise<void> {
  await database.db.execute(sql.raw(`set role ${APP_ROLE}`));
  await assertAppRole(database);
}

/**
 * DATABASE_URL → PostgreSQL; otherwise the embedded database in .data/pglite.
 * As 'owner' (migrations, seed) MIGRATION_DATABASE_URL is used when set.
 */
export async function openConfigured(options: { as?: ConnectAs } = {}): Promise<Database> {
  const e = env();
  const as = options.as ?? 'app';
  const url = as === 'owner' ? (e.migrationDatabaseUrl ?? e.databaseUrl) : e.databaseUrl;
  // Never the embedded database in production: a forgotten setting must stop the server, not
  // start an empty database whose claims are lost on the next deploy.
  if (!url && e.nodeEnv === 'production') {
    throw new Error(
      'Refusing to start in production without DATABASE_URL (no embedded database in production).',
    );
  }
  return url
    ? openPostgres(url, {
        as,
        pooler: as === 'owner' && e.migrationDatabaseUrl ? 'none' : e.databasePooler,
      })
    : openPglite(path.join(dataDir(), 'pglite'), { as });
}

/** Applies the committed migrations; always as the owner (PGlite's session switches for it). */
export async function migrate(database: Database): Promise<void> {
  const migrationsFolder = path.join(process.cwd(), 'db', 'migrations');
  if (database.driver === 'postgres') {
    if (database.as !== 'owner')
      throw new Error('Migrations run as the owner: open the database with { as: "owner" }.');
    const { migrate: run } = await import('drizzle-orm/postgres-js/migrator');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await run(database.db as any, { migrationsFolder });
  } else {
    const { migrate: run } = await import('drizzle-orm/pglite/migrator');
    await database.db.execute(sql`reset role`);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await run(database.db as any, { migrationsFolder });
    if (database.as === 'app') await enterAppRole(database);
  }
}

/** Rows of a raw `db.execute` result, whichever driver produced it. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
