import { createHash } from 'node:crypto';
import { eq, inArray, lt, sql } from 'drizzle-orm';
import { rowsOf, type Db } from '@/db/client';
import { signInFailures } from '@/db/schema';
import { lockSignInAddress } from '@/lib/locks';

/**
 * The sign-in throttle (docs/security.md): 5 failures for one e-mail from one address, or 50 from
 * one address, within 15 minutes lock that pair (or that address) for 15 minutes from the failure
 * that reached the limit. Failures live in PostgreSQL, so every instance sees the same counts.
 */
export const SIGN_IN_LIMITS = { perEmail: 5, perAddress: 50, windowMinutes: 15 } as const;
const WINDOW_MS = SIGN_IN_LIMITS.windowMinutes * 60_000;

export type ThrottleKeys = { address: string; pair: string };

const digest = (s: string) => createHash('sha256').update(s).digest('base64url');

/** Hashed keys: the table never holds an address or an e-mail. */
export function throttleKeys(address: string, email: string): ThrottleKeys {
  return {
    address: `a:${digest(address)}`,
    pair: `e:${digest(`${address}\n${email.trim().toLowerCase()}`)}`,
  };
}

/**
 * Serialises attempts for one address within the caller's transaction, so parallel attempts are
 * counted one after another instead of all slipping past the check together.
 */
export async function lockKeys(tx: Db, keys: ThrottleKeys): Promise<void> {
  await lockSignInAddress(tx, keys.address);
}

/**
 * True while a lock is in force: some failure in the last 15 minutes was the limit-th failure
 * for its key within the 15 minutes before it.
 */
export async function isLocked(tx: Db, keys: ThrottleKeys, now: Date): Promise<boolean> {
  const since = new Date(now.getTime() - 2 * WINDOW_MS);
  const lockStart = new Date(now.getTime() - WINDOW_MS);
  const result = await tx.execute(sql`
    select exists (
      select 1 from (
        select key, at, count(*) over (
          partition by key order by at
          range between ${sql.raw(`interval '${SIGN_IN_LIMITS.windowMinutes} minutes'`)} preceding and current row
        ) as n
        from ${signInFailures}
        where key in (${keys.address}, ${keys.pair}) and at > ${since.toISOString()}::timestamptz and at <= ${now.toISOString()}::timestamptz
      ) w
      where w.at > ${lockStart.toISOString()}::timestamptz
        and ((w.key = ${keys.pair} and w.n >= ${SIGN_IN_LIMITS.perEmail})
          or (w.key = ${keys.address} and w.n >= ${SIGN_IN_LIMITS.perAddress}))
    ) as locked`);
  return rowsOf<{ locked: boolean }>(result)[0]?.locked === true;
}

/**
 * Counts an attempt as failed before the password is checked, so attempts racing in parallel see
 * each other; `forgetAttempt` takes it back when the password turns out right.
 */
export async function recordAttempt(tx: Db, keys: ThrottleKeys, now: Date): Promise<number[]> {
  await tx
    .delete(signInFailures)
    .where(lt(signInFailures.at, new Date(now.getTime() - 2 * WINDOW_MS)));
  const rows = await tx
    .insert(signInFailures)
    .values([
      { key: keys.address, at: now },
      { key: keys.pair, at: now },
    ])
    .returning({ id: signInFailures.id });
  return rows.map((r) => r.id);
}

export async function forgetAttempt(tx: Db, ids: number[]): Promise<void> {
  if (ids.length) await tx.delete(signInFailures).where(inArray(signInFailures.id, ids));
}

/** Tests and support: the failures counted for a key. */
export async function failuresFor(tx: Db, key: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(signInFailures)
    .where(eq(signInFailures.key, key));
  return row?.n ?? 0;
}
