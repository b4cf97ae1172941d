// @peculiar/x509 resolves its dependency container through tsyringe, which needs the
// Reflect metadata polyfill loaded before the library itself (see docs/events-api.md).
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { X509Certificate, createHash, randomBytes, webcrypto } from 'node:crypto';

/**
 * Key material for one Events API connection: a self-signed X.509 certificate (RSA-2048) that
 * support sends to Scalepoint, and the PKCS#8 private key that signs the client assertions.
 * Scalepoint pins the public key to the client account, so no certificate authority is involved.
 */
export type ConnectionKeyMaterial = {
  certificatePem: string;
  privateKeyPem: string;
  thumbprint: string;
};

/** How long a generated certificate is valid. Scalepoint's pages do not set a limit; two years is ours. */
export const CERTIFICATE_VALIDITY_DAYS = 730;

const RSA_ALGORITHM = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;

const crypto = webcrypto as unknown as Crypto;

export async function generateConnectionKeys(
  clientId: string,
  now: Date = new Date(),
): Promise<ConnectionKeyMaterial> {
  const keys = await crypto.subtle.generateKey(RSA_ALGORITHM, true, ['sign', 'verify']);
  // Backdated a little so a clock that runs slightly behind ours still accepts it.
  const notBefore = new Date(now.getTime() - 5 * 60_000);
  const notAfter = new Date(now.getTime() + CERTIFICATE_VALIDITY_DAYS * 86_400_000);
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f; // a positive serial number, as RFC 5280 asks
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial.toString('hex'),
      // The JSON form of the name, so a client id with ',' or '=' needs no escaping.
      name: [{ CN: [`Kladde ${clientId}`] }],
      notBefore,
      notAfter,
      signingAlgorithm: RSA_ALGORITHM,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      ],
    },
    crypto,
  );
  const certificatePem = certificate.toString('pem');
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey));
  return {
    certificatePem,
    privateKeyPem: toPem('PRIVATE KEY', pkcs8),
    thumbprint: thumbprintOf(certificatePem),
  };
}

/** base64url of the SHA-1 digest of the certificate's DER: the `x5t` (and our `kid`) of the assertions. */
export function thumbprintOf(certificatePem: string): string {
  const der = new X509Certificate(certificatePem).raw;
  return createHash('sha1').update(der).digest('base64url');
}

function toPem(label: string, der: Buffer): string {
  const body = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}
