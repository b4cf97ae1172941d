import { X509Certificate, randomBytes } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import { thumbprintOf } from '@/lib/scalepoint/events/certificate';
import { CLIENT_ASSERTION_TYPE, EVENTS_SCOPE } from '@/lib/scalepoint/events/token';

/**
 * The sandbox's authorization server: checks a `private_key_jwt` client assertion against the
 * certificates registered for its issuer, the way Scalepoint's "Authentication" page describes
 * (keys pinned per client account, several keys per account for rotation), and issues opaque
 * bearer tokens. Error bodies follow OAuth 2.0 (RFC 6749 §5.2).
 */

export type OAuthError = { status: number; error: string; error_description: string };
export type IssuedToken = { clientId: string; scope: string[]; expiresAt: number };
export type Registration = {
  clientId: string;
  tenants: Set<string>;
  certificates: Map<string, string>;
};

/** Clock skew we forgive on iat/nbf/exp, and the longest assertion lifetime we accept. */
const CLOCK_TOLERANCE_SECONDS = 30;
const MAX_ASSERTION_LIFETIME_SECONDS = 300;

function refuse(error: string, description: string, status = 400): OAuthError {
  return { status, error, error_description: description };
}

export class Authorization {
  readonly clients = new Map<string, Registration>();
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly usedJti = new Map<string, number>();
  readonly requests: { clientId?: string; thumbprint?: string; outcome: string }[] = [];
  issued = 0;

  constructor(
    private readonly clock: () => Date,
    private readonly tokenLifetimeSeconds: number,
  ) {}

  register(clientId: string, tenant: string, certificatePem: string): { thumbprint: string } {
    // Throws on anything that is not a certificate; the admin endpoint turns that into a 400.
    new X509Certificate(certificatePem);
    const thumbprint = thumbprintOf(certificatePem);
    const client = this.clients.get(clientId) ?? {
      clientId,
      tenants: new Set<string>(),
      certificates: new Map<string, string>(),
    };
    client.tenants.add(tenant);
    client.certificates.set(thumbprint, certificatePem);
    this.clients.set(clientId, client);
    return { thumbprint };
  }

  unregister(clientId: string, thumbprint: string): boolean {
    return this.clients.get(clientId)?.certificates.delete(thumbprint) ?? false;
  }

  /** POST /connect/token with the form already parsed. */
  async token(
    form: URLSearchParams,
    audience: string[],
  ): Promise<
    { access_token: string; expires_in: number; token_type: 'Bearer'; scope: string } | OAuthError
  > {
    const result = await this.check(form, audience);
    this.requests.push({
      clientId: result.clientId,
      thumbprint: result.thumbprint,
      outcome: 'error' in result ? result.error : 'issued',
    });
    if ('error' in result) return result;
    const accessToken = `sbx_${randomBytes(24).toString('base64url')}`;
    const now = this.clock().getTime();
    this.tokens.set(accessToken, {
      clientId: result.clientId,
      scope: result.scope,
      expiresAt: now + this.tokenLifetimeSeconds * 1000,
    });
    this.issued += 1;
    return {
      access_token: accessToken,
      expires_in: this.tokenLifetimeSeconds,
      token_type: 'Bearer',
      scope: result.scope.join(' '),
    };
  }

  /** The token behind an `Authorization: Bearer` header, if it is known and not expired. */
  bearer(header: string | undefined): IssuedToken | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    const token = match ? this.tokens.get(match[1]!) : undefined;
    if (!token) return undefined;
    if (this.clock().getTime() >= token.expiresAt) {
      this.tokens.delete(match![1]!);
      return undefined;
    }
    return token;
  }

  revokeAll(): void {
    this.tokens.clear();
  }

  private async check(
    form: URLSearchParams,
    audience: string[],
  ): Promise<
    | (OAuthError & { clientId?: string; thumbprint?: string })
    | { clientId: string; thumbprint: string; scope: string[] }
  > {
    if (form.get('grant_type') !== 'client_credentials')
      return refuse('unsupported_grant_type', 'grant_type must be client_credentials');
    if (form.get('client_assertion_type') !== CLIENT_ASSERTION_TYPE)
      return refuse('invalid_request', `client_assertion_type must be ${CLIENT_ASSERTION_TYPE}`);
    const assertion = form.get('client_assertion');
    if (!assertion) return refuse('invalid_request', 'client_assertion is missing');
    const scope = (form.get('scope') ?? '').split(' ').filter(Boolean);
    if (!scope.includes(EVENTS_SCOPE))
      return refuse('invalid_scope', `scope must include ${EVENTS_SCOPE}`);

    let header, claims;
    try {
      header = decodeProtectedHeader(assertion);
      claims = decodeJwt(assertion);
    } catch {
      return refuse('invalid_client', 'client_assertion is not a JWT');
    }
    const clientId = typeof claims.iss === 'string' ? claims.iss : undefined;
    const thumbprint =
      typeof header.x5t === 'string'
        ? header.x5t
        : typeof header.kid === 'string'
          ? header.kid
          : undefined;
    const fail = (description: string) => ({
      ...refuse('invalid_client', description),
      clientId,
      thumbprint,
    });
    if (header.alg !== 'RS256') return fail('alg must be RS256');
    if (!clientId) return fail('iss is missing');
    const formClientId = form.get('client_id');
    if (formClientId !== null && formClientId !== clientId)
      return fail('client_id does not match iss');
    const client = this.clients.get(clientId);
    if (!client) return fail('unknown client');
    if (!thumbprint) return fail('x5t or kid is missing');
    const certificatePem = client.certificates.get(thumbprint);
    if (!certificatePem) return fail('unknown key for this client');
    if (
      typeof header.kid === 'string' &&
      typeof header.x5t === 'string' &&
      header.kid !== header.x5t
    )
      return fail('kid and x5t disagree');

    const now = this.clock();
    const certificate = new X509Certificate(certificatePem);
    if (now < new Date(certificate.validFrom) || now > new Date(certificate.validTo))
      return fail('certificate is not valid now');

    let payload;
    try {
      const key = await importX509(certificatePem, 'RS256');
      ({ payload } = await jwtVerify(assertion, key, {
        algorithms: ['RS256'],
        issuer: clientId,
        subject: clientId,
        audience,
        currentDate: now,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'iat', 'jti'],
      }));
    } catch (error) {
      return fail(`client_assertion rejected: ${(error as Error).message}`);
    }
    if (typeof payload.aud !== 'string')
      return fail('aud must be the token endpoint URL as a string');
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (payload.iat! > nowSeconds + CLOCK_TOLERANCE_SECONDS) return fail('iat is in the future');
    if (payload.exp! - payload.iat! > MAX_ASSERTION_LIFETIME_SECONDS)
      return fail('assertion lifetime is too long');
    if (typeof payload.jti !== 'string' || payload.jti === '') return fail('jti is missing');

    for (const [key, until] of this.usedJti) if (until < nowSeconds) this.usedJti.delete(key);
    const jtiKey = `${clientId}|${payload.jti}`;
    if (this.usedJti.has(jtiKey)) return fail('jti has been used before');
    this.usedJti.set(jtiKey, payload.exp! + CLOCK_TOLERANCE_SECONDS);

    return { clientId, thumbprint, scope };
  }
}
