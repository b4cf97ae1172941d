import { randomInt } from 'node:crypto';

/**
 * Recovery codes (docs/security.md, "Two-step verification"): 10 per person, `xxxx-xxxx` in
 * lower case, from an alphabet without look-alikes (no 0/o, 1/l/i): 31^8 ≈ 2^39.6 each. Shown once,
 * stored as keyed hashes, each accepted once, typed with or without the dash.
 */
export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const codes = new Set<string>();
  while (codes.size < count) {
    let raw = '';
    for (let i = 0; i < 8; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
    codes.add(`${raw.slice(0, 4)}-${raw.slice(4)}`);
  }
  return [...codes];
}

/** The code in its stored form (`xxxx-xxxx`), from what a person typed; null if it is not one. */
export function normaliseRecoveryCode(input: string): string | null {
  const raw = input.replace(/[\s-]+/g, '').toLowerCase();
  if (raw.length !== 8 || [...raw].some((c) => !ALPHABET.includes(c))) return null;
  return `${raw.slice(0, 4)}-${raw.slice(4)}`;
}
