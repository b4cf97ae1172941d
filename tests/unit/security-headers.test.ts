import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  csrfCookieName,
  newCsrfCookie,
  tokenFromCookie,
} from '@/lib/platform/next-auth-csrf-cookie';
import { newNonce, securityHeaders } from '@/lib/security/headers';

describe('securityHeaders', () => {
  it('gives production pages a nonce CSP without eval, nosniff and a referrer policy', () => {
    const h = securityHeaders({ nonce: 'abc123==', development: false, https: false });
    const csp = h['Content-Security-Policy']!;
    expect(csp).toContain("script-src 'self' 'nonce-abc123==' 'strict-dynamic'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(h['X-Content-Type-Options']).toBe('nosniff');
    expect(h['Referrer-Policy']).toBe('strict-origin-when-cross-origin');
    expect(h['Strict-Transport-Security']).toBeUndefined();
  });

  it("allows eval only in development (React's dev build)", () => {
    expect(
      securityHeaders({ nonce: 'n', development: true, https: false })['Content-Security-Policy'],
    ).toContain("'strict-dynamic' 'unsafe-eval'");
  });

  it('adds HSTS and upgrade-insecure-requests only when APP_URL is https', () => {
    const h = securityHeaders({ nonce: 'n', development: false, https: true });
    expect(h['Strict-Transport-Security']).toMatch(/^max-age=\d{8,}/);
    expect(h['Content-Security-Policy']).toContain('upgrade-insecure-requests');
  });

  it('makes a fresh 128-bit nonce every time', () => {
    const a = newNonce();
    expect(Buffer.from(a, 'base64')).toHaveLength(16);
    expect(newNonce()).not.toBe(a);
  });
});

describe("next-auth's CSRF cookie, made by proxy.ts", () => {
  const secret = 'test-secret';
  it("is in next-auth 4's format and verifies", () => {
    const { token, value } = newCsrfCookie(secret);
    expect(value).toBe(
      `${token}|${createHash('sha256').update(`${token}${secret}`).digest('hex')}`,
    );
    expect(tokenFromCookie(value, secret)).toBe(token);
  });

  it('refuses a cookie signed with another secret, or malformed', () => {
    const { value } = newCsrfCookie('other');
    expect(tokenFromCookie(value, secret)).toBeNull();
    expect(tokenFromCookie('abc', secret)).toBeNull();
    expect(tokenFromCookie(undefined, secret)).toBeNull();
  });

  it('uses the __Host- name with Secure cookies', () => {
    expect(csrfCookieName(true)).toBe('__Host-next-auth.csrf-token');
    expect(csrfCookieName(false)).toBe('next-auth.csrf-token');
  });

  // lib/platform/next-auth-csrf-cookie.ts copies next-auth's private format: run next-auth's own code.
  it("next-auth's own check accepts it, under next-auth's cookie name", () => {
    const load = createRequire(import.meta.url);
    const lib = path.resolve('node_modules/next-auth/core/lib');
    const { createCSRFToken } = load(path.join(lib, 'csrf-token.js')) as {
      createCSRFToken(o: {
        options: { secret: string };
        cookieValue?: string;
        isPost: boolean;
        bodyValue?: string;
      }): { csrfToken: string; csrfTokenVerified?: boolean; cookie?: string };
    };
    const { defaultCookies } = load(path.join(lib, 'cookie.js')) as {
      defaultCookies(secure: boolean): { csrfToken: { name: string } };
    };
    const { token, value } = newCsrfCookie(secret);
    expect(
      createCSRFToken({ options: { secret }, cookieValue: value, isPost: true, bodyValue: token }),
    ).toEqual({ csrfToken: token, csrfTokenVerified: true });
    // And the other way round: a cookie next-auth made is one the proxy keeps.
    const made = createCSRFToken({ options: { secret }, isPost: false });
    expect(tokenFromCookie(made.cookie, secret)).toBe(made.csrfToken);
    for (const secure of [true, false])
      expect(csrfCookieName(secure)).toBe(defaultCookies(secure).csrfToken.name);
  });
});
