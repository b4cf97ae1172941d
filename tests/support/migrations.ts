import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import postgres from 'postgres';
import { unixSocket } from '@/db/client';
import { ADMIN_URL, dropDatabase, postgresReachable, throwawayUrl } from '@/db/throwaway';

/**
 * For the migration tests: the migration files in order, their statements as drizzle-kit splits
 * them, and an empty database to run them on — the embedded one, or a throwaway one on the local
 * PostgreSQL server — so a test can run the migrations up to N, plant old rows and run N + 1.
 */
const folder = path.join(process.cwd(), 'db', 'migrations');
export const migrationFiles = readdirSync(folder)
  .filter((f) => f.endsWith('.sql'))
  .sort();
export const statementsOf = (file: string) =>
  readFileSync(path.join(folder, file), 'utf8')
    .split('--> statement-breakpoint')
    .map((s) => s.trim())
    .filter(Boolean);

export type Engine = {
  exec(statement: string): Promise<void>;
  query<T>(q: string, params?: unknown[]): Promise<T[]>;
  /** As drizzle's migrator runs a migration: its statements in one transaction. */
  inTransaction(statements: string[]): Promise<void>;
  close(): Promise<void>;
};

export async function pgliteEngine(): Promise<Engine> {
  const db = new PGlite({ extensions: { pg_trgm, btree_gin } });
  return {
    exec: async (s) => void (await db.exec(s)),
    query: async <T>(q: string, params?: unknown[]) => (await db.query<T>(q, params)).rows,
    inTransaction: (statements) =>
      db.transaction(async (tx) => {
        for (const s of statements) await tx.exec(s);
      }),
    close: () => db.close(),
  };
}

export async function postgresEngine(): Promise<Engine> {
  const name = `kladde_t_${randomBytes(6).toString('hex')}`;
  const admin = unixSocket(ADMIN_URL);
  const root = postgres(admin.url, { ...admin.options, max: 1, onnotice: () => {} });
  try {
    await root.unsafe(`create database ${name}`);
  } finally {
    await root.end();
  }
  const target = unixSocket(throwawayUrl(name));
  const sql = postgres(target.url, { ...target.options, max: 1, onnotice: () => {} });
  return {
    exec: async (s) => void (await sql.unsafe(s)),
    query: async <T>(q: string, params?: unknown[]) =>
      (await sql.unsafe(q, (params ?? []) as never[])) as unknown as T[],
    inTransaction: async (statements) =>
      void (await sql.begin(async (tx) => {
        for (const s of statements) await tx.unsafe(s);
      })),
    close: async () => {
      await sql.end();
      await dropDatabase(name);
    },
  };
}

/** The engines a migration test runs on: the embedded one always, the server when it answers. */
export const migrationEngines = [
  { name: 'PGlite', open: pgliteEngine, available: async () => true },
  {
    name: 'PostgreSQL',
    open: postgresEngine,
    available: () => (process.env.TEST_DB === 'pglite' ? false : postgresReachable()),
  },
];
