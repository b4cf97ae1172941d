import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/login-form';
import { currentActor, currentPendingSignIn, homeFor, secondStepUrl } from '@/app/_server/auth';
import { signInErrorMessage, signInNoticeMessage } from '@/lib/auth/messages';
import { returnPath } from '@/lib/auth/return-path';

export const metadata: Metadata = { title: 'Log ind' };

type Props = {
  searchParams: Promise<{
    error?: string | string[];
    notice?: string | string[];
    callbackUrl?: string | string[];
  }>;
};

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function LoginPage({ searchParams }: Props) {
  const actor = await currentActor();
  const { error, notice, callbackUrl } = await searchParams;
  // Back to the page an ended session left, when it is one of ours (lib/auth/return-path.ts).
  const back = returnPath(first(callbackUrl));
  if (actor) redirect(back ?? homeFor(actor));
  // The password was right; the code (or a support user's setup) is still owed.
  const pending = await currentPendingSignIn();
  if (pending) redirect(secondStepUrl(pending, back));
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
          callbackUrl={back ?? '/'}
        />
      </div>
    </main>
  );
}
