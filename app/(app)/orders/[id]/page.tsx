import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getDb } from '@/db';
import { requireCompanyActor } from '@/app/_server/auth';
import { FieldList } from '@/components/ui/field-list';
import { formatDateTime } from '@/lib/format';
import { getOrder } from '@/lib/orders/queries';
import { formatAddress } from '@/lib/text';

export const metadata: Metadata = { title: 'Ordrekladde' };

export default async function OrderPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireCompanyActor();
  const { id } = await params;
  const order = await getOrder(await getDb(), actor.companyId, id);
  if (!order) notFound();

  const installation = formatAddress({
    street: order.installationStreet,
    houseNumber: order.installationHouseNumber,
    floor: order.installationFloor,
    postalCode: order.installationPostalCode,
    city: order.installationCity,
  });
  const c = order.customer;

  return (
    <>
      <p className="crumbs"><Link href="/orders/drafts">Ordrekladder</Link> / {order.requisitionNumber ?? order.heading}</p>
      <div className="pagehead">
        <h1>{order.heading}</h1>
        <span className="badge">{order.status === 'draft' ? 'Kladde' : order.status}</span>
        {order.source === 'scalepoint' && <span className="badge">Fra Scalepoint</span>}
      </div>
      <section className="card">
        <FieldList
          fields={[
            { label: 'Ordreoverskrift', value: order.heading },
            { label: 'Rekv.nr.', value: order.requisitionNumber },
            { label: 'Ordretype', value: order.orderType },
            { label: 'Arbejdsbeskrivelse', value: order.workDescription ? <span className="prewrap">{order.workDescription}</span> : null },
            {
              label: 'Kunde',
              value: (
                <span>
                  <Link href={`/customers/${c.id}`}>{c.name}</Link> <span className="muted">(kundenr. {c.customerNumber})</span>
                  <br />
                  {formatAddress(c)}
                </span>
              ),
            },
            { label: 'Installationsadresse', value: installation || <span className="muted">Samme som kundens adresse</span> },
            { label: 'Oprettet', value: formatDateTime(order.createdAt) },
          ]}
        />
      </section>
      <section className="card" aria-labelledby="notes-heading">
        <h2 id="notes-heading">Noter på arbejdsseddel</h2>
        {order.notes.length === 0 ? (
          <p className="muted">Ingen noter.</p>
        ) : (
          <ul className="notes">
            {order.notes.map((n) => (
              <li key={n.id} className="note">
                <strong>{n.name}</strong>{n.role && <span className="muted"> ({n.role})</span>}
                {formatAddress(n) && <div>{formatAddress(n)}</div>}
                <div>
                  {n.phone && <span>Telefon: {n.phone} </span>}
                  {n.mobile && <span>Mobil: {n.mobile} </span>}
                  {n.email && <span>E-mail: {n.email}</span>}
                </div>
                {n.text && <p className="prewrap">{n.text}</p>}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
