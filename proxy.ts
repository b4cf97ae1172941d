import { NextResponse, type NextRequest } from 'next/server';
import {
  csrfCookieName,
  newCsrfCookie,
  tokenFromCookie,
} from '@/lib/platform/next-auth-csrf-cookie';
import { env } from '@/lib/env';
import { newNonce, securityHeaders } from '@/lib/security/headers';

/**
 * Security headers with a per-request CSP nonce on every page (docs/security.md). Not an auth
 * guard: pages and actions check the actor themselves. Every page (not /api/*, where next-auth
 * makes its own) also gets next-auth's CSRF cookie here, and its token in `x-csrf-token`, so the
 * login form and the Log ud form work as plain posts, before hydration and without next-auth's
 * client script (docs/forms.md).
 */
export function proxy(request: NextRequest) {
  const settings = env();
  const nonce = newNonce();
  const headers = securityHeaders({
    nonce,
    development: settings.nodeEnv === 'development',
    https: settings.secureCookies,
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  // The page asked for, so a page or action that finds the session ended can send the person
  // back here after signing in again (app/_server/auth.ts). Set here, never taken from the client.
  requestHeaders.set('x-kladde-path', request.nextUrl.pathname + request.nextUrl.search);
  // The page asked for, so a page or action that finds the session ended can send the person
  // back here after signing in again (app/_server/auth.ts). Never trusted from the client.
  requestHeaders.set('x-kladde-path', request.nextUrl.pathname + request.nextUrl.search);
  requestHeaders.set('Content-Security-Policy', headers['Content-Security-Policy']!);

  let csrfCookie: string | undefined;
  if (!request.nextUrl.pathname.startsWith('/api/')) {
    const name = csrfCookieName(settings.secureCookies);
    let token = tokenFromCookie(request.cookies.get(name)?.value, settings.authSecret);
    if (!token) {
      const made = newCsrfCookie(settings.authSecret);
      token = made.token;
      csrfCookie = made.value;
    }
    requestHeaders.set('x-csrf-token', token);
  }

  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  if (csrfCookie) {
    response.cookies.set(csrfCookieName(settings.secureCookies), csrfCookie, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: settings.secureCookies,
    });
  }
  return response;
}

export const config = {
  matcher: [
    {
      // Pages and the auth routes. Not static files, not the Scalepoint intake (its hot path
      // answers JSON to a machine), not prefetches (no document).
      source: '/((?!_next/static|_next/image|favicon.ico|api/scalepoint/).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
