import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * WORKAROUND: next-auth 4's CSRF double-submit cookie, made by us in next-auth's private format.
 *
 * What it works around: next-auth 4 hands out its CSRF token only through `/api/auth/csrf` or its
 * client script (`getCsrfToken`), so a server-rendered form cannot carry one before hydration. To
 * let /login and Log ud work as plain POSTs (docs/forms.md, "How a form calls the server";
 * docs/security.md, "Security headers"), proxy.ts makes the cookie ahead of time in next-auth's own format
 * (core/lib/csrf-token and core/lib/cookie, not exported): "<token>|sha256hex(<token><secret>)",
 * named next-auth.csrf-token, or __Host-next-auth.csrf-token with Secure cookies.
 *
 * When it can go: when next-auth (or what replaces it) can issue or read the CSRF token on the
 * server for a page, or the sign-in and sign-out forms stop posting to next-auth's routes — check
 * on each next-auth upgrade, since the format is next-auth's private code.
 *
 * Pinned by: tests/unit/security-headers.test.ts, "next-auth's own check accepts it, under
 * next-auth's cookie name" (runs next-auth's private code against this cookie); end to end by
 * e2e/security-headers.spec.ts, "the form posts to next-auth and errors come back to /login in
 * Danish".
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
