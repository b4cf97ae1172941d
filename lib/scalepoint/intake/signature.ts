/**
 * Standard Webhooks (v1) signing and verification for the Scalepoint intake endpoint.
 *
 * Signature = base64(HMAC-SHA256(key, `${webhook-id}.${webhook-timestamp}.` ‖ raw body bytes)),
 * where key is the Signeringsnøgle: the text after `whsec_`, base64-decoded.
 *
 * Pure: node:crypto only. Nothing here ever throws for any input.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isValidSigningSecret, SECRET_PREFIX, strictBase64Body } from './signing-secret';

/** A timestamp may be at most this many seconds in the past or in the future (inclusive). */
export const TOLERANCE_SECONDS = 300;

/** A webhook-id longer than this is treated as a missing/malformed header. */
export const MAX_WEBHOOK_ID_LENGTH = 200;

/** A `scalepoint-account-id` longer than this (after trimming) is refused (401) by the intake. */
export const MAX_ACCOUNT_ID_LENGTH = 100;

const SIGNATURE_BYTES = 32; // SHA-256

/** Strict base64 decode (signing-secret.ts): null for junk Buffer.from(…, 'base64') would skip. */
function decodeBase64Strict(s: string, requirePadding: boolean): Buffer | null {
  const body = strictBase64Body(s, requirePadding);
  return body === null ? null : Buffer.from(body, 'base64');
}

/**
 * The key bytes of a `whsec_…` secret, or null when it is malformed (no prefix, not base64, empty).
 * Surrounding whitespace (a pasted secret) is ignored. Does not check the key length: see
 * {@link isValidSigningSecret} for what may be stored.
 */
export function parseSigningSecret(secret: string): Buffer | null {
  if (typeof secret !== 'string') return null;
  const s = secret.trim();
  if (!s.startsWith(SECRET_PREFIX)) return null;
  const key = decodeBase64Strict(s.slice(SECRET_PREFIX.length), false);
  if (!key || key.length === 0) return null;
  return key;
}

export { isValidSigningSecret };

/** A fresh secret: `whsec_` + base64 of 32 random bytes. */
export function generateSigningSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

function hmac(key: Buffer, webhookId: string, timestamp: string, rawBody: Buffer | string): Buffer {
  return createHmac('sha256', key)
    .update(Buffer.from(`${webhookId}.${timestamp}.`, 'utf8'))
    .update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
    .digest();
}

/** `v1,<base64 HMAC-SHA256 of "${id}.${ts}." ‖ body>`. A string body is signed as its UTF-8 bytes. */
export function sign(
  key: Buffer,
  webhookId: string,
  timestamp: number | string,
  rawBody: Buffer | string,
): string {
  return `v1,${hmac(key, webhookId, String(timestamp), rawBody).toString('base64')}`;
}

export type VerifyFailure =
  | 'missing_headers'
  | 'invalid_timestamp'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'invalid_signature';

export type VerifyInput = {
  keys: Buffer[];
  webhookId: string | null | undefined;
  timestamp: string | null | undefined;
  signatureHeader: string | null | undefined;
  rawBody: Buffer;
  nowSeconds?: number;
};

export type HeaderInput = Pick<
  VerifyInput,
  'webhookId' | 'timestamp' | 'signatureHeader' | 'nowSeconds'
>;

/**
 * The checks that need neither a key nor the database, in order:
 * 1. `missing_headers`: webhook-id, webhook-timestamp or webhook-signature missing or empty, or a
 *    webhook-id longer than 200 characters.
 * 2. `invalid_timestamp`: the timestamp is not 1–10 ASCII digits (rejects '12a', '-5', '1e9', ' 5', huge values).
 * 3. `stale_timestamp` / `future_timestamp`: more than 300 s before / after now (300 s exactly is accepted).
 */
export function checkWebhookHeaders(
  input: HeaderInput,
): { ok: true } | { ok: false; reason: Exclude<VerifyFailure, 'invalid_signature'> } {
  const { webhookId, timestamp, signatureHeader } = input;
  if (
    typeof webhookId !== 'string' ||
    webhookId.length === 0 ||
    webhookId.length > MAX_WEBHOOK_ID_LENGTH ||
    typeof timestamp !== 'string' ||
    timestamp.length === 0 ||
    typeof signatureHeader !== 'string' ||
    signatureHeader.trim().length === 0
  ) {
    return { ok: false, reason: 'missing_headers' };
  }
  if (!/^[0-9]{1,10}$/.test(timestamp)) return { ok: false, reason: 'invalid_timestamp' };
  const ts = Number(timestamp);
  const { nowSeconds = Math.floor(Date.now() / 1000) } = input;
  // A clock that is not a number cannot vouch for any timestamp: refused, never waved through.
  if (typeof nowSeconds !== 'number' || !Number.isFinite(nowSeconds))
    return { ok: false, reason: 'stale_timestamp' };
  const now = Math.floor(nowSeconds);
  if (now - ts > TOLERANCE_SECONDS) return { ok: false, reason: 'stale_timestamp' };
  if (ts - now > TOLERANCE_SECONDS) return { ok: false, reason: 'future_timestamp' };
  return { ok: true };
}

/**
 * Verify a delivery: {@link checkWebhookHeaders}, then
 * `invalid_signature`: no `v1,` entry of the header matches any key (entries of other versions are
 * ignored; an entry that is not strict base64 of 32 bytes never matches; empty keys are ignored).
 */
export function verifySignature(
  input: VerifyInput,
): { ok: true } | { ok: false; reason: VerifyFailure } {
  try {
    const headers = checkWebhookHeaders(input);
    if (!headers.ok) return headers;
    const { keys, rawBody } = input;
    const webhookId = input.webhookId as string;
    const timestamp = input.timestamp as string;
    const signatureHeader = input.signatureHeader as string;

    if (!Buffer.isBuffer(rawBody) || !Array.isArray(keys))
      return { ok: false, reason: 'invalid_signature' };

    const candidates: Buffer[] = [];
    for (const entry of signatureHeader.split(/\s+/)) {
      if (!entry.startsWith('v1,')) continue;
      const decoded = decodeBase64Strict(entry.slice(3), true);
      if (decoded && decoded.length === SIGNATURE_BYTES) candidates.push(decoded);
    }
    if (candidates.length === 0) return { ok: false, reason: 'invalid_signature' };

    let matched = false;
    for (const key of keys) {
      if (!Buffer.isBuffer(key) || key.length === 0) continue;
      const expected = hmac(key, webhookId, timestamp, rawBody);
      for (const candidate of candidates) {
        // Both are 32 bytes here; the length check keeps timingSafeEqual from throwing regardless.
        if (candidate.length === expected.length && timingSafeEqual(candidate, expected))
          matched = true;
      }
    }
    return matched ? { ok: true } : { ok: false, reason: 'invalid_signature' };
  } catch {
    return { ok: false, reason: 'invalid_signature' };
  }
}
