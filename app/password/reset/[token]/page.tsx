import type { Metadata } from 'next';
import Link from 'next/link';
import { connection } from 'next/server';
import { ResetPasswordForm } from '@/components/account/reset-password-form';
import { getDb } from '@/db';
import { LINK_EXPIRED } from '@/lib/people/accept-invitation';
import { resetForPage } from '@/lib/people/password-reset';
import { resetPasswordAction } from './actions';

// A link page: never indexed (the global Referrer-Policy keeps the token out of other sites' logs).
export const metadata: Metadata = {
  title: 'Ny adgangskode',
  robots: { index: false, follow: false },
};

type Props = { params: Promise<{ token: string }> };

/**
 * `/password/reset/[token]` (docs/people.md, "Forgotten password"): a live link shows the form; any
 * other (unknown, used, expired, malformed, or a user who can no longer sign in) the same answer.
 */
export default async function ResetPasswordPage({ params }: Props) {
  await connection();
  const { token } = await params;
  const reset = await resetForPage(await getDb(), token);
  return (
    <main className="centered">
      <div className="card narrow">
        <p className="brand">Kladde</p>
        {reset ? (
          <>
            <h1>Ny adgangskode</h1>
            <p>
              Vælg en ny adgangskode til <strong className="wrap">{reset.email}</strong>.
            </p>
            <ResetPasswordForm token={token} email={reset.email} action={resetPasswordAction} />
          </>
        ) : (
          <>
            <h1>{LINK_EXPIRED}</h1>
            <p>Bed om et nyt link, hvis du stadig skal have en ny adgangskode.</p>
            <p>
              <Link href="/password/forgot">Glemt adgangskode?</Link>
            </p>
          </>
        )}
      </div>
    </main>
  );
}
