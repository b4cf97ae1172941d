import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import {
  companies,
  orderTypes,
  scalepointCredentials,
  scalepointSettings,
  type CustomerMode,
} from '@/db/schema/index';
import { decryptSecret } from '@/lib/crypto';
import { log } from '@/lib/log';
import { asSystemAtOnce } from '@/lib/tenancy';
import { parseSigningSecret } from './signature';

function readableSecret(envelope: string): string | null {
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
  const secret = readableSecret(envelope);
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
