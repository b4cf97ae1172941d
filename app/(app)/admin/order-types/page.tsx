import type { Metadata } from 'next';
import Link from 'next/link';
import { requireCompanyAdmin } from '@/app/_server/auth';
import { pageRead } from '@/app/_server/read';
import { NewOrderTypeForm } from '@/components/admin/new-order-type-form';
import { OrderTypesList } from '@/components/admin/order-types-list';
import { PeopleAudit } from '@/components/people-audit';
import { peopleAudit } from '@/lib/companies/details';
import { listOrderTypes } from '@/lib/order-types/order-types';
import { createOrderTypeAction, renameOrderTypeAction, setOrderTypeActiveAction } from './actions';

export const metadata: Metadata = { title: 'Ordretyper' };

/** Ordretyper (docs/people.md): the company's types, Omdøb, Deaktiver / Genaktiver, Ny ordretype, and the Ændringslog. */
export default async function OrderTypesPage() {
  await requireCompanyAdmin();
  const [types, audit] = await Promise.all([pageRead(listOrderTypes), pageRead(peopleAudit)]);
  return (
    <>
      <p className="crumbs">
        <Link href="/admin">Administration</Link> / Ordretyper
      </p>
      <div className="pagehead">
        <h1>Ordretyper</h1>
      </div>
      <p className="muted">
        Ordretyperne, der kan vælges på ordrekladder og ordrer. En deaktiveret ordretype kan ikke
        vælges på nye kladder, men ordrer, der har den, beholder den. Et nyt navn kommer på alle
        ordrer med typen.
      </p>

      <section className="card">
        <OrderTypesList
          types={types}
          rename={renameOrderTypeAction}
          setActive={setOrderTypeActiveAction}
        />
      </section>

      <section className="card" aria-labelledby="new-type-heading">
        <h2 id="new-type-heading">Ny ordretype</h2>
        <NewOrderTypeForm action={createOrderTypeAction} />
      </section>

      <PeopleAudit rows={audit} />
    </>
  );
}
