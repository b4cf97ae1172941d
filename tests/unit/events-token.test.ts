import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  generateConnectionKeys,
  type ConnectionKeyMaterial,
} from '@/lib/scalepoint/events/certificate';
import { TENANT_PATTERN, receiveUrl, tenantSchema, tokenUrl } from '@/lib/scalepoint/events/hosts';
import {
  CLIENT_ASSERTION_TYPE,
  TokenError,
  buildClientAssertion,
  createTokenClient,
  type ConnectionKeys,
} from '@/lib/scalepoint/events/token';
import { startScalepointStandIn } from '@/tools/stand-ins/scalepoint/server';
import { pointAt, setupScalepointStandIn } from '../support/scalepoint-stand-in';

const START = new Date('2026-11-30T12:00:00.000Z');
let now = START;
const clock = () => now;
const advance = (seconds: number) => {
  now = new Date(now.getTime() + seconds * 1000);
};

const ctx = setupScalepointStandIn({ clock, tokenLifetimeSeconds: 3600, holdMs: 200 });

let registered: ConnectionKeyMaterial;
let unregistered: ConnectionKeyMaterial;
beforeAll(async () => {
  [registered, unregistered] = await Promise.all([
    generateConnectionKeys('kladde-vvs', START),
    generateConnectionKeys('kladde-vvs', START),
  ]);
  ctx.standIn.registerCertificate('kladde-vvs', 'tryg', registered.certificatePem);
});
beforeEach(() => {
  now = START;
});

let connectionSeq = 0;
function connection(
  pair: ConnectionKeyMaterial,
  extra: Partial<ConnectionKeys> = {},
): ConnectionKeys {
  connectionSeq += 1;
  return {
    connectionId: `conn-${connectionSeq}`,
    clientId: 'kladde-vvs',
    environment: 'sandbox',
    certificatePem: pair.certificatePem,
    privateKeyPem: pair.privateKeyPem,
    ...extra,
  };
}

describe('token client against the local Scalepoint', () => {
  it('gets a token and reuses it until 60 s before it expires', async () => {
    const tokens = createTokenClient({ clock });
    const keys = connection(registered);
    const before = ctx.standIn.tokensIssued;
    const first = await tokens.getToken(keys);
    expect(first).toMatch(/^sbx_/);
    expect(await tokens.getToken(keys)).toBe(first);
    advance(3600 - 61);
    expect(await tokens.getToken(keys)).toBe(first);
    expect(ctx.standIn.tokensIssued).toBe(before + 1);
    advance(2); // now 59 s before expiry
    const second = await tokens.getToken(keys);
    expect(second).not.toBe(first);
    expect(ctx.standIn.tokensIssued).toBe(before + 2);
  });

  it('shares one request between concurrent callers', async () => {
    const tokens = createTokenClient({ clock });
    const keys = connection(registered);
    const before = ctx.standIn.tokensIssued;
    const [a, b, c] = await Promise.all([
      tokens.getToken(keys),
      tokens.getToken(keys),
      tokens.getToken(keys),
    ]);
    expect(new Set([a, b, c]).size).toBe(1);
    expect(ctx.standIn.tokensIssued).toBe(before + 1);
  });

  it('drop() forces a new token', async () => {
    const tokens = createTokenClient({ clock });
    const keys = connection(registered);
    const first = await tokens.getToken(keys);
    tokens.drop(keys.connectionId);
    expect(await tokens.getToken(keys)).not.toBe(first);
  });

  it('does not cache a token whose request started before drop()', async () => {
    const tokens = createTokenClient({ clock });
    const keys = connection(registered);
    const pending = tokens.getToken(keys);
    tokens.drop(keys.connectionId);
    const stale = await pending;
    const fresh = await tokens.getToken(keys);
    expect(fresh).not.toBe(stale);
    expect(await tokens.getToken(keys)).toBe(fresh);
  });

  it('does not reuse a token after the certificate of the connection changed', async () => {
    const tokens = createTokenClient({ clock });
    const keys = connection(registered);
    await tokens.getToken(keys);
    await expect(tokens.getToken({ ...keys, ...pairOf(unregistered) })).rejects.toMatchObject({
      code: 'invalid_client',
    });
  });

  it('is refused with invalid_client for a certificate Scalepoint does not know', async () => {
    const tokens = createTokenClient({ clock });
    const error = await tokens.getToken(connection(unregistered)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenError);
    expect(error).toMatchObject({ code: 'invalid_client', status: 400 });
  });

  it('is refused for a client id the certificate is not registered to', async () => {
    const tokens = createTokenClient({ clock });
    await expect(
      tokens.getToken(connection(registered, { clientId: 'someone-else' })),
    ).rejects.toMatchObject({ code: 'invalid_client' });
  });

  it('falls back to the previous key while it is still valid', async () => {
    const tokens = createTokenClient({ clock });
    const keys = connection(unregistered, {
      previous: { ...pairOf(registered), validUntil: new Date(START.getTime() + 86_400_000) },
    });
    const seen = ctx.standIn.tokenRequests.length;
    advance(86_400 - 10);
    const token = await tokens.getToken(keys);
    expect(token).toMatch(/^sbx_/);
    // First with the new key (refused), then once with the old one.
    expect(ctx.standIn.tokenRequests.slice(seen)).toEqual([
      { clientId: 'kladde-vvs', thumbprint: unregistered.thumbprint, outcome: 'invalid_client' },
      { clientId: 'kladde-vvs', thumbprint: registered.thumbprint, outcome: 'issued' },
    ]);
  });

  it('does not fall back once the previous key has expired', async () => {
    const tokens = createTokenClient({ clock });
    const keys = connection(unregistered, {
      previous: { ...pairOf(registered), validUntil: new Date(START.getTime() + 86_400_000) },
    });
    const seen = ctx.standIn.tokenRequests.length;
    advance(86_400 + 1);
    await expect(tokens.getToken(keys)).rejects.toMatchObject({ code: 'invalid_client' });
    expect(ctx.standIn.tokenRequests.slice(seen).map((r) => r.thumbprint)).toEqual([
      unregistered.thumbprint,
    ]);
  });

  it('uses the current key when Scalepoint knows it, even with a previous one', async () => {
    const tokens = createTokenClient({ clock });
    const keys = connection(registered, {
      previous: { ...pairOf(unregistered), validUntil: new Date(START.getTime() + 86_400_000) },
    });
    const seen = ctx.standIn.tokenRequests.length;
    await tokens.getToken(keys);
    expect(ctx.standIn.tokenRequests.slice(seen).map((r) => r.thumbprint)).toEqual([
      registered.thumbprint,
    ]);
  });

  it('reports an outage as unreachable', async () => {
    const tokens = createTokenClient({ clock });
    ctx.standIn.fail('token', 503);
    await expect(tokens.getToken(connection(registered))).rejects.toMatchObject({
      code: 'unreachable',
      status: 503,
    });
    const closed = await startScalepointStandIn();
    await closed.close();
    pointAt(closed.url);
    try {
      await expect(tokens.getToken(connection(registered))).rejects.toMatchObject({
        code: 'unreachable',
      });
    } finally {
      pointAt(ctx.standIn.url);
    }
  });
});

describe('the local token endpoint checks assertions like an OAuth server', () => {
  async function post(fields: Record<string, string>) {
    const response = await fetch(ctx.standIn.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams(fields),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
  const assertion = (overrides: { audience?: string; now?: Date; clientId?: string } = {}) =>
    buildClientAssertion({
      clientId: overrides.clientId ?? 'kladde-vvs',
      audience: overrides.audience ?? ctx.standIn.tokenUrl,
      ...pairOf(registered),
      now: overrides.now ?? now,
    });
  const form = (client_assertion: string) => ({
    grant_type: 'client_credentials',
    client_assertion_type: CLIENT_ASSERTION_TYPE,
    client_assertion,
    scope: 'events',
  });

  it('answers a good request with a bearer token', async () => {
    const { status, body } = await post(form(await assertion()));
    expect(status).toBe(200);
    expect(body).toMatchObject({
      access_token: expect.any(String),
      expires_in: 3600,
      token_type: 'Bearer',
    });
  });

  it('refuses a reused jti', async () => {
    const jwt = await assertion();
    expect((await post(form(jwt))).status).toBe(200);
    expect(await post(form(jwt))).toMatchObject({ status: 400, body: { error: 'invalid_client' } });
  });

  it('refuses a wrong audience, an expired assertion and a wrong grant', async () => {
    expect(
      (
        await post(
          form(await assertion({ audience: 'https://accounts.scalepoint.com/connect/token' })),
        )
      ).body.error,
    ).toBe('invalid_client');
    expect(
      (await post(form(await assertion({ now: new Date(now.getTime() - 120_000) })))).body.error,
    ).toBe('invalid_client');
    expect((await post({ ...form(await assertion()), grant_type: 'password' })).body.error).toBe(
      'unsupported_grant_type',
    );
    expect((await post({ ...form(await assertion()), scope: 'case_integration' })).body.error).toBe(
      'invalid_scope',
    );
    expect((await post({ grant_type: 'client_credentials', scope: 'events' })).body.error).toBe(
      'invalid_request',
    );
  });

  it('refuses a signature made with another key under a registered thumbprint', async () => {
    const forged = await buildClientAssertion({
      clientId: 'kladde-vvs',
      audience: ctx.standIn.tokenUrl,
      certificatePem: registered.certificatePem,
      privateKeyPem: unregistered.privateKeyPem,
      now,
    });
    expect((await post(form(forged))).body.error).toBe('invalid_client');
  });
});

describe('hosts and tenants', () => {
  it('accepts tenants as in Scalepoint URLs and refuses the rest in Danish', () => {
    for (const ok of ['tryg', 'alm-brand', 'if2', 'a'.repeat(63)])
      expect(tenantSchema.safeParse(ok).success).toBe(true);
    for (const bad of [
      '',
      'Tryg',
      'tryg/../x',
      'tryg forsikring',
      'æble',
      'a'.repeat(64),
      'tryg?x=1',
    ]) {
      const result = tenantSchema.safeParse(bad);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toContain('Tenant må kun indeholde små bogstaver');
    }
    expect(tenantSchema.parse('  tryg ')).toBe('tryg');
    expect(TENANT_PATTERN.test('codan')).toBe(true);
  });

  it('builds the token and receive URLs, refusing a tenant that could change the path', () => {
    expect(tokenUrl('sandbox')).toBe(`${ctx.standIn.url}/connect/token`);
    expect(receiveUrl('production', 'tryg')).toBe(
      `${ctx.standIn.url}/api/events/v1/dk/external/tryg/receive`,
    );
    expect(receiveUrl('production', 'tryg', '_122047')).toBe(
      `${ctx.standIn.url}/api/events/v1/dk/external/tryg/receive?lastEventId=_122047`,
    );
    expect(() => receiveUrl('sandbox', '../admin')).toThrow();
  });

  it("uses Scalepoint's hosts when no override is set", async () => {
    const saved = { a: process.env.SCALEPOINT_ACCOUNTS_URL, b: process.env.SCALEPOINT_API_URL };
    delete process.env.SCALEPOINT_ACCOUNTS_URL;
    delete process.env.SCALEPOINT_API_URL;
    const { resetEnvCache } = await import('@/lib/env');
    resetEnvCache();
    try {
      expect(tokenUrl('production')).toBe('https://accounts.scalepoint.com/connect/token');
      expect(tokenUrl('sandbox')).toBe('https://sandbox-accounts.scalepoint.com/connect/token');
      expect(receiveUrl('production', 'tryg', '_1')).toBe(
        'https://www.scalepoint.com/api/events/v1/dk/external/tryg/receive?lastEventId=_1',
      );
      expect(receiveUrl('sandbox', 'codan')).toBe(
        'https://sandbox.scalepoint.com/api/events/v1/dk/external/codan/receive',
      );
    } finally {
      process.env.SCALEPOINT_ACCOUNTS_URL = saved.a;
      process.env.SCALEPOINT_API_URL = saved.b;
      resetEnvCache();
    }
  });
});

function pairOf(pair: ConnectionKeyMaterial) {
  return { certificatePem: pair.certificatePem, privateKeyPem: pair.privateKeyPem };
}

describe('the local token endpoint and host names', () => {
  it('accepts aud naming the host the client used (localhost or 127.0.0.1)', async () => {
    const pair = await generateConnectionKeys('kladde-localhost', START);
    ctx.standIn.registerCertificate('kladde-localhost', 'tryg', pair.certificatePem);
    const url = ctx.standIn.tokenUrl.replace('127.0.0.1', 'localhost');
    const client_assertion = await buildClientAssertion({
      clientId: 'kladde-localhost',
      audience: url,
      ...pairOf(pair),
      now,
    });
    const response = await fetch(url, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: CLIENT_ASSERTION_TYPE,
        client_assertion,
        scope: 'events',
      }),
    });
    expect(response.status).toBe(200);
  });
});
