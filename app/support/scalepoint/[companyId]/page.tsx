import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { pageRead } from '@/app/_server/read';
import { currentActor } from '@/app/_server/auth';
import { isSupport } from '@/lib/auth/actor';
import { toConnectionCard } from '@/components/support/connection-card';
import { ConnectionForm } from '@/components/support/connection-form';
import { CredentialsForm } from '@/components/support/credentials-form';
import { RevokeSecretForm } from '@/components/support/revoke-secret-form';
import { formatDateTime } from '@/lib/format';
import { statusLabel } from '@/lib/scalepoint/settings/words';
import { getSupportCompanyView } from '@/lib/scalepoint/support/company-view';
import { connectionAction, revokePreviousSecretAction, storeCredentialsAction } from '../actions';

export const metadata: Metadata = { title: 'Scalepoint-adgang' };

export default async function SupportCompanyPage({
  params,
}: {
  params: Promise<{ companyId: string }>;
}) {
  // Signed out or not support: 404, like the layout (the page's existence is not told).
  const actor = await currentActor();
  if (!isSupport(actor)) notFound();
  const { companyId } = await params;
  const view = await pageRead(getSupportCompanyView, { companyId });
  if (!view) notFound();
  const { company, credentials } = view;
  return (
    <>
      <p className="crumbs">
        <Link href="/support/scalepoint">Scalepoint-adgange</Link> / {company.name}
      </p>
      <div className="pagehead">
        <h1>{company.name}</h1>
      </div>
      <p>
        CVR {company.cvr} · Status:{' '}
        <strong data-testid="integration-status">{statusLabel[view.status]}</strong>
        {' · '}Bad om adgang: {view.lastMailAt ? formatDateTime(view.lastMailAt) : 'ikke endnu'}
      </p>

      <section className="card" aria-labelledby="direct-heading">
        <h2 id="direct-heading">Direkte levering</h2>
        <p className="muted">
          {credentials
            ? `Konto-id ${credentials.accountId}, nøgle …${credentials.secretLast4}, registreret ${formatDateTime(credentials.storedAt)} af ${credentials.storedBy ?? 'ukendt'}.`
            : 'Ingen adgang gemt.'}{' '}
          Nøglen krypteres og vises aldrig igen; en ny nøgle erstatter den gamle, som virker i 24
          timer endnu.
        </p>
        <CredentialsForm
          companyId={company.id}
          companyName={company.name}
          accountId={credentials?.accountId ?? ''}
          hasSecret={!!credentials}
          action={storeCredentialsAction}
        />
        {credentials && (
          <RevokeSecretForm
            companyId={company.id}
            until={
              credentials.previousValidUntil ? formatDateTime(credentials.previousValidUntil) : null
            }
            action={revokePreviousSecretAction}
          />
        )}
      </section>

      <section aria-labelledby="events-heading">
        <h2 id="events-heading">Scalepoint Events API</h2>
        <p className="muted">
          Én forbindelse pr. forsikringsselskab (tenant) og miljø. Når en forbindelse gemmes første
          gang, laver Kladde et nøglepar og et certifikat; hent certifikatet og send det til
          Scalepoint sammen med klient-id’et. Den private nøgle forlader aldrig serveren.
        </p>
        {view.connections.length === 0 && <p className="empty">Ingen forbindelser endnu.</p>}
        {view.connections.map((c) => (
          <ConnectionForm
            key={c.id}
            companyId={company.id}
            connection={toConnectionCard(company.id, c)}
            action={connectionAction}
          />
        ))}
        <ConnectionForm companyId={company.id} action={connectionAction} />
      </section>
    </>
  );
}
