import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, keyringOf } from '@/lib/crypto';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

function flipBit(envelope: string, part: 2 | 3 | 4): string {
  const parts = envelope.split(':');
  const bytes = Buffer.from(parts[part]!, 'base64');
  bytes[0] = bytes[0]! ^ 0x01;
  parts[part] = bytes.toString('base64');
  return parts.join(':');
}

describe('secret encryption', () => {
  const ring = keyringOf(randomBytes(32));

  it('round-trips and never contains the plaintext', () => {
    const enc = encryptSecret(secret, ring);
    expect(enc).not.toContain(secret);
    expect(enc).not.toContain(secret.slice(6));
    expect(decryptSecret(enc, ring)).toBe(secret);
    expect(encryptSecret(secret, ring)).not.toBe(enc); // fresh IV each time
  });

  it.each([2, 3, 4] as const)(
    'fails closed when one bit of envelope part %s (iv, ciphertext, tag) flips',
    (part) => {
      const enc = encryptSecret(secret, ring);
      expect(() => decryptSecret(flipBit(enc, part), ring)).toThrow(/cannot decrypt/);
    },
  );

  it('fails closed under the wrong key and on garbage', () => {
    const enc = encryptSecret(secret, ring);
    expect(() => decryptSecret(enc, keyringOf(randomBytes(32)))).toThrow(/unknown key/);
    expect(() => decryptSecret('not-an-envelope', ring)).toThrow(/unknown format/);
  });

  it('decrypts with a previous key after rotation', () => {
    const oldKey = randomBytes(32);
    const enc = encryptSecret(secret, keyringOf(oldKey));
    const rotated = keyringOf(randomBytes(32), [oldKey]);
    expect(decryptSecret(enc, rotated)).toBe(secret);
    expect(encryptSecret(secret, rotated).split(':')[1]).toBe(rotated.currentId);
  });
});
