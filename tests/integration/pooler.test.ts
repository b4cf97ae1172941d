import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertAppRole, openPostgres, rowsOf } from '@/db/client';
import { seed } from '@/lib/demo-data';
import { asSystem, asSystemAtOnce, inCompany, inCompanyAtOnce } from '@/lib/tenancy';
import { createTestDatabase, type TestDatabase } from '../support/db';

/**
 * Behind a transaction-mode pooler (docs/tenancy.md, "Behind a transaction-mode pooler"). Runs only when
 * TEST_PGBOUNCER_URL points at a PgBouncer in pool_mode = transaction in front of the test
 * PostgreSQL server (e.g. postgres://postgres@127.0.0.1:6499/postgres); skipped otherwise.
 */
const BOUNCER = process.env.TEST_PGBOUNCER_URL;

let t: TestDatabase;
let pooledUrl: string;

beforeAll(async () => {
  if (!BOUNCER) return;
  t = await createTestDatabase();
  if (!t.url) throw new Error('TEST_PGBOUNCER_URL needs the PostgreSQL test server');
  await seed(t.db);
  const name = new URL(t.url).pathname.slice(1);
  const url = new URL(BOUNCER);
  url.pathname = `/${name}`;
  pooledUrl = url.toString();
});
afterAll(async () => {
  await t?.close();
});

describe.skipIf(!BOUNCER)('behind a transaction-mode PgBouncer', () => {
  it('refuses the startup parameter loudly, so the app never runs unconfined by accident', async () => {
    const d = await openPostgres(pooledUrl, { max: 1 });
    try {
      await expect(assertAppRole(d)).rejects.toThrow();
    } finally {
      await d.close();
    }
  });

  it('with DATABASE_POOLER=transaction and the per-role default, connections start as kladde_app and the doors switch per transaction', async () => {
    const name = new URL(t.url!).pathname.slice(1);
    const login = rowsOf<{ u: string }>(await t.db.execute(sql`select session_user as u`))[0]!.u;
    // Before: the pool starts as the login, and the app refuses to run on it.
    const before = await openPostgres(pooledUrl, { max: 2, pooler: 'transaction' });
    try {
      await expect(assertAppRole(before)).rejects.toThrow(
        /refusing to run without row-level security/,
      );
    } finally {
      await before.close();
    }
    await t.db.execute(sql.raw(`alter role ${login} in database ${name} set role = kladde_app`));
    // PgBouncer keeps its server connections, and only new ones read the per-role default: end
    // the old ones (the pooler opens fresh ones on demand).
    await t.db.execute(
      sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
    );
    const d = await openPostgres(pooledUrl, { max: 4, pooler: 'transaction' });
    try {
      await assertAppRole(d);
      const companies = rowsOf<{ id: string }>(
        await asSystem(d.db, 'maintenance', (tx) =>
          tx.execute(sql`select id from companies order by name`),
        ),
      );
      expect(companies).toHaveLength(2);
      expect(rowsOf(await d.db.execute(sql`select id from companies`))).toHaveLength(0);
      const seen = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          inCompany(d.db, companies[i % 2]!.id, async (tx) =>
            rowsOf<{ id: string }>(await tx.execute(sql`select id from companies`)).map(
              (r) => r.id,
            ),
          ),
        ),
      );
      seen.forEach((ids, i) => expect(ids).toEqual([companies[i % 2]!.id]));
      const roles = await Promise.all(
        Array.from(
          { length: 20 },
          async () =>
            rowsOf<{ u: string }>(await d.db.execute(sql`select current_user as u`))[0]!.u,
        ),
      );
      expect(new Set(roles)).toEqual(new Set(['kladde_app']));
      // The one-write doors (begin … commit pipelined, no prepared statements) through the pooler too.
      const atOnce = await Promise.all(
        Array.from({ length: 20 }, async (_, i) =>
          (
            await inCompanyAtOnce(d.db, companies[i % 2]!.id, [sql`select id from companies`])
          )[0]!.map((r) => r.id),
        ),
      );
      atOnce.forEach((ids, i) => expect(ids).toEqual([companies[i % 2]!.id]));
      expect(
        (
          await asSystemAtOnce(d.db, 'maintenance', [sql`select count(*)::int as n from companies`])
        )[0],
      ).toEqual([{ n: 2 }]);
      expect(rowsOf<{ u: string }>(await d.db.execute(sql`select current_user as u`))[0]!.u).toBe(
        'kladde_app',
      );
    } finally {
      await d.close();
    }
    // A direct owner connection (migrations) still starts as the owner: its startup parameter wins.
    const owner = await openPostgres(t.url!, { as: 'owner', max: 1 });
    try {
      expect(
        rowsOf<{ u: string }>(await owner.db.execute(sql`select current_user as u`))[0]!.u,
      ).toBe(login);
    } finally {
      await owner.close();
    }
  });
});
