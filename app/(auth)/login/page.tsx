import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/login-form';
import { currentActor, homeFor } from '@/app/_server/auth';
import { signInErrorMessage, signInNoticeMessage } from '@/lib/auth/messages';

export const metadata: Metadata = { title: 'Log ind' };

type Props = { searchParams: Promise<{ error?: string | string[]; notice?: string | string[] }> };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function LoginPage({ searchParams }: Props) {
  const actor = await currentActor();
  if (actor) redirect(homeFor(actor));
  const { error, notice } = await searchParams;
  // proxy.ts puts next-auth's CSRF token here, for the form posted before hydration.
  const csrfToken = (await headers()).get('x-csrf-token');
  return (
    <main className="centered">
      <div className="card narrow">
        <p className="brand">Kladde</p>
        <h1>Log ind</h1>
        <LoginForm
          csrfToken={csrfToken}
          initialError={signInErrorMessage(first(error))}
          notice={signInNoticeMessage(first(notice))}
        />
      </div>
    </main>
  );
}
