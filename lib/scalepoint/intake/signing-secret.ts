/**
 * The shape of a Signeringsnøgle (`whsec_` + base64), without node:crypto or Buffer: the support
 * form's schema runs in the browser, where importing signature.ts would bundle a crypto polyfill
 * whose eval probes trip the CSP (docs/security.md).
 */
export const SECRET_PREFIX = 'whsec_';
export const MIN_SECRET_BYTES = 24;
export const MAX_SECRET_BYTES = 64;

/**
 * The base64 body (without `=` padding) of a strict standard-alphabet base64 string, or null:
 * only A–Z a–z 0–9 + /, optional correct `=` padding (required when `requirePadding`).
 */
export function strictBase64Body(s: string, requirePadding: boolean): string | null {
  if (s.length === 0) return null;
  const m = /^([A-Za-z0-9+/]*)(={0,2})$/.exec(s);
  if (!m) return null;
  const body = m[1] ?? '';
  const pad = m[2] ?? '';
  if (pad.length > 0 || requirePadding) {
    if (s.length % 4 !== 0) return null;
  } else if (body.length % 4 === 1) {
    return null;
  }
  if (body.length === 0) return null;
  return body;
}

/** `whsec_` + valid base64 (standard alphabet, padding optional) decoding to 24..64 bytes. */
export function isValidSigningSecret(secret: string): boolean {
  if (typeof secret !== 'string') return false;
  const s = secret.trim();
  if (!s.startsWith(SECRET_PREFIX)) return false;
  const body = strictBase64Body(s.slice(SECRET_PREFIX.length), false);
  if (!body) return false;
  const bytes = Math.floor((body.length * 3) / 4);
  return bytes >= MIN_SECRET_BYTES && bytes <= MAX_SECRET_BYTES;
}
