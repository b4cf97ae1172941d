import { is, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { rowsOf, type Db } from '@/db/client';
import { isUuid } from './ids';

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
  if (!isUuid(companyId)) throw new Error('inCompany needs a company id');
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('role', 'kladde_app', true), set_config('app.company_id', ${companyId}, true)`);
    return fn(tx);
  });
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
  | 'health' // readiness: the schema answers
  | 'seed'
  | 'maintenance'; // scripts: bench, fault drills

/**
 * The one named door for cross-company work: a transaction that runs as the login role (the
 * tables' owner, which row-level security does not bind) — `SET LOCAL ROLE NONE`, ended with
 * the transaction — without a company. Nothing outside the reasons above may use it.
 * Called inside another transaction (a savepoint), it puts the outer role and company back when
 * it is done, so the rest of the outer transaction is not left running as the owner.
 */
export async function asSystem<T>(db: Db, reason: SystemReason, fn: (tx: Db) => Promise<T>): Promise<T> {
  void reason;
  if (!is(db, PgTransaction)) {
    return db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('role', 'none', true), set_config('app.company_id', '', true)`);
      return fn(tx);
    });
  }
  const [outer] = rowsOf<{ role: string; company: string }>(
    await db.execute(sql`select current_setting('role') as role, coalesce(current_setting('app.company_id', true), '') as company`),
  );
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('role', 'none', true), set_config('app.company_id', '', true)`);
    const result = await fn(tx);
    await tx.execute(sql`select set_config('role', ${outer!.role}, true), set_config('app.company_id', ${outer!.company}, true)`);
    return result;
  });
}
