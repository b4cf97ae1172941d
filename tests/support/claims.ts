import { randomBytes } from 'node:crypto';
import type { Db } from '@/db/client';
import { loadActor } from '@/lib/auth/actor';
import type { IntakeRequest } from '@/lib/scalepoint/intake/http';
import { storeCredentials } from '@/lib/scalepoint/support/credentials';
import { saveScalepointSettings } from '@/lib/scalepoint/settings/save';
import { exampleClaimWith } from '@/lib/scalepoint/contract/example-claim';
import { nowInSeconds, signedRequestHeaders } from '@/tools/stand-ins/scalepoint/sign-request';
import { generateSigningSecret, parseSigningSecret } from '@/lib/scalepoint/intake/signature';
import { makeCompany, makeSupport } from './factories';

/** The contract's example claim (lib/scalepoint/contract/example-claim.ts) with a fresh case number, as a mutable copy. */
export const exampleClaim = () => exampleClaimWith(`SP-2026-${randomBytes(4).toString('hex')}`);

export type Account = { accountId: string; secret: string; key: Buffer };

export function signedRequest(
  account: Pick<Account, 'accountId' | 'key'>,
  body: unknown,
  opts: {
    webhookId?: string;
    timestamp?: number;
    contentType?: string;
    headers?: Record<string, string | null>;
  } = {},
): IntakeRequest & { webhookId: string } {
  const raw = Buffer.isBuffer(body)
    ? body
    : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const webhookId = opts.webhookId ?? `msg_${randomBytes(8).toString('hex')}`;
  const headers: Record<string, string | null> = {
    ...signedRequestHeaders({
      ...account,
      webhookId,
      timestamp: opts.timestamp ?? nowInSeconds(),
      rawBody: raw,
      contentType: opts.contentType,
    }),
    ...opts.headers,
  };
  return { webhookId, body: raw, header: (name) => headers[name.toLowerCase()] ?? null };
}

/** A company whose module is on (with the given Kunde rule) and whose credentials support stored. */
export async function activeCompany(
  db: Db,
  rule: {
    customerMode?: 'policyholder' | 'insurer';
    phoneAsCustomerNumber?: boolean;
    enabled?: boolean;
  } = {},
) {
  const made = await makeCompany(db);
  const admin = await loadActor(db, made.admin.id);
  const saved = await saveScalepointSettings(db, admin, {
    enabled: rule.enabled ?? true,
    orderTypeId: made.types[1].id,
    customerMode: rule.customerMode ?? 'policyholder',
    phoneAsCustomerNumber: rule.phoneAsCustomerNumber ?? false,
  });
  if (!saved.ok) throw new Error(`settings not saved: ${saved.message}`);
  const support = await loadActor(db, (await makeSupport(db)).id);
  const secret = generateSigningSecret();
  const accountId = `acct-${randomBytes(5).toString('hex')}`;
  const stored = await storeCredentials(db, support, {
    companyId: made.company.id,
    accountId,
    secret,
  });
  if (!stored.ok) throw new Error(`credentials not stored: ${JSON.stringify(stored)}`);
  return {
    ...made,
    adminActor: admin!,
    supportActor: support!,
    account: { accountId, secret, key: parseSigningSecret(secret)! },
  };
}

/** The headers of a signed request as a plain record (for a real `Request`), nulls dropped. */
export function signedHeaders(req: {
  header: (name: string) => string | null;
}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of [
    'content-type',
    'scalepoint-account-id',
    'webhook-id',
    'webhook-timestamp',
    'webhook-signature',
  ]) {
    const v = req.header(h);
    if (v !== null) out[h] = v;
  }
  return out;
}
