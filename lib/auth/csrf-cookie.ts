import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * next-auth 4's CSRF double-submit cookie, made ahead of time so /login can render its form with
 * a token and work before hydration (a plain POST to /api/auth/callback/credentials). The format
 * is next-auth 4's own (core/lib/csrf-token): cookie "<token>|sha256hex(<token><secret>)", named
 * next-auth.csrf-token, or __Host-next-auth.csrf-token with Secure cookies. See docs/security.md.
 */
export function csrfCookieName(secure: boolean): string {
  return secure ? '__Host-next-auth.csrf-token' : 'next-auth.csrf-token';
}

const hashOf = (token: string, secret: string) =>
  createHash('sha256').update(`${token}${secret}`).digest('hex');

/** The token of a valid cookie value, else null. */
export function tokenFromCookie(value: string | undefined, secret: string): string | null {
  if (!value) return null;
  const [token, hash] = value.split('|');
  if (!token || !hash) return null;
  const expected = Buffer.from(hashOf(token, secret));
  const given = Buffer.from(hash);
  return expected.length === given.length && timingSafeEqual(expected, given) ? token : null;
}

export function newCsrfCookie(secret: string): { token: string; value: string } {
  const token = randomBytes(32).toString('hex');
  return { token, value: `${token}|${hashOf(token, secret)}` };
}
