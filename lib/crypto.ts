import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { env, keyIdOf } from './env';

/**
 * Secrets at rest: AES-256-GCM under CREDENTIALS_KEY. The envelope names the key that made it
 * ("v1:<keyId>:<iv>:<ciphertext>:<tag>", base64 parts) so the key can be rotated: new secrets use
 * the current key, old ones still decrypt with a key listed in CREDENTIALS_KEYS_PREVIOUS.
 * Any tampering (a flipped bit in iv, ciphertext or tag) fails closed with an error.
 */
type Keyring = { current: Buffer; currentId: string; previous: Map<string, Buffer> };

function defaultKeyring(): Keyring {
  const e = env();
  return {
    current: e.credentialsKey,
    currentId: e.credentialsKeyId,
    previous: e.previousCredentialsKeys,
  };
}

export function keyringOf(current: Buffer, previous: Buffer[] = []): Keyring {
  return {
    current,
    currentId: keyIdOf(current),
    previous: new Map(previous.map((k) => [keyIdOf(k), k])),
  };
}

export function encryptSecret(plaintext: string, keyring: Keyring = defaultKeyring()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyring.current, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [
    'v1',
    keyring.currentId,
    iv.toString('base64'),
    ciphertext.toString('base64'),
    tag.toString('base64'),
  ].join(':');
}

export class DecryptError extends Error {
  constructor(reason: string) {
    super(`cannot decrypt secret: ${reason}`);
    this.name = 'DecryptError';
  }
}

export function decryptSecret(envelope: string, keyring: Keyring = defaultKeyring()): string {
  const parts = envelope.split(':');
  if (parts.length !== 5 || parts[0] !== 'v1') throw new DecryptError('unknown format');
  const [, keyId, ivB64, ctB64, tagB64] = parts as [string, string, string, string, string];
  const key = keyId === keyring.currentId ? keyring.current : keyring.previous.get(keyId);
  if (!key) throw new DecryptError(`unknown key ${keyId}`);
  const iv = Buffer.from(ivB64, 'base64');
  const tag = Buffer.from(tagB64, 'base64');
  if (iv.length !== 12 || tag.length !== 16) throw new DecryptError('malformed envelope');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([
      decipher.update(Buffer.from(ctB64, 'base64')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new DecryptError('authentication failed');
  }
}

/**
 * A keyed hash of a short secret that is checked, never read back (recovery codes): HMAC-SHA256
 * under a key derived from CREDENTIALS_KEY, so a copy of the database alone cannot try the ~2^40
 * codes offline. "m1:<keyId>:<mac>" names the key, so rotated keys still check old hashes.
 */
function macKey(key: Buffer): Buffer {
  return createHmac('sha256', key).update('kladde mac v1').digest();
}

export function macSecret(value: string, keyring: Keyring = defaultKeyring()): string {
  const mac = createHmac('sha256', macKey(keyring.current)).update(value).digest('base64url');
  return `m1:${keyring.currentId}:${mac}`;
}

/** The hash `value` has under the key `envelope` names (null for an unknown key or format). */
export function macUnderKeyOf(
  envelope: string,
  value: string,
  keyring: Keyring = defaultKeyring(),
): string | null {
  const [version, keyId] = envelope.split(':');
  if (version !== 'm1' || !keyId) return null;
  const key = keyId === keyring.currentId ? keyring.current : keyring.previous.get(keyId);
  if (!key) return null;
  return `m1:${keyId}:${createHmac('sha256', macKey(key)).update(value).digest('base64url')}`;
}

/** Constant-time comparison of two strings. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
