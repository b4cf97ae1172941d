import NextAuth from 'next-auth';
import { authOptions } from '@/lib/auth/options';

type Context = { params: Promise<{ nextauth: string[] }> };

// The handler is made on first request, so the build never needs the production secrets.
let handler: ReturnType<typeof NextAuth> | undefined;
function auth(req: Request, ctx: Context) {
  handler ??= NextAuth(authOptions());
  return handler(req, ctx);
}

export { auth as GET, auth as POST };
