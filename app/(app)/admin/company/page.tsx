import type { Metadata } from 'next';
import Link from 'next/link';
import { requireCompanyAdmin } from '@/app/_server/auth';
import { pageRead } from '@/app/_server/read';
import { CompanyDetailsForm } from '@/components/admin/company-details-form';
import { PeopleAudit } from '@/components/people-audit';
import { getCompanyDetails } from '@/lib/companies/details';
import { saveCompanyDetailsAction } from './actions';

export const metadata: Metadata = { title: 'Firmaoplysninger' };

/** Firmaoplysninger (docs/people.md): name, address, phone and e-mail (the access mail to Scalepoint uses them); the CVR is shown. */
export default async function CompanyPage() {
  await requireCompanyAdmin();
  const { details, audit } = await pageRead(getCompanyDetails);
  const value = (v: string | null) => v ?? '';
  return (
    <>
      <p className="crumbs">
        <Link href="/admin">Administration</Link> / Firmaoplysninger
      </p>
      <div className="pagehead">
        <h1>Firmaoplysninger</h1>
      </div>
      <p className="muted">Oplysningerne står i mailen til Scalepoint, når I beder om adgang.</p>
      <section className="card">
        <CompanyDetailsForm
          cvr={details.cvr}
          action={saveCompanyDetailsAction}
          saved={{
            name: details.name,
            street: value(details.street),
            houseNumber: value(details.houseNumber),
            postalCode: value(details.postalCode),
            city: value(details.city),
            phone: value(details.phone),
            email: value(details.email),
          }}
        />
      </section>
      <PeopleAudit rows={audit} />
    </>
  );
}
