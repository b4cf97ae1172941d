/**
 * Recovery codes (docs/security.md, "Two-step verification"; lib/auth/recovery-codes.ts) and the
 * keyed hash they are stored as (lib/crypto.ts: macSecret, macUnderKeyOf, sameSecret), including
 * a rotated CREDENTIALS_KEY.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  newRecoveryCodes,
  normaliseRecoveryCode,
  RECOVERY_CODE_COUNT,
} from '@/lib/auth/recovery-codes';
import { keyringOf, macSecret, macUnderKeyOf, sameSecret } from '@/lib/crypto';

/** The module's alphabet: lower case and digits without the look-alikes 0/o and 1/l/i. */
const CODE = /^[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}$/;

describe('recovery codes', () => {
  it('are 10 distinct xxxx-xxxx codes from the alphabet without look-alikes', () => {
    expect(RECOVERY_CODE_COUNT).toBe(10);
    for (let round = 0; round < 20; round++) {
      const codes = newRecoveryCodes();
      expect(codes).toHaveLength(10);
      expect(new Set(codes).size).toBe(10);
      for (const code of codes) {
        expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}$/);
        expect(code).toMatch(CODE);
      }
    }
  });

  it('differ from one set to the next', () => {
    const a = newRecoveryCodes();
    const b = newRecoveryCodes();
    expect(a.filter((code) => b.includes(code))).toEqual([]);
  });

  it.each([
    ['abcd-efgh', 'abcd-efgh'],
    ['abcdefgh', 'abcd-efgh'],
    ['ABCD-EFGH', 'abcd-efgh'],
    ['AbCdEfGh', 'abcd-efgh'],
    [' abcd efgh ', 'abcd-efgh'],
    ['ab cd - ef gh', 'abcd-efgh'],
    ['2345-6789', '2345-6789'],
  ])('reads %j as %j', (typed, stored) => {
    expect(normaliseRecoveryCode(typed)).toBe(stored);
  });

  it.each([
    '',
    'abcd-efg',
    'abc-defg',
    'abcd-efghj',
    'abcdefghjk',
    'abcd-efg0',
    'abcd-efg1',
    'abcd-efgl',
    'abcd-efgi',
    'abcd-efgo',
    'abcd_efgh',
    'abcd.efgh',
    'æbcd-efgh',
    '123456',
  ])('refuses %j', (typed) => {
    expect(normaliseRecoveryCode(typed)).toBeNull();
  });

  it('a newly made code reads as itself, typed any of those ways', () => {
    for (const code of newRecoveryCodes()) {
      expect(normaliseRecoveryCode(code)).toBe(code);
      expect(normaliseRecoveryCode(code.replace('-', ''))).toBe(code);
      expect(normaliseRecoveryCode(` ${code.toUpperCase()} `)).toBe(code);
    }
  });
});

describe('keyed hashes of short secrets (macSecret)', () => {
  const value = 'user-id:abcd-efgh';

  it('name their key and never hold the value', () => {
    const ring = keyringOf(randomBytes(32));
    const mac = macSecret(value, ring);
    expect(mac.split(':')).toHaveLength(3);
    expect(mac.startsWith(`m1:${ring.currentId}:`)).toBe(true);
    expect(mac).not.toContain('abcd');
    expect(macSecret(value, ring)).toBe(mac); // checked, not read back: the same each time
  });

  it('check the right value and refuse another, in constant time', () => {
    const ring = keyringOf(randomBytes(32));
    const mac = macSecret(value, ring);
    expect(sameSecret(macUnderKeyOf(mac, value, ring)!, mac)).toBe(true);
    expect(sameSecret(macUnderKeyOf(mac, 'user-id:abcd-efgj', ring)!, mac)).toBe(false);
    expect(sameSecret(macUnderKeyOf(mac, 'other-user:abcd-efgh', ring)!, mac)).toBe(false);
  });

  it('depend on the key: a database copy without CREDENTIALS_KEY cannot try codes', () => {
    expect(macSecret(value, keyringOf(randomBytes(32)))).not.toBe(
      macSecret(value, keyringOf(randomBytes(32))),
    );
  });

  it('a rotated key still checks a hash made under the previous key; new hashes use the new key', () => {
    const oldKey = randomBytes(32);
    const before = keyringOf(oldKey);
    const mac = macSecret(value, before);
    const rotated = keyringOf(randomBytes(32), [oldKey]);
    expect(macUnderKeyOf(mac, value, rotated)).toBe(mac);
    expect(sameSecret(macUnderKeyOf(mac, 'user-id:zzzz-zzzz', rotated)!, mac)).toBe(false);
    const fresh = macSecret(value, rotated);
    expect(fresh.split(':')[1]).toBe(rotated.currentId);
    expect(fresh.split(':')[1]).not.toBe(before.currentId);
  });

  it('an unknown key id or format gives null, not a match', () => {
    const mac = macSecret(value, keyringOf(randomBytes(32)));
    expect(macUnderKeyOf(mac, value, keyringOf(randomBytes(32)))).toBeNull();
    const ring = keyringOf(randomBytes(32));
    expect(macUnderKeyOf('not-a-mac', value, ring)).toBeNull();
    expect(macUnderKeyOf(`m2:${ring.currentId}:x`, value, ring)).toBeNull();
    expect(macUnderKeyOf('m1::x', value, ring)).toBeNull();
  });

  it('sameSecret compares whole strings', () => {
    expect(sameSecret('m1:a:xyz', 'm1:a:xyz')).toBe(true);
    expect(sameSecret('m1:a:xyz', 'm1:a:xyy')).toBe(false);
    expect(sameSecret('m1:a:xyz', 'm1:a:xy')).toBe(false);
    expect(sameSecret('', '')).toBe(true);
  });
});
