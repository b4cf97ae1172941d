/**
 * The headers of a signed intake request, as Scalepoint sends it (Standard Webhooks v1, see
 * docs/intake.md and signature.ts). The one builder the CLI (scripts/scalepoint-send.ts), the
 * bench and fault scripts, the vitest helpers and the Playwright specs use.
 *
 * Pure: the caller chooses the webhook-id and the timestamp (a redelivery reuses the id).
 */
import { sign } from '@/lib/scalepoint/intake/signature';

export type SignedRequestInput = {
  accountId: string;
  /** The key bytes of the Signeringsnøgle (parseSigningSecret of the `whsec_…` text). */
  key: Buffer;
  webhookId: string;
  /** Seconds since the epoch. */
  timestamp: number | string;
  /** The raw body exactly as sent; a string is signed as its UTF-8 bytes. */
  rawBody: Buffer | string;
  contentType?: string;
};

export type SignedRequestHeaders = {
  'content-type': string;
  'scalepoint-account-id': string;
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

export function signedRequestHeaders(input: SignedRequestInput): SignedRequestHeaders {
  const timestamp = String(input.timestamp);
  return {
    'content-type': input.contentType ?? 'application/json',
    'scalepoint-account-id': input.accountId,
    'webhook-id': input.webhookId,
    'webhook-timestamp': timestamp,
    'webhook-signature': sign(input.key, input.webhookId, timestamp, input.rawBody),
  };
}

/** Now, in whole seconds: the webhook-timestamp of a request sent now. */
export const nowInSeconds = (): number => Math.floor(Date.now() / 1000);
