import { TENANT_PATTERN, hostsFor, type ScalepointEnvironment } from '../events/hosts';
import { eventHeaders } from './event';

/**
 * One call to Scalepoint's `send` endpoint (docs/events-api.md, "What Kladde sends"):
 * `POST {api}/api/events/v1/dk/external/{tenant}/send` with the connection's bearer token. The
 * answer is sorted for the sender; nothing here throws except an abort by the caller.
 */

export const DEFAULT_SEND_TIMEOUT_MS = 15_000;

export function sendPath(tenant: string): string {
  if (!TENANT_PATTERN.test(tenant)) throw new Error('Invalid Scalepoint tenant');
  return `/api/events/v1/dk/external/${tenant}/send`;
}

export function sendUrl(environment: ScalepointEnvironment, tenant: string): string {
  // Joined as text so an API URL with a path prefix (a proxy) keeps it.
  return `${hostsFor(environment).apiUrl}${sendPath(tenant)}`;
}

export type SendOutcome =
  /** 2xx: delivered. */
  | { kind: 'sent'; status: number }
  /** 401: the token is no good. */
  | { kind: 'unauthorized'; status: 401 }
  /** 408, 429, 5xx, a network error or our timeout: try again later. */
  | { kind: 'retry'; status: number | null }
  /** Any other answer: Scalepoint will not take this event. */
  | { kind: 'rejected'; status: number };

export async function sendEvent(input: {
  environment: ScalepointEnvironment;
  tenant: string;
  token: string;
  /** The stored body, sent as it is. */
  body: unknown;
  signal?: AbortSignal;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): Promise<SendOutcome> {
  const doFetch = input.fetch ?? fetch;
  const timeout = AbortSignal.timeout(input.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS);
  const signal = input.signal ? AbortSignal.any([input.signal, timeout]) : timeout;
  let status: number;
  try {
    const response = await doFetch(sendUrl(input.environment, input.tenant), {
      method: 'POST',
      headers: {
        ...eventHeaders(),
        Authorization: `Bearer ${input.token}`,
        Accept: 'application/json',
      },
      body: JSON.stringify(input.body),
      signal,
      redirect: 'manual',
    });
    status = response.status;
    await response.arrayBuffer().catch(() => undefined);
  } catch {
    if (input.signal?.aborted) throw input.signal.reason;
    return { kind: 'retry', status: null };
  }
  if (status >= 200 && status < 300) return { kind: 'sent', status };
  if (status === 401) return { kind: 'unauthorized', status };
  if (status === 408 || status === 429 || status >= 500) return { kind: 'retry', status };
  return { kind: 'rejected', status };
}
