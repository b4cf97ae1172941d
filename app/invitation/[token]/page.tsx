import type { Metadata } from 'next';
import Link from 'next/link';
import { connection } from 'next/server';
import { AcceptInvitationForm } from '@/components/accept-invitation-form';
import { getDb } from '@/db';
import { invitationForPage, LINK_EXPIRED } from '@/lib/people/accept-invitation';
import { acceptInvitationAction } from './actions';

// A link page: never indexed (the global Referrer-Policy keeps the token out of other sites' logs).
export const metadata: Metadata = { title: 'Invitation', robots: { index: false, follow: false } };

type Props = { params: Promise<{ token: string }> };

/**
 * `/invitation/[token]` (docs/people.md): the invited person chooses a password. Open to anyone, signed
 * in or not (a signed-in person may be passing the link on). It shows only what the invitation
 * itself holds — the name, the e-mail, the company — and for any link that opens no live
 * invitation (unknown, used, voided, expired, malformed) the same answer and no form.
 */
export default async function InvitationPage({ params }: Props) {
  await connection();
  const { token } = await params;
  const invitation = await invitationForPage(await getDb(), token);
  return (
    <main className="centered">
      <div className="card narrow">
        <p className="brand">Kladde</p>
        {invitation ? (
          <>
            <h1>Velkommen til Kladde</h1>
            <p>
              Du er inviteret til <strong>{invitation.companyName ?? 'Kladde support'}</strong>. Du
              logger ind med e-mailen <strong className="wrap">{invitation.email}</strong>.
            </p>
            <AcceptInvitationForm
              token={token}
              email={invitation.email}
              name={invitation.name}
              action={acceptInvitationAction}
            />
          </>
        ) : (
          <>
            <h1>{LINK_EXPIRED}</h1>
            <p>
              Bed den, der inviterede dig, om at sende invitationen igen. Har du allerede oprettet
              din adgang, kan du logge ind.
            </p>
            <p>
              <Link href="/login">Log ind</Link>
            </p>
          </>
        )}
      </div>
    </main>
  );
}
