import { z } from 'zod';
import { TENANT_PATTERN, receiveUrl, type ScalepointEnvironment } from './hosts';

/**
 * One long-poll call to Scalepoint's "receive" endpoint (docs/events-api.md). Scalepoint holds the
 * call open until there are events after `lastEventId`, or answers with an empty `data` after its own
 * timeout; the caller calls again at once.
 */

export type ScalepointEvent = {
  id: string;
  type: string;
  timestamp?: string;
  attributes: Record<string, unknown>;
};

export type ReceiveErrorKind = 'unauthorized' | 'not_found' | 'unavailable' | 'bad_response';

export class ReceiveError extends Error {
  readonly kind: ReceiveErrorKind;
  readonly status?: number;
  constructor(kind: ReceiveErrorKind, message: string, status?: number) {
    super(message);
    this.name = 'ReceiveError';
    this.kind = kind;
    this.status = status;
  }
}

/**
 * How long we wait for Scalepoint before giving up on one call. Scalepoint does not publish its hold
 * time; a call that outlasts this ends as an empty answer (`timedOut`), and the caller simply calls again.
 */
export const DEFAULT_RECEIVE_TIMEOUT_MS = 180_000;

// Only the id is essential (it becomes the cursor). A strange type or attributes must not lose the
// whole batch: the handler records such an event as failed and moves past it.
const eventSchema = z.object({
  id: z.string().min(1),
  type: z.string().catch(''),
  timestamp: z.string().optional().catch(undefined),
  attributes: z.record(z.string(), z.unknown()).catch({}),
});

const envelopeSchema = z.object({
  links: z
    .object({ next: z.string().optional().catch(undefined) })
    .partial()
    .optional()
    .catch(undefined),
  data: z.array(eventSchema),
});

export type ReceiveResult = { events: ScalepointEvent[]; next?: string; timedOut?: boolean };

export async function receiveEvents(input: {
  environment: ScalepointEnvironment;
  tenant: string;
  token: string;
  lastEventId?: string | null;
  /** Aborting ends the call and rethrows the abort reason. */
  signal?: AbortSignal;
  /** Our own limit for the call (default DEFAULT_RECEIVE_TIMEOUT_MS); reaching it is an empty answer. */
  timeoutMs?: number;
  /**
   * Ask the server to answer within this many seconds (`Prefer: wait=N`, RFC 7240). Assumed: Scalepoint
   * does not publish a way to shorten its hold; the local stand-in honours this header, Scalepoint is
   * expected to ignore it.
   */
  waitSeconds?: number;
  fetch?: typeof fetch;
}): Promise<ReceiveResult> {
  const doFetch = input.fetch ?? fetch;
  if (!TENANT_PATTERN.test(input.tenant))
    throw new ReceiveError('not_found', `Not a Scalepoint tenant: '${input.tenant}'`);
  const url = receiveUrl(input.environment, input.tenant, input.lastEventId);
  const timeout = AbortSignal.timeout(input.timeoutMs ?? DEFAULT_RECEIVE_TIMEOUT_MS);
  const signal = input.signal ? AbortSignal.any([input.signal, timeout]) : timeout;
  const headers: Record<string, string> = {
    authorization: `Bearer ${input.token}`,
    accept: 'application/json',
  };
  if (input.waitSeconds !== undefined)
    headers.prefer = `wait=${Math.max(0, Math.floor(input.waitSeconds))}`;

  let response: Response;
  let text: string;
  try {
    response = await doFetch(url, { method: 'GET', headers, signal, redirect: 'manual' });
    text = await response.text();
  } catch (error) {
    if (input.signal?.aborted) throw input.signal.reason;
    if (timeout.aborted) return { events: [], timedOut: true };
    throw new ReceiveError('unavailable', `Scalepoint unreachable: ${(error as Error).message}`);
  }

  if (response.status === 401)
    throw new ReceiveError('unauthorized', 'Scalepoint refused the access token (401)', 401);
  // 403 too: a tenant this client may not read is, for us, a tenant that is not there.
  if (response.status === 404 || response.status === 403) {
    throw new ReceiveError(
      'not_found',
      `Scalepoint does not know tenant '${input.tenant}' for this client (${response.status})`,
      response.status,
    );
  }
  if (response.status >= 500 || response.status === 429 || response.status === 408) {
    throw new ReceiveError(
      'unavailable',
      `Scalepoint answered ${response.status}`,
      response.status,
    );
  }
  if (!response.ok)
    throw new ReceiveError(
      'bad_response',
      `Scalepoint answered ${response.status}`,
      response.status,
    );

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ReceiveError(
      'bad_response',
      'Scalepoint answered with something that is not JSON',
      response.status,
    );
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success)
    throw new ReceiveError(
      'bad_response',
      'Scalepoint answered without a usable data list',
      response.status,
    );
  const events: ScalepointEvent[] = parsed.data.data.map((e) => ({
    id: e.id,
    type: e.type,
    ...(e.timestamp !== undefined ? { timestamp: e.timestamp } : {}),
    attributes: e.attributes,
  }));
  const next = parsed.data.links?.next;
  return next ? { events, next } : { events };
}
