import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { recoveryCodes, twoFactorKeys, users } from '@/db/schema';
import {
  fieldErrorsOf,
  refused,
  REFUSAL,
  type ActionRefused,
  type ActionResult,
} from '@/lib/action-result';
import { writeAudit, writeCommandAudit } from '@/lib/audit';
import { decryptSecret, encryptSecret, macSecret, macUnderKeyOf, sameSecret } from '@/lib/crypto';
import { registerOperation } from '@/lib/door';
import { log } from '@/lib/log';
import { normaliseEmail } from '@/lib/people/email-address';
import { asSystem } from '@/lib/tenancy';
import { NotFoundError, type Actor, type PendingSignIn } from './actor';
import { clientAddress } from './client-address';
import { TOO_MANY_MESSAGE } from './messages';
import { newRecoveryCodes, normaliseRecoveryCode } from './recovery-codes';
import { completeSecondStep, endSessionsOf } from './sessions';
import { forgetAttempt, isLocked, lockKeys, recordAttempt, throttleKeys } from './throttle';
import { acceptedStep, newTotpKey, totpUri } from './totp';

/**
 * Two-step verification (docs/security.md, "Two-step verification"): a TOTP key per person,
 * encrypted at rest, set up by showing the key and confirming one code; 10 recovery codes shown
 * once; the second sign-in step; Slå fra; an admin's reset and support's command. The key and
 * codes live in tables only the system door reaches ('two-factor'), always confined to one
 * user's id.
 */
export const WRONG_CODE = 'Koden er forkert.';
export const SUPPORT_KEEPS_TWO_FACTOR = 'Supportbrugere skal altid have to-trinsbekræftelse.';

/**
 * What a two-step form posts: a code (from the app, or a recovery code) as text of a sane length
 * without control characters. A missing code is an empty one (wrong); anything else is refused in
 * Danish before a code is looked at (docs/security.md, "Hostile input").
 */
export const codeInput = z.object(
  {
    code: z
      .string({ error: 'Koden skal være tekst.' })
      .max(100, 'Koden er for lang.')
      .refine(
        (s) => !/[\u0000-\u001f\u007f]/.test(s),
        'Koden indeholder et tegn, der ikke er tilladt.',
      )
      .default(''),
  },
  { error: 'Formularen er ikke udfyldt rigtigt.' },
);

/** The posted code, or the refusal of a value that is not one. */
export function parseCode(raw: unknown): string | ActionRefused {
  const parsed = codeInput.safeParse(raw);
  if (parsed.success) return parsed.data.code;
  return refused(fieldErrorsOf(parsed.error.issues));
}

export type TwoFactorStatus = { enabled: boolean; recoveryCodesLeft: number };

export async function twoFactorStatus(db: Db, userId: string): Promise<TwoFactorStatus> {
  return asSystem(db, 'two-factor', async (tx) => {
    const [key] = await tx
      .select({ enabledAt: twoFactorKeys.enabledAt })
      .from(twoFactorKeys)
      .where(eq(twoFactorKeys.userId, userId));
    if (!key?.enabledAt) return { enabled: false, recoveryCodesLeft: 0 };
    const [codes] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(recoveryCodes)
      .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
    return { enabled: true, recoveryCodesLeft: codes?.n ?? 0 };
  });
}

export type SetupKey = { key: string; uri: string };

/**
 * The key being set up for `who`, made when `start` (Slå til; a support user's first sign-in) and
 * none is waiting. Null when two-step verification is already on, or nothing was started.
 * `key` is a key chosen by the caller instead of a random one: only the e2e server gives one, to
 * enrol its own support user (scripts/e2e-server.ts).
 */
export async function setupKeyFor(
  db: Db,
  who: Pick<Actor, 'userId' | 'email'>,
  options: { start: boolean; key?: string },
  now = new Date(),
): Promise<SetupKey | null> {
  return asSystem(db, 'two-factor', async (tx) => {
    const [row] = await tx
      .select({ secret: twoFactorKeys.secret, enabledAt: twoFactorKeys.enabledAt })
      .from(twoFactorKeys)
      .where(eq(twoFactorKeys.userId, who.userId));
    if (row?.enabledAt) return null;
    if (row) {
      const key = decryptSecret(row.secret);
      return { key, uri: totpUri(key, who.email) };
    }
    if (!options.start) return null;
    const key = options.key ?? newTotpKey();
    // Two tabs starting at once: one key wins, both show it.
    const [made] = await tx
      .insert(twoFactorKeys)
      .values({ userId: who.userId, secret: encryptSecret(key), createdAt: now })
      .onConflictDoNothing()
      .returning({ secret: twoFactorKeys.secret });
    const kept = made
      ? key
      : decryptSecret(
          (
            await tx
              .select({ secret: twoFactorKeys.secret })
              .from(twoFactorKeys)
              .where(eq(twoFactorKeys.userId, who.userId))
          )[0]!.secret,
        );
    return { key: kept, uri: totpUri(kept, who.email) };
  });
}

/** Annuller during setup: the waiting key is forgotten (an enabled one is never touched here). */
export async function cancelSetup(db: Db, userId: string): Promise<void> {
  await asSystem(db, 'two-factor', (tx) =>
    tx
      .delete(twoFactorKeys)
      .where(and(eq(twoFactorKeys.userId, userId), isNull(twoFactorKeys.enabledAt))),
  );
}

const recoveryInput = (userId: string, code: string) => `${userId}:${code}`;

/**
 * Whether `code` is right for the user's enabled key, using it up: a TOTP code for a step after
 * the last one accepted, or an unused recovery code. Call inside the system door; the key's row is
 * locked, so two requests with one code cannot both be let in.
 */
async function useCode(
  tx: Db,
  userId: string,
  code: string,
  now: Date,
): Promise<'totp' | 'recovery' | null> {
  const [key] = await tx
    .select({ secret: twoFactorKeys.secret, lastStep: twoFactorKeys.lastStep })
    .from(twoFactorKeys)
    .where(and(eq(twoFactorKeys.userId, userId), isNotNull(twoFactorKeys.enabledAt)))
    .for('update');
  if (!key) return null;
  const step = acceptedStep(decryptSecret(key.secret), code, now, key.lastStep);
  if (step !== null) {
    await tx.update(twoFactorKeys).set({ lastStep: step }).where(eq(twoFactorKeys.userId, userId));
    return 'totp';
  }
  const recovery = normaliseRecoveryCode(code);
  if (!recovery) return null;
  const unused = await tx
    .select({ id: recoveryCodes.id, hash: recoveryCodes.codeHash })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  const input = recoveryInput(userId, recovery);
  const match = unused.find((r) => {
    const mac = macUnderKeyOf(r.hash, input);
    return mac !== null && sameSecret(mac, r.hash);
  });
  if (!match) return null;
  await tx.update(recoveryCodes).set({ usedAt: now }).where(eq(recoveryCodes.id, match.id));
  return 'recovery';
}

async function replaceRecoveryCodes(tx: Db, userId: string, now: Date): Promise<string[]> {
  const codes = newRecoveryCodes();
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await tx.insert(recoveryCodes).values(
    codes.map((code) => ({
      userId,
      codeHash: macSecret(recoveryInput(userId, code)),
      createdAt: now,
    })),
  );
  return codes;
}

/**
 * Bekræft during setup: the code from the app for the waiting key turns two-step verification on
 * and makes 10 recovery codes, returned once. A support user's sign-in that waited for this setup
 * is signed in from here on.
 */
export async function confirmSetup(
  db: Db,
  who: (Actor & { sessionId?: string }) | PendingSignIn,
  raw: unknown,
  now = new Date(),
): Promise<ActionResult<{ recoveryCodes: string[] }>> {
  const code = parseCode(raw);
  if (typeof code !== 'string') return code;
  return asSystem(db, 'two-factor', async (tx) => {
    const [key] = await tx
      .select({ secret: twoFactorKeys.secret, enabledAt: twoFactorKeys.enabledAt })
      .from(twoFactorKeys)
      .where(eq(twoFactorKeys.userId, who.userId))
      .for('update');
    if (!key) return { ok: false, message: 'Start opsætningen igen: der venter ingen nøgle.' };
    if (key.enabledAt) return { ok: false, message: 'To-trinsbekræftelse er allerede slået til.' };
    const step = acceptedStep(decryptSecret(key.secret), code, now, null);
    if (step === null) return refused({ code: WRONG_CODE }, WRONG_CODE);
    await tx
      .update(twoFactorKeys)
      .set({ enabledAt: now, lastStep: step })
      .where(eq(twoFactorKeys.userId, who.userId));
    const codes = await replaceRecoveryCodes(tx, who.userId, now);
    if (who.sessionId && 'step' in who && who.step === 'setup')
      await completeSecondStep(tx, who.sessionId, 'setup', now);
    await writeAudit(tx, who, who.companyId, 'user.two_factor_enabled', { userId: who.userId });
    return {
      ok: true,
      message: 'To-trinsbekræftelse er slået til.',
      data: { recoveryCodes: codes },
    };
  });
}

/** 'expired': the code was right, but the sign-in it was for ran out of time (start again). */
export type CodeCheck = 'ok' | 'wrong' | 'throttled' | 'expired';

/**
 * A code checked under the sign-in throttle (docs/security.md): a wrong code counts as a failed
 * sign-in for the person's e-mail from this address, and a locked pair or address is refused
 * before the code is looked at. `then` runs, in the same transaction, only for a right code.
 */
async function checkCodeThrottled(
  db: Db,
  who: { userId: string; email: string },
  code: string,
  address: string,
  now: Date,
  then: (tx: Db, used: 'totp' | 'recovery') => Promise<'ok' | 'expired'>,
): Promise<CodeCheck> {
  const keys = throttleKeys(address, who.email);
  const result = await asSystem(db, 'two-factor', async (tx) => {
    await lockKeys(tx, keys);
    if (await isLocked(tx, keys, now)) return 'throttled' as const;
    const attempt = await recordAttempt(tx, keys, now);
    const used = await useCode(tx, who.userId, code, now);
    if (!used) return 'wrong' as const;
    await forgetAttempt(tx, attempt);
    return then(tx, used);
  });
  if (result !== 'ok') log.warn('two-factor.refused', { result });
  return result;
}

/** Bekræft on the second sign-in step: a right code (or recovery code) signs the session in. */
export async function confirmSignInCode(
  db: Db,
  pending: PendingSignIn,
  code: string,
  address: string,
  now = new Date(),
): Promise<CodeCheck> {
  if (pending.step !== 'code') return 'wrong';
  return checkCodeThrottled(db, pending, code, address, now, async (tx, used) => {
    if (!(await completeSecondStep(tx, pending.sessionId, 'code', now))) return 'expired';
    if (used === 'recovery')
      await writeAudit(tx, pending, pending.companyId, 'user.recovery_code_used', {
        userId: pending.userId,
      });
    return 'ok';
  });
}

/** The second sign-in step from what was posted: a value that is no code is refused in Danish. */
export async function confirmSignInCodeFrom(
  db: Db,
  pending: PendingSignIn,
  raw: unknown,
  address: string,
  now = new Date(),
): Promise<CodeCheck | ActionRefused> {
  const code = parseCode(raw);
  if (typeof code !== 'string') return code;
  return confirmSignInCode(db, pending, code, address, now);
}

async function removeTwoFactor(tx: Db, userId: string): Promise<boolean> {
  const gone = await tx
    .delete(twoFactorKeys)
    .where(eq(twoFactorKeys.userId, userId))
    .returning({ userId: twoFactorKeys.userId });
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  return gone.length > 0;
}

/** Slå fra (Min konto): admins and members, with a code from the app or a recovery code; never support. */
export async function disableTwoFactor(
  db: Db,
  actor: Actor | null,
  raw: unknown,
  address: string,
  now = new Date(),
): Promise<ActionResult> {
  if (!actor) throw new NotFoundError();
  if (actor.role === 'support') return { ok: false, message: SUPPORT_KEEPS_TWO_FACTOR };
  const code = parseCode(raw);
  if (typeof code !== 'string') return code;
  const check = await checkCodeThrottled(db, actor, code, address, now, async (tx) => {
    await removeTwoFactor(tx, actor.userId);
    await writeAudit(tx, actor, actor.companyId, 'user.two_factor_disabled', {
      userId: actor.userId,
    });
    return 'ok';
  });
  if (check === 'throttled') return { ok: false, message: TOO_MANY_MESSAGE };
  if (check !== 'ok') return refused({ code: WRONG_CODE }, REFUSAL.unchanged);
  return { ok: true, message: 'To-trinsbekræftelse er slået fra.' };
}

/**
 * Nulstil to-trinsbekræftelse for one user, inside the caller's transaction (an admin's door):
 * key and codes removed, every session of the user ended. False if it was not on.
 */
export async function resetTwoFactorOf(tx: Db, userId: string, now: Date): Promise<boolean> {
  const removed = await asSystem(tx, 'two-factor', (t) => removeTwoFactor(t, userId));
  if (removed) await endSessionsOf(tx, userId, { now, reason: 'two_factor_reset' });
  return removed;
}

/**
 * `npm run support:reset-two-factor -- <e-mail>`: a support user who lost the authenticator sets
 * it up again at the next sign-in. Support users only (a company's people ask their admin);
 * audited as the command; the user's sessions end.
 */
export async function resetSupportTwoFactorFromCommand(
  db: Db,
  email: string,
  now = new Date(),
): Promise<{ ok: true; name: string; wasOn: boolean } | { ok: false; message: string }> {
  const address = normaliseEmail(email);
  return asSystem(db, 'two-factor', async (tx) => {
    const [user] = await tx
      .select({ id: users.id, name: users.name, role: users.role })
      .from(users)
      .where(sql`lower(${users.email}) = ${address}`);
    if (!user) return { ok: false, message: `Ingen bruger har e-mailen ${address}.` };
    if (user.role !== 'support')
      return {
        ok: false,
        message:
          'Brugeren er ikke en supportbruger: en virksomheds administrator nulstiller to-trinsbekræftelse på brugerens side.',
      };
    const wasOn = await removeTwoFactor(tx, user.id);
    const ended = await endSessionsOf(tx, user.id, { now, reason: 'two_factor_reset' });
    await writeCommandAudit(tx, 'user.two_factor_reset', {
      userId: user.id,
      email: address,
      wasOn,
      sessionsEnded: ended,
      by: 'npm run support:reset-two-factor',
    });
    return { ok: true, name: user.name, wasOn };
  });
}

// The hostile-input test's way in (lib/door.ts, `registerOperation`): each action of the two-step
// forms, run for the actor the test signs in as, from an address a request without one gets.
const NO_ADDRESS = clientAddress(undefined, 0);
registerOperation('user.twoFactor.confirmSetup', {
  kind: 'action',
  roles: ['admin', 'member', 'support'],
  input: codeInput,
  run: async (db, actor, raw, now) => {
    if (!actor) throw new NotFoundError();
    return confirmSetup(db, actor, raw, now);
  },
});
registerOperation('user.twoFactor.disable', {
  kind: 'action',
  roles: ['admin', 'member'],
  input: codeInput,
  run: (db, actor, raw, now) => disableTwoFactor(db, actor, raw, NO_ADDRESS, now),
});
registerOperation('user.signIn.confirmCode', {
  kind: 'action',
  roles: ['admin', 'member', 'support'],
  input: codeInput,
  run: async (db, actor, raw, now) => {
    if (!actor) throw new NotFoundError();
    // The actor as a sign-in waiting for its code, on a session no right code will be given for.
    const pending: PendingSignIn = {
      ...actor,
      sessionId: '00000000-0000-0000-0000-000000000000',
      step: 'code',
    };
    const check = await confirmSignInCodeFrom(db, pending, raw, NO_ADDRESS, now);
    return typeof check === 'string'
      ? check === 'ok'
        ? { ok: true }
        : { ok: false, message: check === 'throttled' ? TOO_MANY_MESSAGE : WRONG_CODE }
      : check;
  },
});
