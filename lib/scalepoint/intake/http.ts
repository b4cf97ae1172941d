/**
 * The direct-delivery endpoint's HTTP rules (docs/intake.md): `POST /api/scalepoint/claims`.
 * Checks run in this order and the first that fails answers:
 *   size 413 → content type 415 → headers present and timestamp within ±300 s 401 →
 *   account and signature 401 → JSON 400 → (in the core) claim schema 422 → module on 409.
 * Nothing touches the database before the headers and timestamp pass. Every 401 has one body,
 * so konto-ids cannot be probed; the cause goes only to the log. The delivery itself is recorded
 * and applied by the channel-neutral core (apply-delivery.ts).
 */
import type { Db } from '@/db/client';
import { isWorthRetry } from '@/lib/db-errors';
import { errorFields, log } from '@/lib/log';
import { isStorableText, MAX_BODY_BYTES } from '../contract/claim';
import { lookupIntakeAccount } from './account';
import { outcomeCode, recordAndApplyDelivery, type Outcome } from './apply-delivery';
import { outcomes, type OutcomeCode } from './words';
import { checkWebhookHeaders, MAX_ACCOUNT_ID_LENGTH, verifySignature } from './signature';

export { MAX_BODY_BYTES };

export type IntakeResult = { status: number; body: Record<string, unknown> };

export type IntakeRequest = {
  header: (name: string) => string | null;
  body: Buffer;
};

const STORED_HEADERS = [
  'scalepoint-account-id',
  'webhook-id',
  'webhook-timestamp',
  'content-type',
  'user-agent',
] as const;

/** An error answer from the catalogue: `{ error: code, ...extra }` with the code's status. */
export function errorResult(code: OutcomeCode, extra: Record<string, unknown> = {}): IntakeResult {
  return { status: outcomes[code].http, body: { error: code, ...extra } };
}

export const tooLarge = () => errorResult('payload_too_large', { limitBytes: MAX_BODY_BYTES });

/** The answer for a recorded outcome. */
function resultOf(o: Outcome): IntakeResult {
  const status = outcomes[outcomeCode(o)].http;
  switch (o.kind) {
    case 'created':
      return { status, body: { status: 'created', orderId: o.orderId, customerId: o.customerId } };
    case 'duplicate':
      return { status, body: { status: 'duplicate', orderId: o.orderId } };
    // Only Events API events are updated or ignored; a direct claim never is.
    case 'updated':
      return { status, body: { status: 'updated', orderId: o.orderId } };
    case 'ignored':
      return { status, body: { status: 'ignored' } };
    case 'rejected':
      return o.reason === 'validation_failed'
        ? { status, body: { error: o.reason, issues: o.issues } }
        : { status, body: { error: o.reason } };
    case 'failed':
      return { status, body: { error: o.reason } };
  }
}

/**
 * The whole decision for one request; the route, the tests and the CLI come through here.
 * Never throws: an error worth a retry is a 503, anything else after authentication is a
 * stored, failed delivery (422).
 */
export async function handleClaimDelivery(
  db: Db,
  req: IntakeRequest,
  now = new Date(),
): Promise<IntakeResult> {
  if (req.body.length > MAX_BODY_BYTES) return tooLarge();
  const contentType = (req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType !== 'application/json')
    return errorResult('unsupported_media_type', { expected: 'application/json' });

  const accountId = req.header('scalepoint-account-id')?.trim() ?? '';
  const webhookId = req.header('webhook-id') ?? '';
  const trace = {
    accountId: accountId.slice(0, MAX_ACCOUNT_ID_LENGTH) || null,
    webhookId: webhookId.slice(0, 200) || null,
  };
  const unauthorized = (reason: string) => {
    // The cause, for the operator; never the body, never a secret.
    log.warn('scalepoint_intake_unauthorized', { reason, ...trace });
    return errorResult('unauthorized');
  };
  if (!accountId || accountId.length > MAX_ACCOUNT_ID_LENGTH || !isStorableText(accountId))
    return unauthorized('missing_account');
  // HTTP never carries NUL in a header, but a caller of this function might: such an id could not be stored.
  if (!isStorableText(webhookId)) return unauthorized('missing_headers');
  const signed = {
    webhookId,
    timestamp: req.header('webhook-timestamp'),
    signatureHeader: req.header('webhook-signature'),
    nowSeconds: Math.floor(now.getTime() / 1000),
  };
  const headers = checkWebhookHeaders(signed);
  if (!headers.ok) return unauthorized(headers.reason);

  try {
    const account = await lookupIntakeAccount(db, accountId, now);
    if (!account || account.keys.length === 0) return unauthorized('unknown_account');
    const verified = verifySignature({ ...signed, keys: account.keys, rawBody: req.body });
    if (!verified.ok) return unauthorized(verified.reason);

    let text: string;
    let json: unknown;
    try {
      // A raw NUL or other control byte outside a JSON escape is not JSON, so it never reaches storage.
      text = new TextDecoder('utf-8', { fatal: true }).decode(req.body);
      json = JSON.parse(text);
    } catch {
      return errorResult('invalid_json');
    }

    const stored: Record<string, string> = {};
    for (const h of STORED_HEADERS) {
      const v = req.header(h);
      if (v) stored[h] = v.slice(0, 500);
    }
    const outcome = await recordAndApplyDelivery(
      db,
      {
        companyId: account.companyId,
        channel: 'direct',
        accountId,
        messageId: webhookId,
        rawBody: text,
        json,
        headers: stored,
      },
      { now, settings: account.settings },
    );
    return resultOf(outcome);
  } catch (e) {
    // The core throws only errors worth a retry; the account look-up may throw anything. Before
    // the delivery is authenticated nothing can be stored, so an unexpected error is a 503 too.
    log.error(isWorthRetry(e) ? 'scalepoint_intake_db_unavailable' : 'scalepoint_intake_failed', {
      ...trace,
      ...errorFields(e),
    });
    return errorResult('database_unavailable');
  }
}

/** Reads at most `limit` bytes; null as soon as the body is larger (the rest is never read). */
export async function readLimited(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<Buffer | null> {
  if (!body) return Buffer.alloc(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * A web `Request` in, an answer out: the declared and the read size (413) before anything else,
 * then {@link handleClaimDelivery}. `getDb` failing (the pool could not start) is a 503.
 */
export async function receiveClaimRequest(
  request: Request,
  getDb: () => Promise<Db>,
): Promise<IntakeResult> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) return tooLarge();
  let body: Buffer | null;
  try {
    body = await readLimited(request.body, MAX_BODY_BYTES);
  } catch {
    return errorResult('unreadable_body');
  }
  if (!body) return tooLarge();
  let db: Db;
  try {
    db = await getDb();
  } catch (e) {
    log.error('scalepoint_intake_unavailable', errorFields(e));
    return errorResult('database_unavailable');
  }
  return handleClaimDelivery(db, { header: (name) => request.headers.get(name), body });
}
