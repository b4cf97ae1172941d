import type { SQL, SQLWrapper } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Sql } from 'postgres';
import type { Db } from '@/db/client';

/**
 * WORKAROUND: a whole transaction in one write, by hand, over postgres.js.
 *
 * What it works around: postgres.js's own transaction (`sql.begin`, which drizzle's
 * `db.transaction` uses) waits for BEGIN's answer before it runs the work and for the work before
 * COMMIT; pipelining is only for the queries the callback returns together
 * (porsager/postgres#951 asks for more). The intake's transactions are known in full before they
 * start, so this sends begin, the door's settings, every statement and commit itself, with
 * `unsafe()` on one reserved connection, relying on two things postgres.js does not promise:
 * queries issued back to back on one connection leave in one socket write (its `write()` buffers
 * them until `setImmediate`), and a statement with parameters is pipelined only once it is
 * prepared on that connection (the first time, postgres.js waits for its description). PostgreSQL
 * itself turns the COMMIT after a failed statement into a ROLLBACK, which makes it all or nothing.
 * Releasing a connection that closed meanwhile is safe only with patches/postgres+3.4.9.patch
 * (lib/platform/postgres-patch.ts). Known limit: with prepared statements off (behind a
 * transaction-mode pooler, db/client.ts) every statement with parameters waits for its
 * description first, so there the transaction costs a round trip per such statement.
 *
 * When it can go: when postgres.js (or drizzle's postgres-js driver) sends BEGIN and COMMIT in the
 * same write as a transaction's work, or when the intake no longer counts round trips
 * (docs/performance.md, "What changed, and what each gave"). Check on each postgres.js upgrade
 * that the pinning test still passes: a change to postgres.js's write buffering breaks it quietly.
 *
 * Pinned by: tests/integration/postgres-pipeline.test.ts, "sends begin, the door, every statement
 * and commit in one write" (the one round trip); its meaning — confined, all or nothing, a lost
 * connection — by tests/integration/row-level-security.test.ts, "the one-write doors
 * (inCompanyAtOnce / asSystemAtOnce)".
 *
 * Used by `inCompanyAtOnce` / `asSystemAtOnce` in lib/tenancy.ts (docs/tenancy.md, "The two doors").
 */

/** The postgres.js client under the database; null for PGlite. */
export function postgresClientOf(db: Db): Sql | null {
  const client = (db as { $client?: Partial<Sql> }).$client;
  return client && typeof client.reserve === 'function' ? (client as Sql) : null;
}

const dialect = new PgDialect();

/**
 * Begin, `opening`, every statement and commit, sent together on a connection reserved for them;
 * returns each statement's raw rows (not the opening's). The first failure is thrown, and the
 * transaction is then rolled back by PostgreSQL.
 */
export async function pipelinedTransaction(
  client: Sql,
  opening: SQL,
  statements: SQLWrapper[],
): Promise<Record<string, unknown>[][]> {
  const queries = statements.map((s) => dialect.sqlToQuery(s.getSQL()));
  const door = dialect.sqlToQuery(opening);
  // Prepared (named) statements unless a transaction-mode pooler forbids them (db/client.ts).
  const prepare = client.options.prepare;
  const connection = await reserve(client);
  const settled = await Promise.allSettled([
    connection.unsafe('begin'),
    connection.unsafe(door.sql, door.params as never[], { prepare }),
    ...queries.map((q) => connection.unsafe(q.sql, q.params as never[], { prepare })),
    connection.unsafe('commit'),
  ]);
  // Safe after a lost connection too: patches/postgres+3.4.9.patch (docs/resilience.md).
  connection.release();
  // The first failure is the cause; every statement after it only says the transaction was aborted.
  const failure = settled.find((s) => s.status === 'rejected');
  if (failure) throw failure.reason;
  const results = settled.map(
    (s) => (s as PromiseFulfilledResult<Record<string, unknown>[] & { command?: string }>).value,
  );
  if (results.at(-1)!.command !== 'COMMIT')
    throw new Error(`transaction ended with ${results.at(-1)!.command}, not COMMIT`);
  return results.slice(2, -1).map((rows) => Array.from(rows));
}

/** How long a transaction waits for a connection of its own before the caller answers "try again". */
const RESERVE_TIMEOUT_MS = 5_000;

/**
 * A connection of the pool for this transaction alone, waited for at most 5 s: a pool that cannot
 * give one (the database down, every connection busy) ends as a CONNECT_TIMEOUT, worth a retry
 * (the intake answers 503), and a connection that arrives after all goes straight back.
 */
async function reserve(client: Sql) {
  const reserving = client.reserve();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          Object.assign(new Error('no database connection free in time'), {
            code: 'CONNECT_TIMEOUT',
          }),
        ),
      RESERVE_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([reserving, timeout]);
  } catch (e) {
    reserving.then(
      (late) => late.release(),
      () => {},
    );
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
