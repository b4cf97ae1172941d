import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getDb } from '@/db';
import { requireCompanyActor } from '@/app/_server/auth';
import { FieldList } from '@/components/ui/field-list';
import { getCustomer } from '@/lib/customers/queries';
import { formatDateTime } from '@/lib/format';
import { orderStatusLabel } from '@/lib/orders/status';
import { formatAddress } from '@/lib/address';

export const metadata: Metadata = { title: 'Kunde' };

export default async function CustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireCompanyActor();
  const { id } = await params;
  const customer = await getCustomer(await getDb(), actor.companyId, id);
  if (!customer) notFound();
  return (
    <>
      <p className="crumbs">
        <Link href="/customers">Kunder</Link> / {customer.customerNumber}
      </p>
      <div className="pagehead">
        <h1>{customer.name}</h1>
      </div>
      <section className="card">
        <FieldList
          fields={[
            { label: 'Kundenr.', value: customer.customerNumber },
            { label: 'Navn', value: customer.name },
            { label: 'Adresse', value: formatAddress(customer) },
            { label: 'Telefon', value: customer.phone },
            { label: 'Mobil', value: customer.mobile },
            { label: 'E-mail', value: customer.email },
            { label: 'CVR', value: customer.cvr },
          ]}
        />
      </section>
      <section className="card" aria-labelledby="orders-heading">
        <h2 id="orders-heading">Ordrer</h2>
        {customer.orders.length === 0 ? (
          <p className="muted">Kunden har ingen ordrer.</p>
        ) : (
          <table className="datatable">
            <thead>
              <tr>
                <th scope="col">Ordrenr.</th>
                <th scope="col">Ordreoverskrift</th>
                <th scope="col">Rekv.nr.</th>
                <th scope="col">Ordretype</th>
                <th scope="col">Status</th>
                <th scope="col">Oprettet</th>
              </tr>
            </thead>
            <tbody>
              {customer.orders.map((o) => (
                <tr key={o.id}>
                  <td>{o.orderNumber ?? ''}</td>
                  <td>
                    <Link href={`/orders/${o.id}`}>{o.heading}</Link>
                  </td>
                  <td>{o.requisitionNumber}</td>
                  <td>{o.orderType}</td>
                  <td>{orderStatusLabel[o.status]}</td>
                  <td>{formatDateTime(o.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
