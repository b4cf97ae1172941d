import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/login-form';
import { currentActor, homeFor } from '@/app/_server/auth';
import { signInErrorMessage } from '@/lib/auth/messages';

export const metadata: Metadata = { title: 'Log ind' };

type Props = { searchParams: Promise<{ error?: string | string[] }> };

export default async function LoginPage({ searchParams }: Props) {
  const actor = await currentActor();
  if (actor) redirect(homeFor(actor));
  const { error } = await searchParams;
  // proxy.ts puts next-auth's CSRF token here, for the form posted before hydration.
  const csrfToken = (await headers()).get('x-csrf-token');
  return (
    <main className="centered">
      <div className="card narrow">
        <p className="brand">Kladde</p>
        <h1>Log ind</h1>
        <LoginForm csrfToken={csrfToken} initialError={signInErrorMessage(Array.isArray(error) ? error[0] : error)} />
      </div>
    </main>
  );
}
