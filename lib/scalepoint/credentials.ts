import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { companies, orderTypes, scalepointCredentials, scalepointMails, scalepointSettings, users, type CustomerMode } from '@/db/schema';
import type { ActionResult } from '@/lib/action-result';
import { refuse, supportAction } from '@/lib/door';
import { isSupport, type Actor } from '@/lib/auth/actor';
import { decryptSecret, encryptSecret } from '@/lib/crypto';
import { isUniqueViolation } from '@/lib/db-errors';
import { log } from '@/lib/log';
import { asSystem } from '@/lib/tenancy';
import { credentialsSchema } from './credentials-schema';
import { integrationStatus } from './settings';
import { parseSigningSecret } from './signature';

/** How long a replaced signing secret keeps working, so Scalepoint can switch without lost deliveries. */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 60 * 60 * 1000;

const last4 = (s: string) => s.slice(-4);

/** Every company with its integration status, for support. Never a secret: only its last 4. */
export async function listCompaniesForSupport(db: Db, actor: Actor | null) {
  if (!isSupport(actor)) refuse(actor, 'support.listCompanies');
  const storer = sql<string | null>`(select ${users.name} from ${users} where ${users.id} = ${scalepointCredentials.storedBy})`;
  const lastMailAt = sql<Date | string | null>`(select max(${scalepointMails.createdAt}) from ${scalepointMails} where ${scalepointMails.companyId} = ${companies.id} and ${scalepointMails.status} = 'sent')`;
  const rows = await asSystem(db, 'support', (tx) => tx
    .select({
      id: companies.id,
      name: companies.name,
      cvr: companies.cvr,
      enabled: sql<boolean>`coalesce(${scalepointSettings.enabled}, false)`,
      accountId: scalepointCredentials.accountId,
      secretLast4: scalepointCredentials.secretLast4,
      storedAt: scalepointCredentials.storedAt,
      storedBy: storer,
      lastMailAt,
    })
    .from(companies)
    .leftJoin(scalepointSettings, eq(scalepointSettings.companyId, companies.id))
    .leftJoin(scalepointCredentials, eq(scalepointCredentials.companyId, companies.id))
    .orderBy(asc(companies.name)));
  return rows.map((r) => ({
    ...r,
    lastMailAt: r.lastMailAt ? new Date(r.lastMailAt) : null,
    status: integrationStatus(r.enabled, !!r.accountId),
  }));
}

/**
 * Support stores (or replaces) a company's credentials. The secret is encrypted before it
 * reaches the database; a replaced secret stays valid for 24 hours. Credentials and audit row
 * land together.
 */
export const storeCredentials = supportAction({ name: 'support.storeCredentials', input: credentialsSchema }, async ({ tx, actor, input, now, audit }) => {
  const { companyId, accountId, secret } = input;
  const [company] = await tx.select({ id: companies.id }).from(companies).where(eq(companies.id, companyId));
  if (!company) refuse(actor, 'support.storeCredentials', companyId);

  const takenError: ActionResult = { ok: false, message: 'Intet er ændret.', fieldErrors: { accountId: 'Konto-id’et bruges allerede af en anden virksomhed.' } };
  const [taken] = await tx
    .select({ companyId: scalepointCredentials.companyId })
    .from(scalepointCredentials)
    .where(sql`${scalepointCredentials.accountId} = ${accountId} and ${scalepointCredentials.companyId} <> ${companyId}`);
  if (taken) return takenError;

  const [existing] = await tx
    .select({ accountId: scalepointCredentials.accountId, secretEnc: scalepointCredentials.secretEnc, previousSecretEnc: scalepointCredentials.previousSecretEnc, previousValidUntil: scalepointCredentials.previousValidUntil })
    .from(scalepointCredentials)
    .where(eq(scalepointCredentials.companyId, companyId))
    .for('update');
  const sameSecret = existing ? safeDecrypt(existing.secretEnc) === secret : false;
  const values = {
    accountId,
    secretEnc: sameSecret && existing ? existing.secretEnc : encryptSecret(secret),
    secretLast4: last4(secret),
    // A new secret moves the old one to "previous" for the grace period.
    previousSecretEnc: existing && !sameSecret ? existing.secretEnc : (existing?.previousSecretEnc ?? null),
    previousValidUntil: existing && !sameSecret ? new Date(now.getTime() + PREVIOUS_SECRET_GRACE_MS) : (existing?.previousValidUntil ?? null),
    storedAt: now,
    storedBy: actor.userId,
  };
  // A concurrent save of the same konto-id for another company loses on the unique index;
  // the savepoint keeps the transaction usable so the answer can be a field error.
  try {
    await tx.transaction((sp) => sp.insert(scalepointCredentials).values({ companyId, ...values }).onConflictDoUpdate({ target: scalepointCredentials.companyId, set: values }));
  } catch (e) {
    if (isUniqueViolation(e)) return takenError;
    throw e;
  }
  await audit('scalepoint.credentials_stored', {
    accountId,
    secretLast4: last4(secret),
    replaced: !!existing,
    secretChanged: !sameSecret,
    previousAccountId: existing && existing.accountId !== accountId ? existing.accountId : undefined,
  }, companyId);
  return { ok: true, message: 'Adgangen er gemt. Integrationen er aktiv, når modulet er slået til.' };
});

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
 * The intake's account look-up, in one query: the company, its signing keys valid now (the
 * current secret, and the previous one within its grace period) and its Scalepoint settings.
 * The one narrow cross-company read, through the system door.
 */
export async function lookupIntakeAccount(db: Db, accountId: string, now = new Date()) {
  const [row] = await asSystem(db, 'intake-account', (tx) => tx
    .select({
      companyId: scalepointCredentials.companyId,
      secretEnc: scalepointCredentials.secretEnc,
      previousSecretEnc: scalepointCredentials.previousSecretEnc,
      previousValidUntil: scalepointCredentials.previousValidUntil,
      enabled: sql<boolean>`coalesce(${scalepointSettings.enabled}, false)`,
      orderTypeId: scalepointSettings.orderTypeId,
      orderTypeName: orderTypes.name,
      customerMode: sql<CustomerMode>`coalesce(${scalepointSettings.customerMode}, 'policyholder')`,
      phoneAsCustomerNumber: sql<boolean>`coalesce(${scalepointSettings.phoneAsCustomerNumber}, false)`,
    })
    .from(scalepointCredentials)
    .leftJoin(scalepointSettings, eq(scalepointSettings.companyId, scalepointCredentials.companyId))
    .leftJoin(orderTypes, and(eq(orderTypes.id, scalepointSettings.orderTypeId), eq(orderTypes.companyId, scalepointCredentials.companyId)))
    .where(eq(scalepointCredentials.accountId, accountId))
    .limit(1));
  if (!row) return null;
  const keys: Buffer[] = [];
  for (const enc of [row.secretEnc, row.previousValidUntil && row.previousValidUntil > now ? row.previousSecretEnc : null]) {
    if (!enc) continue;
    const key = keyOf(enc);
    if (key) keys.push(key);
    else log.error('scalepoint_secret_unreadable', { companyId: row.companyId });
  }
  const { enabled, orderTypeId, orderTypeName, customerMode, phoneAsCustomerNumber } = row;
  return { companyId: row.companyId, keys, settings: { enabled, orderTypeId, orderTypeName, customerMode, phoneAsCustomerNumber } };
}
