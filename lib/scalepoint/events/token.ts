import { randomUUID } from 'node:crypto';
import { SignJWT, importPKCS8 } from 'jose';
import { thumbprintOf } from './certificate';
import { tokenUrl, type ScalepointEnvironment } from './hosts';

/**
 * Access tokens for the Events API: OAuth 2.0 client credentials with `private_key_jwt` client
 * authentication, as Scalepoint's "Authentication" page and token clients describe it.
 * What is published and what is assumed: docs/events-api.md.
 */

export type ConnectionKeys = {
  connectionId: string;
  clientId: string;
  environment: ScalepointEnvironment;
  certificatePem: string;
  privateKeyPem: string;
  /** The pair in use before "Nyt certifikat"; tried when the current one is refused, until validUntil. */
  previous?: { certificatePem: string; privateKeyPem: string; validUntil: Date } | null;
};

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const EVENTS_SCOPE = 'events';
/** Lifetime of a client assertion (our choice; Scalepoint's Java client uses 10 s, the .NET one 60 s). */
export const ASSERTION_LIFETIME_SECONDS = 60;
/** A cached access token is replaced this long before it expires. */
export const TOKEN_REFRESH_MARGIN_SECONDS = 60;
const TOKEN_REQUEST_TIMEOUT_MS = 15_000;

export async function buildClientAssertion(input: {
  clientId: string;
  audience: string;
  certificatePem: string;
  privateKeyPem: string;
  now?: Date;
}): Promise<string> {
  const thumbprint = thumbprintOf(input.certificatePem);
  const key = await importPKCS8(input.privateKeyPem, 'RS256');
  const iat = Math.floor((input.now ?? new Date()).getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: thumbprint, x5t: thumbprint })
    .setIssuer(input.clientId)
    .setSubject(input.clientId)
    .setAudience(input.audience)
    .setJti(randomUUID())
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + ASSERTION_LIFETIME_SECONDS)
    .sign(key);
}

export type TokenErrorCode =
  | 'invalid_client'
  | 'invalid_request'
  | 'unauthorized_client'
  | 'invalid_key'
  | 'unreachable'
  | 'bad_response'
  | (string & {});

/**
 * A token request that did not give a token. `code` is the OAuth `error` from Scalepoint, or ours:
 * unreachable (network, timeout, 5xx, 429), bad_response (no usable answer), invalid_key (our stored
 * certificate or key cannot be used).
 */
export class TokenError extends Error {
  readonly code: TokenErrorCode;
  readonly status?: number;
  constructor(code: TokenErrorCode, message: string, status?: number) {
    super(message);
    this.name = 'TokenError';
    this.code = code;
    this.status = status;
  }
}

export type TokenClient = {
  getToken(keys: ConnectionKeys): Promise<string>;
  /** Forget the cached token of a connection (after the API answered 401). */
  drop(connectionId: string): void;
};

type CachedToken = { identity: string; accessToken: string; refreshAt: number };

export function createTokenClient(
  opts: { fetch?: typeof fetch; clock?: () => Date } = {},
): TokenClient {
  const doFetch = opts.fetch ?? fetch;
  const clock = opts.clock ?? (() => new Date());
  const cache = new Map<string, CachedToken>();
  const inFlight = new Map<string, { identity: string; promise: Promise<string> }>();
  // Bumped by drop(): a request that started before the drop must not put its token back in the cache.
  const generations = new Map<string, number>();

  async function requestToken(
    keys: ConnectionKeys,
    pair: { certificatePem: string; privateKeyPem: string },
  ) {
    const audience = tokenUrl(keys.environment);
    let assertion: string;
    try {
      assertion = await buildClientAssertion({
        clientId: keys.clientId,
        audience,
        ...pair,
        now: clock(),
      });
    } catch (error) {
      throw new TokenError(
        'invalid_key',
        `The connection's certificate or private key cannot be used: ${(error as Error).message}`,
      );
    }
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: assertion,
      scope: EVENTS_SCOPE,
    });
    let response: Response;
    try {
      response = await doFetch(audience, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new TokenError(
        'unreachable',
        `Token endpoint unreachable: ${(error as Error).message}`,
      );
    }
    const text = await response.text().catch(() => '');
    const json = parseJson(text);
    if (!response.ok) {
      if (response.status >= 500 || response.status === 429) {
        throw new TokenError(
          'unreachable',
          `Token endpoint answered ${response.status}`,
          response.status,
        );
      }
      const oauthError = typeof json?.error === 'string' ? json.error : 'bad_response';
      const description =
        typeof json?.error_description === 'string' ? `: ${json.error_description}` : '';
      throw new TokenError(
        oauthError,
        `Token request refused (${response.status} ${oauthError})${description}`,
        response.status,
      );
    }
    const accessToken = json?.access_token;
    const expiresIn = Number(json?.expires_in);
    if (typeof accessToken !== 'string' || accessToken === '') {
      throw new TokenError('bad_response', 'Token response without access_token', response.status);
    }
    return { accessToken, expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 0 };
  }

  async function fetchToken(keys: ConnectionKeys, identity: string): Promise<string> {
    const generation = generations.get(keys.connectionId) ?? 0;
    let result;
    try {
      result = await requestToken(keys, keys);
    } catch (error) {
      const previous = keys.previous;
      const fallback =
        error instanceof TokenError &&
        error.code === 'invalid_client' &&
        previous &&
        clock() < previous.validUntil;
      if (!fallback) throw error;
      // Support made a new certificate but Scalepoint may not know it yet: the old pair still works for a while.
      try {
        result = await requestToken(keys, previous);
      } catch {
        throw error;
      }
    }
    const refreshAt = clock().getTime() + (result.expiresIn - TOKEN_REFRESH_MARGIN_SECONDS) * 1000;
    if (
      result.expiresIn > TOKEN_REFRESH_MARGIN_SECONDS &&
      generation === (generations.get(keys.connectionId) ?? 0)
    ) {
      cache.set(keys.connectionId, { identity, accessToken: result.accessToken, refreshAt });
    }
    return result.accessToken;
  }

  return {
    async getToken(keys) {
      // A changed client id, environment or certificate must not reuse a token made for the old ones.
      let identity: string;
      try {
        identity = `${keys.environment}|${keys.clientId}|${thumbprintOf(keys.certificatePem)}`;
      } catch {
        throw new TokenError('invalid_key', "The connection's certificate cannot be read");
      }
      const cached = cache.get(keys.connectionId);
      if (cached && cached.identity === identity && clock().getTime() < cached.refreshAt)
        return cached.accessToken;
      const pending = inFlight.get(keys.connectionId);
      if (pending && pending.identity === identity) return pending.promise;
      const promise = fetchToken(keys, identity).finally(() => {
        if (inFlight.get(keys.connectionId)?.promise === promise)
          inFlight.delete(keys.connectionId);
      });
      inFlight.set(keys.connectionId, { identity, promise });
      return promise;
    },
    drop(connectionId) {
      cache.delete(connectionId);
      inFlight.delete(connectionId);
      generations.set(connectionId, (generations.get(connectionId) ?? 0) + 1);
    },
  };
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const globalForTokens = globalThis as unknown as { kladdeScalepointTokens?: TokenClient };

/** The process-wide token client (one cache shared by the poller and "Test forbindelse"). */
export const defaultTokenClient: TokenClient = (globalForTokens.kladdeScalepointTokens ??=
  createTokenClient());
