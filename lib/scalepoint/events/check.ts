import { TENANT_PATTERN } from './hosts';
import { ReceiveError, receiveEvents } from './receive-client';
import { TokenError, defaultTokenClient, type ConnectionKeys, type TokenClient } from './token';
import { checkWords } from './words';

/**
 * "Test forbindelse": ask for a token, then make one receive call with a short hold, and say in
 * Danish whether the connection works. The receive call does not move any cursor: its events are
 * not handled here.
 */

export type ConnectionCheck =
  | { ok: true; message: string }
  | {
      ok: false;
      reason: 'unknown_certificate' | 'unknown_tenant' | 'unreachable' | 'rejected';
      message: string;
    };

/** The hold we ask for (assumed header, see receive-client.ts) and our own limit for the call. */
const CHECK_WAIT_SECONDS = 1;
const CHECK_TIMEOUT_MS = 8_000;

const UNREACHABLE = checkWords.unreachable;
const unknownTenant = checkWords.unknownTenant;

export async function checkConnection(
  keys: ConnectionKeys & { tenant: string },
  tokens: TokenClient = defaultTokenClient,
  options: { fetch?: typeof fetch } = {},
): Promise<ConnectionCheck> {
  if (!TENANT_PATTERN.test(keys.tenant))
    return { ok: false, reason: 'unknown_tenant', message: unknownTenant(keys.tenant) };

  // A 401 can mean a cached token Scalepoint no longer accepts: drop it and try once more with a new one.
  for (let attempt = 1; ; attempt += 1) {
    const token = await tokenFor(keys, tokens);
    if (typeof token !== 'string') return token;
    try {
      // A call still held open when our limit is reached also counts: Scalepoint accepted the token and the tenant.
      await receiveEvents({
        environment: keys.environment,
        tenant: keys.tenant,
        token,
        waitSeconds: CHECK_WAIT_SECONDS,
        timeoutMs: CHECK_TIMEOUT_MS,
        fetch: options.fetch,
      });
      break;
    } catch (error) {
      if (!(error instanceof ReceiveError)) throw error;
      if (error.kind === 'not_found')
        return { ok: false, reason: 'unknown_tenant', message: unknownTenant(keys.tenant) };
      if (error.kind !== 'unauthorized')
        return { ok: false, reason: 'unreachable', message: UNREACHABLE };
      tokens.drop(keys.connectionId);
      if (attempt >= 2) {
        return {
          ok: false,
          reason: 'rejected',
          message: checkWords.tokenRefusedOnReceive,
        };
      }
    }
  }
  return {
    ok: true,
    message: checkWords.connected(keys.tenant),
  };
}

async function tokenFor(
  keys: ConnectionKeys,
  tokens: TokenClient,
): Promise<string | ConnectionCheck> {
  try {
    return await tokens.getToken(keys);
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    if (error.code === 'invalid_client') {
      return {
        ok: false,
        reason: 'unknown_certificate',
        message: checkWords.unknownCertificate,
      };
    }
    if (error.code === 'unreachable' || error.code === 'bad_response')
      return { ok: false, reason: 'unreachable', message: UNREACHABLE };
    if (error.code === 'invalid_key') {
      return {
        ok: false,
        reason: 'rejected',
        message: checkWords.unusableKey,
      };
    }
    return {
      ok: false,
      reason: 'rejected',
      message: checkWords.tokenRefused(error.code),
    };
  }
}
