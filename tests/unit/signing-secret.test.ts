import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSigningSecret } from '@/lib/scalepoint/intake/signature';
import { isValidSigningSecret } from '@/lib/scalepoint/intake/signing-secret';

// The browser-safe check must agree with the server's decoder on every input.
const byDecoding = (s: string) => {
  const key = parseSigningSecret(s);
  return key !== null && key.length >= 24 && key.length <= 64;
};

describe('isValidSigningSecret (no Buffer, no node:crypto)', () => {
  it('agrees with decoding the key, for real secrets of every length and with junk around them', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 80 }),
        fc.constantFrom('', '=', ' ', '\n', '-', '=='),
        fc.boolean(),
        (bytes, junk, unpadded) => {
          let b64 = Buffer.from(bytes).toString('base64');
          if (unpadded) b64 = b64.replace(/=+$/, '');
          const s = `whsec_${b64}${junk}`;
          expect(isValidSigningSecret(s)).toBe(byDecoding(s));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('agrees on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (tail) => {
        expect(isValidSigningSecret(`whsec_${tail}`)).toBe(byDecoding(`whsec_${tail}`));
        expect(isValidSigningSecret(tail)).toBe(byDecoding(tail));
      }),
      { numRuns: 2000 },
    );
  });
});
