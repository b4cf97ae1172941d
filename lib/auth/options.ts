import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getDb } from '@/db';
import { env, type Env } from '@/lib/env';
import { clientAddress } from './client-address';
import { signInAttempt } from './credentials';
import { TOO_MANY_ATTEMPTS } from './messages';

/**
 * The JWT carries only the user id. Role and company are re-read from the database on every
 * privileged request (see app/_server/auth.ts), so a demoted user loses access at once.
 * Built on first use, not at import: `next build` loads this module without production secrets.
 */
let options: NextAuthOptions | undefined;
export function authOptions(): NextAuthOptions {
  options ??= buildAuthOptions(env());
  return options;
}

export function buildAuthOptions(settings: Env, clock = () => new Date()): NextAuthOptions {
  // APP_URL is the one public address: next-auth reads NEXTAUTH_URL for its redirects (sign-out
  // lands on APP_URL/login, not localhost), so it is set before next-auth first reads it.
  process.env.NEXTAUTH_URL ??= settings.appUrl;
  return {
    secret: settings.authSecret,
    session: { strategy: 'jwt', maxAge: 60 * 60 * 12 },
    useSecureCookies: settings.secureCookies,
    // Every sign-in error comes back to /login?error=…, never next-auth's own English pages.
    pages: { signIn: '/login', error: '/login' },
    providers: [
      CredentialsProvider({
        name: 'E-mail',
        credentials: {
          email: { label: 'E-mail', type: 'email' },
          password: { label: 'Adgangskode', type: 'password' },
        },
        async authorize(credentials, req) {
          const forwardedFor = req.headers?.['x-forwarded-for'] as string | string[] | undefined;
          const address = clientAddress(
            Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor,
            settings.trustedProxyHops,
          );
          const result = await signInAttempt(await getDb(), credentials, address);
          if (result.ok) return { id: result.userId };
          if (result.reason === 'throttled') throw new Error(TOO_MANY_ATTEMPTS);
          return null;
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        // signedInAt stays the same when next-auth re-issues the token, so ended sessions stay ended.
        if (user) {
          token.sub = user.id;
          token.signedInAt = clock().getTime();
        }
        return token;
      },
      session({ session, token }) {
        return {
          ...session,
          user: {
            id: token.sub,
            signedInAt: typeof token.signedInAt === 'number' ? token.signedInAt : 0,
          },
        } as typeof session;
      },
    },
  };
}
