import 'server-only';
import type { NextAuthOptions, User } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getDb } from '@/db';
import { env, type Env } from '@/lib/env';
import { isUuid } from '@/lib/ids';
import { asSystem } from '@/lib/tenancy';
import { clientAddress } from './client-address';
import { signInAttempt } from './credentials';
import { TOO_MANY_ATTEMPTS } from './messages';
import { endSession, openSession } from './sessions';

/**
 * The JWT carries only the user id and its session row's id (docs/security.md, "Sessions"). The
 * row, role and company are re-read from the database on every request (app/_server/auth.ts), so
 * an ended session or a demoted user loses access at once.
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
          const db = await getDb();
          const now = clock();
          const result = await signInAttempt(db, credentials, address, now);
          if (result.ok) {
            const sessionId = await asSystem(db, 'sign-in', (tx) =>
              openSession(tx, result.userId, now),
            );
            return { id: result.userId, sessionId } as User;
          }
          if (result.reason === 'throttled') throw new Error(TOO_MANY_ATTEMPTS);
          return null;
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        // The session row's id stays the same when next-auth re-issues the token.
        if (user) {
          token.sub = user.id;
          token.sid = (user as User & { sessionId?: string }).sessionId;
        }
        return token;
      },
      session({ session, token }) {
        return {
          ...session,
          user: { id: token.sub, sessionId: typeof token.sid === 'string' ? token.sid : '' },
        } as typeof session;
      },
    },
    events: {
      // Log ud ends this session's row: a copy of the cookie opens nothing afterwards.
      async signOut({ token }) {
        const sid = (token as { sid?: unknown } | null)?.sid;
        if (typeof sid !== 'string' || !isUuid(sid)) return;
        await asSystem(await getDb(), 'sign-in', (tx) => endSession(tx, sid, clock()));
      },
    },
  };
}
