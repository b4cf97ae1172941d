import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getDb } from '@/db';
import { currentActor } from '@/app/_server/auth';
import { CredentialsForm } from '@/components/credentials-form';
import { isSupport } from '@/lib/auth/actor';
import { formatDateTime } from '@/lib/format';
import { listCompaniesForSupport } from '@/lib/scalepoint/credentials';
import { statusLabel } from '@/lib/scalepoint/settings';
import { storeCredentialsAction } from './actions';

export const metadata: Metadata = { title: 'Scalepoint-adgange' };

export default async function SupportScalepointPage() {
  const actor = await currentActor();
  if (!isSupport(actor)) notFound();
  const companies = await listCompaniesForSupport(await getDb(), actor);
  return (
    <>
      <div className="pagehead"><h1>Scalepoint-adgange</h1></div>
      <p className="muted">
        Når Scalepoint åbner adgangen for en virksomhed, sender de et konto-id og en signeringsnøgle til support. Gem dem her
        under virksomheden. Nøglen krypteres og vises aldrig igen; en ny nøgle erstatter den gamle, som virker i 24 timer endnu.
      </p>
      <div className="tablewrap" style={{ marginBottom: '1.25rem' }}>
        <table className="datatable" aria-label="Virksomheder">
          <thead>
            <tr><th scope="col">Virksomhed</th><th scope="col">Status</th><th scope="col">Bad om adgang</th><th scope="col">Adgang</th></tr>
          </thead>
          <tbody>
            {companies.map((c) => (
              <tr key={c.id}>
                <td>{c.name} <span className="muted">(CVR {c.cvr})</span></td>
                <td>{statusLabel[c.status]}</td>
                <td>{c.lastMailAt ? formatDateTime(c.lastMailAt) : <span className="muted">Ikke endnu</span>}</td>
                <td>
                  {c.accountId ? (
                    <>Konto-id {c.accountId}, nøgle …{c.secretLast4}<br /><span className="muted">registreret {formatDateTime(c.storedAt)} af {c.storedBy ?? 'ukendt'}</span></>
                  ) : (
                    <span className="muted">Ingen adgang gemt</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {companies.map((c) => (
        <section key={c.id} className="card" aria-label={c.name}>
          <CredentialsForm companyId={c.id} companyName={c.name} status={statusLabel[c.status]} accountId={c.accountId ?? ''} hasSecret={!!c.accountId} save={storeCredentialsAction} />
        </section>
      ))}
    </>
  );
}
