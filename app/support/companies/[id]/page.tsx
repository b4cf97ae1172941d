import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { currentActor } from '@/app/_server/auth';
import { pageRead } from '@/app/_server/read';
import { PeopleAudit } from '@/components/people-audit';
import { CompanyIdentityForm } from '@/components/support/company-identity-form';
import { CompanyPeople, type CompanyPerson } from '@/components/support/company-people';
import { CompanyStatusPanel } from '@/components/support/company-status-panel';
import { isSupport } from '@/lib/auth/actor';
import { getCompanyForSupport } from '@/lib/companies/directory';
import { formatDateTime } from '@/lib/format';
import { roleLabel, userStatusLabel } from '@/lib/people/schemas';
import {
  companyStatusAction,
  resendCompanyInvitationAction,
  updateCompanyIdentityAction,
} from '../actions';

export const metadata: Metadata = { title: 'Virksomhed' };

const mailNote: Record<string, string> = {
  not_sent: 'mailen er ikke sendt',
  failed: 'mailen kunne ikke sendes',
};

/**
 * One company for support (docs/people.md): Firmanavn and CVR-nr., its people, its Scalepoint view,
 * Deaktiver / Genaktiver virksomhed and the Ændringslog. Never its orders or customers.
 */
export default async function SupportCompanyPage({ params }: { params: Promise<{ id: string }> }) {
  // Signed out or not support: 404, like the layout (the page's existence is not told).
  const actor = await currentActor();
  if (!isSupport(actor)) notFound();
  const { id } = await params;
  const company = await pageRead(getCompanyForSupport, { companyId: id });
  if (!company) notFound();
  const deactivated = company.deactivatedAt != null;
  const people: CompanyPerson[] = company.users.map((u) => ({
    id: u.id,
    name: u.name,
    email: u.email,
    role: roleLabel[u.role],
    status: userStatusLabel[u.status],
    invited: u.status === 'invited',
    invitationNote:
      u.status === 'invited' && u.invitation
        ? [
            `Invitationen udløber ${formatDateTime(u.invitation.expiresAt)}`,
            mailNote[u.invitation.mailStatus ?? ''],
          ]
            .filter(Boolean)
            .join(', ')
        : u.status === 'invited'
          ? 'Intet gyldigt link'
          : null,
  }));
  return (
    <>
      <p className="crumbs">
        <Link href="/support/companies">Virksomheder</Link> / {company.name}
      </p>
      <div className="pagehead">
        <h1>{company.name}</h1>
        {deactivated && <span className="badge bad">Deaktiveret</span>}
      </div>
      <dl className="facts">
        <dt>CVR-nr.</dt>
        <dd>{company.cvr}</dd>
        <dt>Oprettet</dt>
        <dd>{formatDateTime(company.createdAt)}</dd>
        <dt>Status</dt>
        <dd>{deactivated ? `Deaktiveret ${formatDateTime(company.deactivatedAt)}` : 'Aktiv'}</dd>
        <dt>Integration</dt>
        <dd>
          <Link href={`/support/scalepoint/${company.id}`}>Scalepoint</Link>{' '}
          <span className="muted">(status og adgang)</span>
        </dd>
      </dl>

      <section className="card" aria-labelledby="identity-heading">
        <h2 id="identity-heading">Firmanavn og CVR-nr.</h2>
        <CompanyIdentityForm
          company={{ id: company.id, name: company.name, cvr: company.cvr }}
          action={updateCompanyIdentityAction}
        />
      </section>

      <section className="card" aria-labelledby="people-heading">
        <h2 id="people-heading">Brugere</h2>
        <p className="muted">Virksomhedens administratorer inviterer selv flere brugere.</p>
        <CompanyPeople
          companyId={company.id}
          people={people}
          action={resendCompanyInvitationAction}
        />
      </section>

      <section className="card" aria-labelledby="status-heading">
        <h2 id="status-heading">Deaktivering</h2>
        <CompanyStatusPanel
          company={{ id: company.id, name: company.name, deactivated }}
          action={companyStatusAction}
        />
      </section>

      <PeopleAudit rows={company.audit} />
    </>
  );
}
