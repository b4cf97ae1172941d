import fs from 'node:fs';
import path from 'node:path';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';

export type Schema = typeof schema;
/** The drizzle database or one of its transactions; both drivers share this surface. */
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export type Database = {
  db: Db;
  driver: 'postgres' | 'pglite';
  close: () => Promise<void>;
};

export function dataDir(): string {
  return process.env.KLADDE_DATA_DIR || path.join(process.cwd(), '.data');
}

/** postgres.js for a PostgreSQL URL. */
export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Database> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connect_timeout: 5,
    idle_timeout: 30,
  });
  return {
    db: drizzle(client, { schema }) as unknown as Db,
    driver: 'postgres',
    close: () => client.end({ timeout: 5 }),
  };
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
export async function openPglite(dir?: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { btree_gin } = await import('@electric-sql/pglite/contrib/btree_gin');
  const { drizzle } = await import('drizzle-orm/pglite');
  let lockFile: string | undefined;
  if (dir) {
    fs.mkdirSync(/*turbopackIgnore: true*/ dir, { recursive: true });
    lockFile = path.join(path.dirname(dir), `${path.basename(dir)}.lock`);
    try {
      fs.writeFileSync(/*turbopackIgnore: true*/ lockFile, String(process.pid), { flag: 'wx' });
    } catch {
      const holder = Number(fs.readFileSync(/*turbopackIgnore: true*/ lockFile, 'utf8'));
      if (holder && holder !== process.pid && pidAlive(holder)) {
        throw new Error(`The embedded database in ${dir} is in use by process ${holder}. Stop it first (or set DATABASE_URL).`);
      }
      fs.writeFileSync(/*turbopackIgnore: true*/ lockFile, String(process.pid));
    }
  }
  const client = dir ? new PGlite(/*turbopackIgnore: true*/ dir, { extensions: { pg_trgm, btree_gin } }) : new PGlite({ extensions: { pg_trgm, btree_gin } });
  await client.waitReady;
  let closed = false;
  return {
    db: drizzle(client, { schema }) as unknown as Db,
    driver: 'pglite',
    close: async () => {
      if (closed) return;
      closed = true;
      await client.close();
      if (lockFile) fs.rmSync(/*turbopackIgnore: true*/ lockFile, { force: true });
    },
  };
}

/**
 * DATABASE_URL → PostgreSQL; otherwise the embedded database in .data/pglite — but never in
 * production, where a forgotten setting must stop the server, not start an empty database.
 */
export function openConfigured(): Promise<Database> {
  const url = process.env.DATABASE_URL?.trim();
  if (!url && process.env.NODE_ENV === 'production') {
    return Promise.reject(new Error('Refusing to start in production without DATABASE_URL (no embedded database in production).'));
  }
  return url ? openPostgres(url) : openPglite(path.join(dataDir(), 'pglite'));
}

export async function migrate(database: Database): Promise<void> {
  const migrationsFolder = path.join(process.cwd(), 'db', 'migrations');
  if (database.driver === 'postgres') {
    const { migrate: run } = await import('drizzle-orm/postgres-js/migrator');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await run(database.db as any, { migrationsFolder });
  } else {
    const { migrate: run } = await import('drizzle-orm/pglite/migrator');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await run(database.db as any, { migrationsFolder });
  }
}

/** Rows of a raw `db.execute` result, whichever driver produced it. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
