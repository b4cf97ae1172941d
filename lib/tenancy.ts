import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { isUuid } from './ids';

/**
 * Runs `fn` in a transaction that the database itself confines to one company: the role
 * switches to kladde_app (which row-level security applies to) and app.company_id is set —
 * both with set_config(…, true), so they end with the transaction and a pooled connection
 * (or a transaction-mode pooler) never carries them into someone else's work.
 * Every company page, action and delivery goes through here; the query layer's own
 * company filters stay as the first wall.
 */
export function inCompany<T>(db: Db, companyId: string, fn: (tx: Db) => Promise<T>): Promise<T> {
  if (!isUuid(companyId)) throw new Error('inCompany needs a company id');
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('role', 'kladde_app', true), set_config('app.company_id', ${companyId}, true)`);
    return fn(tx);
  });
}
