import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { companies, users } from '@/db/schema';
import { log } from '@/lib/log';
import { asSystem } from '@/lib/tenancy';
import { loginSchema } from './login-schema';
import { verifyPassword } from './password';
import { forgetAttempt, isLocked, lockKeys, recordAttempt, throttleKeys } from './throttle';

export type SignInResult =
  { ok: true; userId: string } | { ok: false; reason: 'invalid' | 'throttled' };

/**
 * One sign-in attempt from a client address (docs/security.md). A locked e-mail/address is
 * refused before the password is looked at (the right password too). Otherwise the attempt is
 * counted as failed up front, the password is compared outside any transaction (no pooled
 * connection waits on bcrypt), and the count is taken back if it was right. An unknown e-mail
 * costs one compare against a dummy hash, like a wrong password.
 */
export async function signInAttempt(
  db: Db,
  input: unknown,
  address: string,
  now = new Date(),
): Promise<SignInResult> {
  const raw = input as { email?: unknown } | null | undefined;
  const keys = throttleKeys(address, typeof raw?.email === 'string' ? raw.email : '');
  const attempt = await asSystem(db, 'sign-in', async (tx) => {
    await lockKeys(tx, keys);
    if (await isLocked(tx, keys, now)) return null;
    const ids = await recordAttempt(tx, keys, now);
    return ids;
  });
  if (!attempt) {
    // Hashed keys only: enough to see one client hammering, no address or e-mail in the log.
    log.warn('sign-in.throttled', {
      address: keys.address.slice(0, 14),
      pair: keys.pair.slice(0, 14),
    });
    return { ok: false, reason: 'throttled' };
  }
  const userId = await checkCredentials(db, input);
  if (!userId) return { ok: false, reason: 'invalid' };
  await asSystem(db, 'sign-in', (tx) => forgetAttempt(tx, attempt));
  return { ok: true, userId };
}

/** The user id for a correct e-mail and password, else null. No throttle: use signInAttempt. */
export async function checkCredentials(db: Db, input: unknown): Promise<string | null> {
  const parsed = loginSchema.safeParse(input);
  if (!parsed.success) {
    await verifyPassword('', null); // same cost as a wrong password
    return null;
  }
  // Sign-in comes before any company: the system door, released before the slow hash compare.
  const [user] = await asSystem(db, 'sign-in', (tx) =>
    tx
      .select({
        id: users.id,
        passwordHash: users.passwordHash,
        status: users.status,
        companyDeactivatedAt: companies.deactivatedAt,
      })
      .from(users)
      .leftJoin(companies, eq(companies.id, users.companyId))
      .where(sql`lower(${users.email}) = ${parsed.data.email}`)
      .limit(1),
  );
  // An invited, deactivated or company-deactivated user costs the same compare and gets the same
  // answer as a wrong password (docs/people.md).
  const ok = await verifyPassword(parsed.data.password, user?.passwordHash);
  return ok && user && user.status === 'active' && !user.companyDeactivatedAt ? user.id : null;
}
