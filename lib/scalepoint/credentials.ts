import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import {
  companies,
  orderTypes,
  scalepointCredentials,
  scalepointSettings,
  type CustomerMode,
} from '@/db/schema';
import { REFUSAL, type ActionResult } from '@/lib/action-result';
import { refuse, supportAction } from '@/lib/door';
import { decryptSecret, encryptSecret } from '@/lib/crypto';
import { formatDateTime } from '@/lib/format';
import { isUniqueViolation } from '@/lib/db-errors';
import { log } from '@/lib/log';
import { asSystemAtOnce } from '@/lib/tenancy';
import { companyRefSchema } from './connection-schema';
import { credentialsSchema } from './credentials-schema';
import { parseSigningSecret } from './signature';

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
      fieldErrors: { accountId: 'Konto-id’et bruges allerede af en anden virksomhed.' },
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
          secret: `Den forrige nøgle virker stadig til ${until}, og Scalepoint kan stadig signere med den. Tilbagekald forrige nøgle først, eller vent til ${until}.`,
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
    return {
      ok: true,
      message: 'Adgangen er gemt. Integrationen er aktiv, når modulet er slået til.',
    };
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
      return { ok: false, message: 'Der er ingen forrige nøgle, der stadig virker.' };
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
    return {
      ok: true,
      message: 'Den forrige nøgle er tilbagekaldt. Kun den nuværende nøgle virker nu.',
    };
  },
);

function safeDecrypt(envelope: string): string | null {
  try {
    return decryptSecret(envelope);
  } catch {
    return null;
  }
}

// Decrypted signing keys by their ciphertext: the look-up still reads the row every time (so a
// new or revoked secret counts at once), only the AES work is not repeated.
const keyCache = new Map<string, Buffer | null>();

function keyOf(envelope: string): Buffer | null {
  if (keyCache.has(envelope)) return keyCache.get(envelope)!;
  const secret = safeDecrypt(envelope);
  const key = secret ? parseSigningSecret(secret) : null;
  if (keyCache.size > 1000) keyCache.clear();
  keyCache.set(envelope, key);
  return key;
}

/**
 * The intake's account look-up, in one query and one round trip (docs/performance.md): the
 * company, its signing keys valid at `now` (the current secret, and the previous one within its
 * grace period) and its Scalepoint settings. The one narrow cross-company read, through the
 * system door.
 */
export async function lookupIntakeAccount(db: Db, accountId: string, now = new Date()) {
  const c = scalepointCredentials;
  const s = scalepointSettings;
  const [[row]] = (await asSystemAtOnce(db, 'intake-account', [
    sql`select ${c.companyId} as "companyId", ${c.secretEnc} as "secretEnc",
        case when ${c.previousValidUntil} > ${now.toISOString()}::timestamptz then ${c.previousSecretEnc} end as "previousSecretEnc",
        -- A deactivated company (docs/people.md) is answered as if its module were off.
        (coalesce(${s.enabled}, false) and ${companies.deactivatedAt} is null) as "enabled", ${s.orderTypeId} as "orderTypeId", ${orderTypes.name} as "orderTypeName",
        coalesce(${s.customerMode}, 'policyholder') as "customerMode", coalesce(${s.phoneAsCustomerNumber}, false) as "phoneAsCustomerNumber"
      from ${c}
      join ${companies} on ${companies.id} = ${c.companyId}
      left join ${s} on ${s.companyId} = ${c.companyId}
      left join ${orderTypes} on ${orderTypes.id} = ${s.orderTypeId} and ${orderTypes.companyId} = ${c.companyId}
      where ${c.accountId} = ${accountId}
      limit 1`,
  ])) as [[IntakeAccountRow | undefined]];
  if (!row) return null;
  const keys: Buffer[] = [];
  for (const enc of [row.secretEnc, row.previousSecretEnc]) {
    if (!enc) continue;
    const key = keyOf(enc);
    if (key) keys.push(key);
    else log.error('scalepoint_secret_unreadable', { companyId: row.companyId });
  }
  const { enabled, orderTypeId, orderTypeName, customerMode, phoneAsCustomerNumber } = row;
  return {
    companyId: row.companyId,
    keys,
    settings: { enabled, orderTypeId, orderTypeName, customerMode, phoneAsCustomerNumber },
  };
}

type IntakeAccountRow = {
  companyId: string;
  secretEnc: string;
  previousSecretEnc: string | null;
  enabled: boolean;
  orderTypeId: string | null;
  orderTypeName: string | null;
  customerMode: CustomerMode;
  phoneAsCustomerNumber: boolean;
};
