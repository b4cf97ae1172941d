import { X509Certificate, createHash, createPrivateKey, createVerify } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CERTIFICATE_VALIDITY_DAYS,
  generateConnectionKeys,
  thumbprintOf,
  type ConnectionKeyMaterial,
} from '@/lib/scalepoint/events/certificate';
import { buildClientAssertion } from '@/lib/scalepoint/events/token';

const CLIENT_ID = 'kladde_vvs_hansen';
const AUDIENCE = 'https://sandbox-accounts.scalepoint.com/connect/token';
const NOW = new Date('2026-11-30T12:00:00.000Z');

function decodePart(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

function split(jwt: string) {
  const [header, payload, signature] = jwt.split('.');
  if (!header || !payload || !signature) throw new Error('not a compact JWS');
  return {
    header,
    payload,
    signature,
    headerJson: decodePart(header),
    claims: decodePart(payload),
  };
}

function verifiesWith(jwt: string, certificatePem: string): boolean {
  const { header, payload, signature } = split(jwt);
  return createVerify('RSA-SHA256')
    .update(`${header}.${payload}`)
    .verify(new X509Certificate(certificatePem).publicKey, Buffer.from(signature, 'base64url'));
}

describe('connection certificate', () => {
  let keys: ConnectionKeyMaterial;
  beforeAll(async () => {
    keys = await generateConnectionKeys(CLIENT_ID, NOW);
  });

  it('is a self-signed RSA-2048 certificate for the client, valid about two years', () => {
    const cert = new X509Certificate(keys.certificatePem);
    expect(keys.certificatePem.startsWith('-----BEGIN CERTIFICATE-----\n')).toBe(true);
    expect(cert.subject).toBe(`CN=Kladde ${CLIENT_ID}`);
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.publicKey.asymmetricKeyType).toBe('rsa');
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(new Date(cert.validFrom).getTime()).toBeLessThanOrEqual(NOW.getTime());
    const days = (new Date(cert.validTo).getTime() - NOW.getTime()) / 86_400_000;
    expect(Math.round(days)).toBe(CERTIFICATE_VALIDITY_DAYS);
  });

  it('comes with the matching PKCS#8 private key', () => {
    expect(keys.privateKeyPem.startsWith('-----BEGIN PRIVATE KEY-----\n')).toBe(true);
    const privateKey = createPrivateKey(keys.privateKeyPem);
    expect(new X509Certificate(keys.certificatePem).checkPrivateKey(privateKey)).toBe(true);
  });

  it('has the base64url SHA-1 thumbprint of its DER', () => {
    const expected = createHash('sha1')
      .update(new X509Certificate(keys.certificatePem).raw)
      .digest('base64url');
    expect(keys.thumbprint).toBe(expected);
    expect(thumbprintOf(keys.certificatePem)).toBe(expected);
    expect(keys.thumbprint).toMatch(/^[A-Za-z0-9_-]{27}$/);
  });

  it('is new each time', async () => {
    const other = await generateConnectionKeys(CLIENT_ID, NOW);
    expect(other.thumbprint).not.toBe(keys.thumbprint);
    expect(other.privateKeyPem).not.toBe(keys.privateKeyPem);
  });

  it('needs no escaping for odd client ids', async () => {
    const odd = await generateConnectionKeys('a,b=c+d', NOW);
    expect(new X509Certificate(odd.certificatePem).subject).toContain('Kladde a');
  });
});

describe('client assertion', () => {
  let keys: ConnectionKeyMaterial;
  let other: ConnectionKeyMaterial;
  beforeAll(async () => {
    [keys, other] = await Promise.all([
      generateConnectionKeys(CLIENT_ID, NOW),
      generateConnectionKeys('someone-else', NOW),
    ]);
  });

  const build = (now = NOW) =>
    buildClientAssertion({
      clientId: CLIENT_ID,
      audience: AUDIENCE,
      certificatePem: keys.certificatePem,
      privateKeyPem: keys.privateKeyPem,
      now,
    });

  it('has header alg RS256, typ JWT, kid = x5t = thumbprint and nothing else', async () => {
    const { headerJson } = split(await build());
    expect(headerJson).toEqual({
      alg: 'RS256',
      typ: 'JWT',
      kid: keys.thumbprint,
      x5t: keys.thumbprint,
    });
  });

  it('has exactly the claims Scalepoint asks for', async () => {
    const { claims } = split(await build());
    const iat = Math.floor(NOW.getTime() / 1000);
    expect(claims).toEqual({
      iss: CLIENT_ID,
      sub: CLIENT_ID,
      aud: AUDIENCE,
      jti: expect.any(String),
      iat,
      nbf: iat,
      exp: iat + 60,
    });
    expect(typeof claims.aud).toBe('string');
    expect(claims.jti).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('uses whole seconds of the given time', async () => {
    const { claims } = split(await build(new Date('2026-11-30T12:00:00.999Z')));
    expect(claims.iat).toBe(Math.floor(NOW.getTime() / 1000));
  });

  it('verifies with the certificate public key, and not with another', async () => {
    const jwt = await build();
    expect(verifiesWith(jwt, keys.certificatePem)).toBe(true);
    expect(verifiesWith(jwt, other.certificatePem)).toBe(false);
    const { header, payload, signature } = split(jwt);
    const tampered = Buffer.from(payload, 'base64url')
      .toString('utf8')
      .replace(CLIENT_ID, 'kladde_other_firm');
    expect(
      verifiesWith(
        `${header}.${Buffer.from(tampered).toString('base64url')}.${signature}`,
        keys.certificatePem,
      ),
    ).toBe(false);
  });

  it('gets a fresh jti every time', async () => {
    const jtis = new Set<unknown>();
    for (let i = 0; i < 5; i += 1) jtis.add(split(await build()).claims.jti);
    expect(jtis.size).toBe(5);
  });
});
