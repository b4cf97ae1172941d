import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SecondStepForm } from '@/components/auth/second-step-form';
import { SignOutForm } from '@/components/sign-out-form';
import { csrfToken } from '@/app/_server/csrf';
import { currentActor, currentPendingSignIn, homeFor, secondStepUrl } from '@/app/_server/auth';
import { returnPath } from '@/lib/auth/return-path';
import { confirmSignInCodeAction } from './actions';

export const metadata: Metadata = { title: 'Kode fra din app' };

type Props = { searchParams: Promise<{ callbackUrl?: string | string[] }> };

/**
 * The second sign-in step (docs/security.md, "Two-step verification"): after the password, a
 * person with two-step verification on gives the code from the app, or a recovery code. The
 * password-checked sign-in lasts 5 minutes and opens no other page.
 */
export default async function SecondStepPage({ searchParams }: Props) {
  const raw = (await searchParams).callbackUrl;
  const back = returnPath(Array.isArray(raw) ? raw[0] : raw);
  const actor = await currentActor();
  if (actor) redirect(back ?? homeFor(actor));
  const pending = await currentPendingSignIn();
  if (!pending) redirect('/login');
  if (pending.step !== 'code') redirect(secondStepUrl(pending, back));
  return (
    <main className="centered">
      <div className="card narrow">
        <p className="brand">Kladde</p>
        <h1>To-trinsbekræftelse</h1>
        <p className="muted">
          Logger ind som <strong className="wrap">{pending.email}</strong>.
        </p>
        <SecondStepForm action={confirmSignInCodeAction} callbackUrl={back ?? ''} />
        <div className="buttons" style={{ marginTop: '1rem' }}>
          <SignOutForm csrfToken={await csrfToken()} label="Log ind som en anden" />
        </div>
      </div>
    </main>
  );
}
