/**
 * Every transaction-scoped advisory lock Kladde takes, with its key, in one place. Each lock is
 * released when the caller's transaction ends (so it also holds behind a transaction-mode pooler).
 * A key is hashed with hashtextextended into PostgreSQL's one bigint lock space, so each kind of
 * lock gets its own prefix; two callers that must exclude each other use the same function.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';

async function lock(tx: Db, key: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}

/**
 * One Scalepoint case of one company: the direct intake and the Events API take the same lock,
 * so a case becomes one draft across both channels (docs/intake.md, docs/events-api.md).
 */
export const lockCase = (tx: Db, companyId: string, caseNumber: string) =>
  lock(tx, `case:${companyId}:${caseNumber}`);

/**
 * Several cases of one company in one statement (a batch of Events API events): the same keys as
 * `lockCase`, taken in one fixed order (sorted) so two batches cannot deadlock on each other.
 */
export async function lockCases(
  tx: Db,
  companyId: string,
  caseNumbers: readonly string[],
): Promise<void> {
  const keys = [...new Set(caseNumbers)].map((c) => `case:${companyId}:${c}`).sort();
  if (!keys.length) return;
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(k, 0)) from json_array_elements_text(${JSON.stringify(keys)}::json) as k`,
  );
}

/** One insurer customer of one company, by its name key: its look-up and creation (docs/intake.md). */
export const lockInsurer = (tx: Db, companyId: string, nameKey: string) =>
  lock(tx, `insurer:${companyId}:${nameKey}`);

/** The access mail to Scalepoint of one company: at most one send a minute (docs/scalepoint-mail.md). */
export const lockAccessMail = (tx: Db, companyId: string) =>
  lock(tx, `scalepoint-mail:${companyId}`);

/** Sign-in attempts from one client address, by its hashed throttle key (docs/security.md). */
export const lockSignInAddress = (tx: Db, addressKey: string) => lock(tx, addressKey);

/**
 * The people of one company (or of support, with `null`): role changes, deactivations and
 * reactivations take it, so two admins demoting each other at once leave one (docs/people.md).
 */
export const lockPeople = (tx: Db, companyId: string | null) =>
  lock(tx, `people:${companyId ?? 'support'}`);
