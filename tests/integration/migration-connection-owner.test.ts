import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationEngines, migrationFiles, statementsOf, type Engine } from '../support/migrations';

/**
 * Migration 0021 (docs/events-api.md, "One client id, one connection"): a client id with its
 * tenant and environment belongs to one connection in all of Kladde. On a database that already
 * holds such a pair the migration stops before its index, lists every clashing connection and
 * changes nothing; without one (or once support has resolved them) it applies, and the index
 * refuses a second connection of that client id (in any case), tenant and environment. On the
 * embedded database and, when it answers, on the local PostgreSQL server.
 */
const ids = {
  firma: '7a1c2b1e-0000-4000-8000-0000000c0001',
  andet: '7a1c2b1e-0000-4000-8000-0000000c0002',
  tredje: '7a1c2b1e-0000-4000-8000-0000000c0003',
  // No connection of its own: the one the index is tried with.
  fjerde: '7a1c2b1e-0000-4000-8000-0000000c0004',
  // Firma and Andet firma: the same client id (in two cases), tenant and environment.
  firmaTryg: '7a1c2b1e-0000-4000-8000-00000000a001',
  andetTryg: '7a1c2b1e-0000-4000-8000-00000000b001',
  // Andet firma and Tredje firma: a second clash.
  andetCodan: '7a1c2b1e-0000-4000-8000-00000000b002',
  tredjeCodan: '7a1c2b1e-0000-4000-8000-00000000c002',
  // No clash: the same client id in the other environment, or with another tenant.
  firmaTrygProd: '7a1c2b1e-0000-4000-8000-00000000a002',
  tredjeTopdanmark: '7a1c2b1e-0000-4000-8000-00000000c003',
  tredjeOther: '7a1c2b1e-0000-4000-8000-00000000c004',
};

const target = migrationFiles.findIndex((f) => f.startsWith('0021_'));

async function upTo0021(engine: (typeof migrationEngines)[number]): Promise<Engine> {
  const db = await engine.open();
  expect(target).toBeGreaterThan(0);
  for (const file of migrationFiles.slice(0, target))
    for (const statement of statementsOf(file)) await db.exec(statement);
  await db.query(
    `insert into companies (id, name, cvr)
     values ($1, 'Firma', '12345678'), ($2, 'Andet firma', '87654321'), ($3, 'Tredje firma', '11223344'), ($4, 'Fjerde firma', '44332211')`,
    [ids.firma, ids.andet, ids.tredje, ids.fjerde],
  );
  return db;
}

const connection = (
  db: Engine,
  id: string,
  companyId: string,
  clientId: string,
  tenant: string,
  environment: 'sandbox' | 'production',
  createdAt = '2026-01-01T08:00:00Z',
) =>
  db.query(
    `insert into scalepoint_connections (id, company_id, client_id, tenant, environment, certificate_pem, private_key_enc, created_at)
     values ($1, $2, $3, $4, $5, 'pem', 'enc', $6)`,
    [id, companyId, clientId, tenant, environment, createdAt],
  );

const rowsOf = (db: Engine) =>
  db.query<Record<string, unknown>>(
    `select id, company_id, client_id, tenant, environment, version, changed_at::text from scalepoint_connections order by id`,
  );

const clientKeyIndex = async (db: Engine) =>
  (
    await db.query<{ def: string }>(
      `select indexdef as def from pg_indexes where indexname = 'scalepoint_connections_client_key'`,
    )
  )[0]?.def;

/** The error a statement fails with: its SQLSTATE, constraint (either driver's name) and message. */
async function failure(run: Promise<unknown>) {
  try {
    await run;
  } catch (e) {
    const err = e as {
      code?: string;
      constraint?: string;
      constraint_name?: string;
      message: string;
    };
    return {
      code: err.code,
      constraint: err.constraint_name ?? err.constraint,
      message: err.message,
    };
  }
  throw new Error('it did not fail');
}

/** The index at work: a second connection of that client id (any case), tenant and environment is refused. */
async function expectIndexRefusesASecond(db: Engine, holder: string) {
  const [row] = await db.query<{ client_id: string; tenant: string; environment: string }>(
    `select client_id, tenant, environment from scalepoint_connections where id = $1`,
    [holder],
  );
  for (const clientId of [row!.client_id, row!.client_id.toUpperCase()]) {
    expect(
      await failure(
        connection(
          db,
          '7a1c2b1e-0000-4000-8000-00000000ffff',
          ids.fjerde,
          clientId,
          row!.tenant,
          row!.environment as 'sandbox',
        ),
      ),
    ).toMatchObject({ code: '23505', constraint: 'scalepoint_connections_client_key' });
  }
  // Another tenant with that client id is a connection of its own.
  await connection(
    db,
    '7a1c2b1e-0000-4000-8000-00000000fffe',
    ids.fjerde,
    row!.client_id,
    'alm-brand',
    row!.environment as 'sandbox',
  );
}

describe.each(migrationEngines)('migration 0021 (connection owner) on $name', (engine) => {
  describe('with two connections on one client id, tenant and environment', () => {
    let db: Engine | undefined;
    let skipped = false;
    let before: Record<string, unknown>[] = [];

    beforeAll(async () => {
      if (!(await engine.available())) {
        skipped = true;
        return;
      }
      db = await upTo0021(engine);
      await connection(db, ids.firmaTryg, ids.firma, 'kladde-vvs', 'tryg', 'sandbox');
      await connection(
        db,
        ids.andetTryg,
        ids.andet,
        'Kladde-VVS',
        'tryg',
        'sandbox',
        '2026-02-01T08:00:00Z',
      );
      await connection(db, ids.firmaTrygProd, ids.firma, 'kladde-vvs', 'tryg', 'production');
      await connection(db, ids.andetCodan, ids.andet, 'kladde-andet', 'codan', 'production');
      await connection(db, ids.tredjeCodan, ids.tredje, 'kladde-andet', 'codan', 'production');
      await connection(db, ids.tredjeTopdanmark, ids.tredje, 'kladde-vvs', 'topdanmark', 'sandbox');
      await connection(db, ids.tredjeOther, ids.tredje, 'kladde-tredje', 'tryg', 'sandbox');
      before = await rowsOf(db);
    });
    afterAll(async () => {
      await db?.close();
    });

    it('stops before its index, listing every clashing connection and what to do', async (ctx) => {
      if (skipped) ctx.skip();
      const stopped = await failure(db!.inTransaction(statementsOf(migrationFiles[target]!)));
      expect(stopped.code).toBe('23505');
      const { message } = stopped;
      // Not PostgreSQL's own "could not create unique index": the guard's listing.
      expect(message).not.toMatch(/could not create unique index/);
      expect(message).toContain(
        'an Events API client id with its tenant and environment is held by more than one connection',
      );
      const lines = message.split('\n').filter((l) => l.startsWith('- '));
      expect(lines).toEqual([
        `- client_id 'kladde-andet', tenant codan, environment production: ` +
          `connection ${ids.andetCodan} (company ${ids.andet}, client_id 'kladde-andet'), ` +
          `connection ${ids.tredjeCodan} (company ${ids.tredje}, client_id 'kladde-andet')`,
        // Compared case-insensitively; the oldest connection first.
        `- client_id 'Kladde-VVS' / 'kladde-vvs', tenant tryg, environment sandbox: ` +
          `connection ${ids.firmaTryg} (company ${ids.firma}, client_id 'kladde-vvs'), ` +
          `connection ${ids.andetTryg} (company ${ids.andet}, client_id 'Kladde-VVS')`,
      ]);
      // Neither the same client id in the other environment nor with another tenant clashes.
      for (const id of [ids.firmaTrygProd, ids.tredjeTopdanmark, ids.tredjeOther])
        expect(message).not.toContain(id);
      expect(message).toContain('Nothing was changed.');
      expect(message).toContain('Delete or change all but one connection of each group');
      expect(message).toContain('docs/events-api.md, "One client id, one connection"');
    });

    it('changed nothing: every connection is as it was, and there is no index', async (ctx) => {
      if (skipped) ctx.skip();
      expect(await rowsOf(db!)).toEqual(before);
      expect(await rowsOf(db!)).toHaveLength(7);
      expect(await clientKeyIndex(db!)).toBeUndefined();
    });

    it('applies once support has deleted or changed one of each group', async (ctx) => {
      if (skipped) ctx.skip();
      await db!.query(`delete from scalepoint_connections where id = $1`, [ids.andetTryg]);
      await db!.query(
        `update scalepoint_connections set client_id = 'kladde-tredje-2' where id = $1`,
        [ids.tredjeCodan],
      );
      await db!.inTransaction(statementsOf(migrationFiles[target]!));
      expect(await clientKeyIndex(db!)).toMatch(
        /UNIQUE INDEX scalepoint_connections_client_key .*\(lower\(client_id\), tenant, environment\)/,
      );
      await expectIndexRefusesASecond(db!, ids.firmaTryg);
    });
  });

  describe('without a clash', () => {
    let db: Engine | undefined;
    let skipped = false;

    beforeAll(async () => {
      if (!(await engine.available())) {
        skipped = true;
        return;
      }
      db = await upTo0021(engine);
      await connection(db, ids.firmaTryg, ids.firma, 'kladde-vvs', 'tryg', 'sandbox');
      await connection(db, ids.firmaTrygProd, ids.firma, 'kladde-vvs', 'tryg', 'production');
      await connection(db, ids.andetCodan, ids.andet, 'kladde-vvs', 'codan', 'sandbox');
      await db.inTransaction(statementsOf(migrationFiles[target]!));
    });
    afterAll(async () => {
      await db?.close();
    });

    it('applies, keeps every connection and the per-company key, and the index refuses a second one', async (ctx) => {
      if (skipped) ctx.skip();
      expect(await rowsOf(db!)).toHaveLength(3);
      expect(await clientKeyIndex(db!)).toBeDefined();
      // The per-company key of migration 0007 stays beside it.
      const [company] = await db!.query<{ n: number }>(
        `select count(*)::int as n from pg_indexes where indexname = 'scalepoint_connections_company_tenant_env_key'`,
      );
      expect(company!.n).toBe(1);
      // Of another company, as Kladde had let support save it (the finding).
      await expectIndexRefusesASecond(db!, ids.firmaTryg);
      // A change into a held triple is refused the same way.
      expect(
        await failure(
          db!.query(`update scalepoint_connections set tenant = 'tryg' where id = $1`, [
            ids.andetCodan,
          ]),
        ),
      ).toMatchObject({ code: '23505', constraint: 'scalepoint_connections_client_key' });
    });
  });
});
