import { Secret, TOTP } from 'otpauth';

/**
 * TOTP as authenticator apps use it (RFC 6238): 6 digits, 30-second steps, HMAC-SHA-1, a 160-bit
 * key shown as base32 (docs/security.md, "Two-step verification"). The arithmetic is the
 * `otpauth` library's; this module adds the rules Kladde keeps: one step either side of now is
 * accepted (a phone's clock drifts), and a step is accepted once (the caller stores the last).
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
const ISSUER = 'Kladde';

/** A new random key, base32 (upper case, no `=` padding: 160 bits are exactly 32 characters). */
export function newTotpKey(): string {
  return new Secret({ size: 20 }).base32;
}

/** The key as a person types it: groups of four separated by spaces. */
export function keyInGroups(key: string): string {
  return key.replace(/(.{4})(?=.)/g, '$1 ');
}

function totpOf(key: string, label = '', digits = TOTP_DIGITS): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(key.replace(/\s+/g, '').toUpperCase()),
  });
}

/** The otpauth:// address the QR code holds; the label is the person's e-mail. */
export function totpUri(key: string, email: string): string {
  return totpOf(key, email).toString();
}

/** The 30-second step `at` falls in (RFC 6238's T). */
export function stepAt(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code for a step (tests and the e2e suite compute codes the way an app does). */
export function codeForStep(key: string, step: number, digits = TOTP_DIGITS): string {
  return totpOf(key, '', digits).generate({ timestamp: step * TOTP_PERIOD_SECONDS * 1000 });
}

/** Digits only, spaces removed ("123 456" is how some apps show a code); null if not a code. */
export function normaliseTotpCode(input: string): string | null {
  const digits = input.replace(/\s+/g, '');
  return new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(digits) ? digits : null;
}

/**
 * The step whose code `code` is, within one step of `now` and after `lastStep` (a code is
 * accepted once), or null. Newest first, so a code cannot be used for an older step.
 */
export function acceptedStep(
  key: string,
  code: string,
  now: Date,
  lastStep: number | null,
): number | null {
  const digits = normaliseTotpCode(code);
  if (!digits) return null;
  const current = stepAt(now);
  for (const step of [current + 1, current, current - 1]) {
    if (lastStep !== null && step <= lastStep) continue;
    if (sameDigits(codeForStep(key, step), digits)) return step;
  }
  return null;
}

function sameDigits(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
