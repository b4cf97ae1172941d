import { is, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { rowsOf, type Db } from '@/db/client';
import { isUuid } from './ids';
import { log } from './log';
import { pipelinedTransaction, postgresClientOf } from './platform/postgres-pipeline';

/**
 * The two doors to company data (docs/tenancy.md).
 *
 * The app's connections start as kladde_app (db/client.ts), which owns nothing and is subject
 * to row-level security: a query outside these doors sees no company rows at all.
 *
 * `inCompany` runs `fn` in a transaction that the database itself confines to one company: the
 * role is (again) kladde_app and app.company_id is set — both with set_config(…, true), so they
 * end with the transaction and a pooled connection (or a transaction-mode pooler) never carries
 * them into someone else's work.
 * Every company page, action and delivery goes through here; the query layer's own company
 * filters stay as the first wall.
 */
export function inCompany<T>(db: Db, companyId: string, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(companyDoor(companyId));
    return fn(tx);
  });
}

function companyDoor(companyId: string): SQL {
  if (!isUuid(companyId)) throw new Error('inCompany needs a company id');
  return sql`select set_config('role', 'kladde_app', true), set_config('app.company_id', ${companyId}, true)`;
}

/**
 * The system door's settings: the owner's role, no company, and the reason, which a query can read
 * (`current_setting('app.system_reason')`) and `pg_stat_activity`'s transaction shows; one
 * statement, as before. With KLADDE_LOG=debug each opening is also a log line.
 */
function systemDoor(reason: SystemReason): SQL {
  log.debug('system.door', { reason });
  // A literal, not a parameter: the reasons are a closed list of words (checked here), and the
  // door stays the parameter-free statement the one-write path sends (docs/resilience.md).
  if (!/^[a-z-]+$/.test(reason)) throw new Error(`asSystem: not a reason: ${reason}`);
  return sql.raw(
    `select set_config('role', 'none', true), set_config('app.company_id', '', true), set_config('app.system_reason', '${reason}', true)`,
  );
}

/** The raw rows of one statement, keyed by the names the statement gives its columns. */
export type Rows = Record<string, unknown>[];

/**
 * `inCompany` for work known in full before it starts: statements that need no answer from one
 * another (the intake's hot path, docs/performance.md). Over postgres.js, begin, the door's
 * settings, every statement and commit leave in one write on one reserved connection: one round
 * trip for the whole transaction. PostgreSQL runs them in order under the same row-level
 * security as `inCompany`; when one fails, the transaction is aborted, the commit becomes a
 * rollback and this throws that statement's error — all or nothing, as ever.
 *
 * Since the commit is sent with the work, a statement must not quietly do nothing where the
 * caller would have rolled back: no ON CONFLICT DO NOTHING here, let the unique index raise.
 * Returns each statement's raw rows (name the columns with `as`). On PGlite the same statements
 * run one by one in an ordinary transaction. It always opens its own transaction: inside another
 * it refuses (a savepoint would leave the door's role and company to the outer transaction).
 */
export function inCompanyAtOnce(
  db: Db,
  companyId: string,
  statements: SQLWrapper[],
): Promise<Rows[]> {
  return atOnce(db, companyDoor(companyId), statements);
}

/** `asSystem` for work known in full before it starts; see {@link inCompanyAtOnce}. */
export function asSystemAtOnce(
  db: Db,
  reason: SystemReason,
  statements: SQLWrapper[],
): Promise<Rows[]> {
  return atOnce(db, systemDoor(reason), statements);
}

async function atOnce(db: Db, door: SQL, statements: SQLWrapper[]): Promise<Rows[]> {
  if (is(db, PgTransaction))
    throw new Error(
      'inCompanyAtOnce/asSystemAtOnce open their own transaction: call them with the pool',
    );
  const client = postgresClientOf(db);
  if (!client) {
    return db.transaction(async (tx) => {
      await tx.execute(door);
      const results: Rows[] = [];
      for (const statement of statements)
        results.push(rowsOf(await tx.execute(statement.getSQL())));
      return results;
    });
  }
  // One write, by hand over postgres.js: a workaround, kept in lib/platform/postgres-pipeline.ts.
  return pipelinedTransaction(client, door, statements);
}

/**
 * Why a piece of work may cross companies. Each reason is one of the few paths that must see
 * more than one company's rows (or no company yet): grep `asSystem(` to audit them all.
 */
export type SystemReason =
  | 'sign-in' // credentials check and the sign-in throttle
  | 'actor' // re-reading who the session belongs to
  | 'intake-account' // the intake's account look-up (selects the company)
  | 'support' // support's pages and actions over every company
  | 'poller' // the Events API receiver
  | 'sender' // the Events API sender (lib/scalepoint/outbound/sender.ts)
  | 'background' // the background room's leases (lib/background)
  | 'deadlines' // the deadlines sweep: re-dates and the morning mail (lib/scalepoint/deadlines)
  | 'health' // readiness: the schema answers
  | 'invitation' // an invitation link opened or accepted by someone not yet signed in
  | 'people' // the support:invite command, the order-type name sweep, ending a user's sessions
  | 'password-reset' // Glemt adgangskode? and the reset page (nobody signed in)
  | 'account' // Min konto: a signed-in user's own row (support has no company)
  | 'two-factor' // a user's TOTP key and recovery codes (setup, the second sign-in step, resets)
  | 'seed'
  | 'maintenance'; // scripts: bench, fault drills

/**
 * The one named door for cross-company work: a transaction that runs as the login role (the
 * tables' owner, which row-level security does not bind) — `SET LOCAL ROLE NONE`, ended with
 * the transaction — without a company. Nothing outside the reasons above may use it.
 * Called inside another transaction (a savepoint), it puts the outer role and company back when
 * it is done, so the rest of the outer transaction is not left running as the owner.
 */
export async function asSystem<T>(
  db: Db,
  reason: SystemReason,
  fn: (tx: Db) => Promise<T>,
): Promise<T> {
  if (!is(db, PgTransaction)) {
    return db.transaction(async (tx) => {
      await tx.execute(systemDoor(reason));
      return fn(tx);
    });
  }
  const [outer] = rowsOf<{ role: string; company: string; reason: string }>(
    await db.execute(
      sql`select current_setting('role') as role, coalesce(current_setting('app.company_id', true), '') as company, coalesce(current_setting('app.system_reason', true), '') as reason`,
    ),
  );
  return db.transaction(async (tx) => {
    await tx.execute(systemDoor(reason));
    const result = await fn(tx);
    await tx.execute(
      sql`select set_config('role', ${outer!.role}, true), set_config('app.company_id', ${outer!.company}, true), set_config('app.system_reason', ${outer!.reason}, true)`,
    );
    return result;
  });
}
