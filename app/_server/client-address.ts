import 'server-only';
import { headers } from 'next/headers';
import { clientAddress } from '@/lib/auth/client-address';
import { env } from '@/lib/env';

/** This request's client address as the sign-in throttle counts it (docs/security.md, "Sign-in throttle"). */
export async function requestClientAddress(): Promise<string> {
  return clientAddress(
    (await headers()).get('x-forwarded-for') ?? undefined,
    env().trustedProxyHops,
  );
}
