import { eq, sql } from 'drizzle-orm';
import { companies, scalepointCredentials } from '@/db/schema/index';
import { REFUSAL, type ActionResult } from '@/lib/action-result';
import { refuse, supportAction } from '@/lib/door';
import { decryptSecret, encryptSecret } from '@/lib/crypto';
import { formatDateTime } from '@/lib/format';
import { isUniqueViolation } from '@/lib/db-errors';
import { companyRefSchema } from './connection-schema';
import { credentialsSchema } from './credentials-schema';
import { credentialAnswers } from './words';

/** How long a replaced signing secret keeps working, so Scalepoint can switch without lost deliveries. */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 60 * 60 * 1000;

const last4 = (s: string) => s.slice(-4);

/**
 * Support stores (or replaces) a company's credentials. The secret is encrypted before it
 * reaches the database; a replaced secret stays valid for 24 hours. Credentials and audit row
 * land together.
 */
export const storeCredentials = supportAction(
  { name: 'support.storeCredentials', input: credentialsSchema },
  async ({ tx, actor, input, now, audit }) => {
    const { companyId, accountId, secret } = input;
    const [company] = await tx
      .select({ id: companies.id })
      .from(companies)
      .where(eq(companies.id, companyId));
    if (!company) refuse(actor, 'support.storeCredentials', companyId);

    const takenError: ActionResult = {
      ok: false,
      message: REFUSAL.unchanged,
      fieldErrors: { accountId: credentialAnswers.accountTaken },
    };
    const [taken] = await tx
      .select({ companyId: scalepointCredentials.companyId })
      .from(scalepointCredentials)
      .where(
        sql`${scalepointCredentials.accountId} = ${accountId} and ${scalepointCredentials.companyId} <> ${companyId}`,
      );
    if (taken) return takenError;

    const [existing] = await tx
      .select({
        accountId: scalepointCredentials.accountId,
        secretEnc: scalepointCredentials.secretEnc,
        previousSecretEnc: scalepointCredentials.previousSecretEnc,
        previousValidUntil: scalepointCredentials.previousValidUntil,
      })
      .from(scalepointCredentials)
      .where(eq(scalepointCredentials.companyId, companyId))
      .for('update');
    const sameSecret = existing ? safeDecrypt(existing.secretEnc) === secret : false;
    // A second new secret within the grace period would drop the previous one, which Scalepoint
    // may still sign with: refused until support revokes it or the grace ends (docs/support-scalepoint.md).
    if (
      existing &&
      !sameSecret &&
      existing.previousSecretEnc &&
      existing.previousValidUntil &&
      existing.previousValidUntil > now
    ) {
      const until = formatDateTime(existing.previousValidUntil);
      return {
        ok: false,
        message: REFUSAL.unchanged,
        fieldErrors: {
          secret: credentialAnswers.previousStillValid(until),
        },
      };
    }
    const values = {
      accountId,
      secretEnc: sameSecret && existing ? existing.secretEnc : encryptSecret(secret),
      secretLast4: last4(secret),
      // A new secret moves the old one to "previous" for the grace period.
      previousSecretEnc:
        existing && !sameSecret ? existing.secretEnc : (existing?.previousSecretEnc ?? null),
      previousValidUntil:
        existing && !sameSecret
          ? new Date(now.getTime() + PREVIOUS_SECRET_GRACE_MS)
          : (existing?.previousValidUntil ?? null),
      storedAt: now,
      storedBy: actor.userId,
    };
    // A concurrent save of the same konto-id for another company loses on the unique index;
    // the savepoint keeps the transaction usable so the answer can be a field error.
    try {
      await tx.transaction((sp) =>
        sp
          .insert(scalepointCredentials)
          .values({ companyId, ...values })
          .onConflictDoUpdate({ target: scalepointCredentials.companyId, set: values }),
      );
    } catch (e) {
      if (isUniqueViolation(e)) return takenError;
      throw e;
    }
    await audit(
      'scalepoint.credentials_stored',
      {
        accountId,
        secretLast4: last4(secret),
        replaced: !!existing,
        secretChanged: !sameSecret,
        previousAccountId:
          existing && existing.accountId !== accountId ? existing.accountId : undefined,
      },
      companyId,
    );
    return { ok: true, message: credentialAnswers.stored };
  },
);

/**
 * Support ends the previous signing secret's grace period now (e.g. it leaked, or Scalepoint
 * confirmed the switch). Audited; the current secret is untouched.
 */
export const revokePreviousSecret = supportAction(
  { name: 'support.revokePreviousSecret', input: companyRefSchema },
  async ({ tx, actor, input, now, audit }) => {
    const { companyId } = input;
    const [company] = await tx
      .select({ id: companies.id })
      .from(companies)
      .where(eq(companies.id, companyId));
    if (!company) refuse(actor, 'support.revokePreviousSecret', companyId);
    const [row] = await tx
      .select({
        previousSecretEnc: scalepointCredentials.previousSecretEnc,
        previousValidUntil: scalepointCredentials.previousValidUntil,
      })
      .from(scalepointCredentials)
      .where(eq(scalepointCredentials.companyId, companyId))
      .for('update');
    if (!row?.previousSecretEnc || !row.previousValidUntil || row.previousValidUntil <= now) {
      return { ok: false, message: credentialAnswers.noPreviousSecret };
    }
    await tx
      .update(scalepointCredentials)
      .set({ previousSecretEnc: null, previousValidUntil: null })
      .where(eq(scalepointCredentials.companyId, companyId));
    await audit(
      'scalepoint.previous_secret_revoked',
      { graceWouldHaveEndedAt: row.previousValidUntil.toISOString() },
      companyId,
    );
    return { ok: true, message: credentialAnswers.previousRevoked };
  },
);

function safeDecrypt(envelope: string): string | null {
  try {
    return decryptSecret(envelope);
  } catch {
    return null;
  }
}
