import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getDb } from '@/db';
import { env } from '@/lib/env';
import { checkCredentials } from './credentials';

/**
 * The JWT carries only the user id. Role and company are re-read from the database on every
 * privileged request (see app/_server/auth.ts), so a demoted user loses access at once.
 * Built on first use, not at import: `next build` loads this module without production secrets.
 */
let options: NextAuthOptions | undefined;
export function authOptions(): NextAuthOptions {
  options ??= build();
  return options;
}

const build = (): NextAuthOptions => ({
  secret: env().authSecret,
  session: { strategy: 'jwt', maxAge: 60 * 60 * 12 },
  pages: { signIn: '/login' },
  providers: [
    CredentialsProvider({
      name: 'E-mail',
      credentials: { email: { label: 'E-mail', type: 'email' }, password: { label: 'Adgangskode', type: 'password' } },
      async authorize(credentials) {
        const db = await getDb();
        const userId = await checkCredentials(db, credentials);
        return userId ? { id: userId } : null;
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      return { ...session, user: { id: token.sub } } as typeof session;
    },
  },
});
