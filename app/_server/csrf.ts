import 'server-only';
import { headers } from 'next/headers';

/** next-auth's CSRF token for this page's plain-post forms; proxy.ts makes it (docs/forms.md). */
export async function csrfToken(): Promise<string | null> {
  return (await headers()).get('x-csrf-token');
}
