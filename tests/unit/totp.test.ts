/**
 * TOTP (docs/security.md, "Two-step verification"; lib/auth/totp.ts): RFC 6238's own test
 * vectors, the key as it is made and shown, the otpauth:// address, and Kladde's rules for
 * accepting a code (one step either side of now, each step once, spaces allowed).
 */
import { describe, expect, it } from 'vitest';
import {
  acceptedStep,
  codeForStep,
  keyInGroups,
  newTotpKey,
  stepAt,
  totpUri,
} from '@/lib/auth/totp';

/** RFC 6238 Appendix B's SHA-1 seed, the ASCII "12345678901234567890", in base32. */
const RFC_KEY = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP codes (RFC 6238, Appendix B, SHA-1, 8 digits)', () => {
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('T = %i s gives %s', (seconds, code) => {
    expect(codeForStep(RFC_KEY, stepAt(new Date(seconds * 1000)), 8)).toBe(code);
  });

  it('an app shows 6 digits by default: the last 6 of the 8', () => {
    expect(codeForStep(RFC_KEY, stepAt(new Date(59_000)))).toBe('287082');
  });
});

describe('the key', () => {
  it('is 160 bits in base32: 32 characters of A–Z and 2–7, no padding, new each time', () => {
    const keys = Array.from({ length: 20 }, () => newTotpKey());
    for (const key of keys) {
      expect(key).toMatch(/^[A-Z2-7]{32}$/);
      expect(key).not.toContain('=');
    }
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('is shown in groups of four, and a code from the grouped key is the same', () => {
    expect(keyInGroups(RFC_KEY)).toBe('GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ');
    expect(keyInGroups('ABCDEF')).toBe('ABCD EF');
    const step = stepAt(new Date('2026-12-07T08:00:00Z'));
    expect(codeForStep(keyInGroups(RFC_KEY).toLowerCase(), step)).toBe(codeForStep(RFC_KEY, step));
  });

  it('the QR code’s otpauth:// address names Kladde, the person, SHA1, 6 digits, 30 seconds', () => {
    const key = newTotpKey();
    const uri = new URL(totpUri(key, 'mona@firma.dk'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Kladde:mona@firma.dk');
    expect(uri.searchParams.get('issuer')).toBe('Kladde');
    expect(uri.searchParams.get('secret')).toBe(key);
    expect(uri.searchParams.get('algorithm')).toBe('SHA1');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
  });
});

describe('accepting a code', () => {
  const now = new Date('2026-12-07T08:00:10Z');
  const current = stepAt(now);
  const code = (step: number) => codeForStep(RFC_KEY, step);

  it('the 30-second step is the Unix time divided by 30', () => {
    expect(stepAt(new Date(59_000))).toBe(1);
    expect(stepAt(new Date(60_000))).toBe(2);
    expect(current).toBe(Math.floor(now.getTime() / 30_000));
  });

  it('accepts the current step’s code and one step either side (phone clocks drift)', () => {
    expect(acceptedStep(RFC_KEY, code(current), now, null)).toBe(current);
    expect(acceptedStep(RFC_KEY, code(current - 1), now, null)).toBe(current - 1);
    expect(acceptedStep(RFC_KEY, code(current + 1), now, null)).toBe(current + 1);
  });

  it('refuses a code two steps away or more', () => {
    // With this key and clock none of these codes equals one inside the window.
    const inside = [current - 1, current, current + 1].map(code);
    for (const step of [current - 2, current + 2, current - 10, current + 10]) {
      expect(inside).not.toContain(code(step));
      expect(acceptedStep(RFC_KEY, code(step), now, null)).toBeNull();
    }
  });

  it('refuses a code for the step last accepted or an older one: each code works once', () => {
    expect(acceptedStep(RFC_KEY, code(current), now, current)).toBeNull();
    expect(acceptedStep(RFC_KEY, code(current - 1), now, current)).toBeNull();
    expect(acceptedStep(RFC_KEY, code(current - 1), now, current - 1)).toBeNull();
    expect(acceptedStep(RFC_KEY, code(current), now, current - 1)).toBe(current);
    expect(acceptedStep(RFC_KEY, code(current + 1), now, current)).toBe(current + 1);
  });

  it('accepts the code as some apps show it, with a space (and spaces around)', () => {
    const c = code(current);
    expect(acceptedStep(RFC_KEY, `${c.slice(0, 3)} ${c.slice(3)}`, now, null)).toBe(current);
    expect(acceptedStep(RFC_KEY, ` ${c} `, now, null)).toBe(current);
  });

  it('refuses what is not six digits', () => {
    const c = code(current);
    for (const input of [
      '',
      'abcdef',
      `${c.slice(0, 5)}x`,
      `${c.slice(0, 3)}-${c.slice(3)}`,
      c.slice(0, 5),
      `${c}0`,
      codeForStep(RFC_KEY, current, 8),
    ])
      expect(acceptedStep(RFC_KEY, input, now, null)).toBeNull();
  });

  it('refuses the code of another key', () => {
    const theirs = codeForStep('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', current);
    expect([current - 1, current, current + 1].map(code)).not.toContain(theirs);
    expect(acceptedStep(RFC_KEY, theirs, now, null)).toBeNull();
  });
});
