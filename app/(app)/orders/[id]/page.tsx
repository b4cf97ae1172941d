import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requireCompanyActor } from '@/app/_server/auth';
import { pageRead } from '@/app/_server/read';
import { DraftWorkbench } from '@/components/draft-workbench';
import { JobButtons } from '@/components/job-buttons';
import { OrderMarks, StatusBadge } from '@/components/order-marks';
import { OrderHistory } from '@/components/order-history';
import { OrderSteps } from '@/components/order-steps';
import { FieldList } from '@/components/ui/field-list';
import { formatDateTime } from '@/lib/format';
import { getOrder, listDraftOrderTypes } from '@/lib/orders/queries';
import { orderStatusLabel } from '@/lib/orders/status';
import { openMilestones, orderSteps } from '@/lib/orders/steps';
import { orderStepSending } from '@/lib/orders/step-sending';
import { formatAddress } from '@/lib/address';
import {
  approveDraftAction,
  findCustomersAction,
  rejectDraftAction,
  recordMilestoneAction,
  reopenOrderAction,
  restoreDraftAction,
  retryOutboxAction,
  saveDraftAction,
} from './actions';

export const metadata: Metadata = { title: 'Ordre' };

export default async function OrderPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireCompanyActor();
  const { id } = await params;
  const order = await pageRead(getOrder, { orderId: id });
  if (!order) notFound();
  const isDraft = order.status === 'draft' || order.status === 'rejected';
  // A case from Scalepoint: what Kladde sends back for each step (issue 22); others send nothing.
  const [steps, sending, orderTypes] = await Promise.all([
    pageRead(orderSteps, { orderId: order.id }),
    order.source === 'scalepoint'
      ? pageRead(orderStepSending, { orderId: order.id })
      : Promise.resolve([]),
    order.status === 'draft'
      ? pageRead(listDraftOrderTypes, { keep: order.orderTypeId })
      : Promise.resolve([]),
  ]);
  // Forløb's buttons: the open milestones on Ny and I gang; Genåbn for an admin on Afsluttet.
  const open = openMilestones(order.status, steps);
  const canReopen = order.status === 'closed' && actor.role === 'admin';

  const installation = formatAddress({
    street: order.installationStreet,
    houseNumber: order.installationHouseNumber,
    floor: order.installationFloor,
    postalCode: order.installationPostalCode,
    city: order.installationCity,
  });
  const c = order.customer;
  const marks = {
    missingPolicyholder: order.missingPolicyholder,
    scalepointClosed: !!order.scalepointClosedAt,
    scalepointCloseReason: order.scalepointCloseReason,
  };

  return (
    <>
      <p className="crumbs">
        {isDraft ? (
          <Link
            href={order.status === 'rejected' ? '/orders/drafts?status=rejected' : '/orders/drafts'}
          >
            Ordrekladder
          </Link>
        ) : (
          <Link href="/orders">Ordrer</Link>
        )}{' '}
        / {order.orderNumber ?? order.requisitionNumber ?? order.heading}
      </p>
      <div className="pagehead">
        <h1>{order.heading}</h1>
        <StatusBadge status={order.status} />
        {order.source === 'scalepoint' && <span className="badge">Fra Scalepoint</span>}
        <OrderMarks marks={marks} />
      </div>
      {order.scalepointClosedAt && (
        <p className="alert warn">
          Sagen blev lukket hos Scalepoint {formatDateTime(order.scalepointClosedAt)}
          {order.scalepointCloseReason ? `: ${order.scalepointCloseReason}` : '.'}
        </p>
      )}
      {order.status === 'rejected' && (
        <p className="alert error">
          {orderStatusLabel.rejected} {formatDateTime(order.rejectedAt)}. Begrundelse:{' '}
          {order.rejectionReason}
        </p>
      )}
      <DraftWorkbench
        orderId={order.id}
        status={order.status}
        marks={marks}
        editor={{
          initial: {
            orderId: order.id,
            heading: order.heading,
            requisitionNumber: order.requisitionNumber ?? '',
            orderTypeId: order.orderTypeId,
            workDescription: order.workDescription ?? '',
            installation: {
              street: order.installationStreet ?? '',
              houseNumber: order.installationHouseNumber ?? '',
              floor: order.installationFloor ?? '',
              postalCode: order.installationPostalCode ?? '',
              city: order.installationCity ?? '',
            },
            customerMode: 'existing',
            customerId: c.id,
            newCustomer: {
              name: '',
              customerNumber: '',
              phone: '',
              email: '',
              addressFromInstallation: true,
            },
          },
          customer: { id: c.id, name: c.name, customerNumber: c.customerNumber },
          orderTypes,
        }}
        actions={{
          save: saveDraftAction,
          approve: approveDraftAction,
          reject: rejectDraftAction,
          restore: restoreDraftAction,
          find: findCustomersAction,
        }}
      >
        <section className="card">
          <FieldList
            fields={[
              ...(order.orderNumber !== null
                ? [{ label: 'Ordrenr.', value: String(order.orderNumber) }]
                : []),
              { label: 'Ordreoverskrift', value: order.heading },
              { label: 'Rekv.nr.', value: order.requisitionNumber },
              { label: 'Ordretype', value: order.orderType },
              {
                label: 'Arbejdsbeskrivelse',
                value: order.workDescription ? (
                  <span className="prewrap">{order.workDescription}</span>
                ) : null,
              },
              {
                label: 'Kunde',
                value: (
                  <span>
                    <Link href={`/customers/${c.id}`}>{c.name}</Link>{' '}
                    <span className="muted">(kundenr. {c.customerNumber})</span>
                    <br />
                    {formatAddress(c)}
                  </span>
                ),
              },
              {
                label: 'Installationsadresse',
                value: installation || <span className="muted">Samme som kundens adresse</span>,
              },
              ...(order.scalepointCaseNumber
                ? [{ label: 'Scalepoint-sag', value: order.scalepointCaseNumber }]
                : []),
              ...(order.scalepointServiceReference
                ? [{ label: 'Serviceopgave', value: order.scalepointServiceReference }]
                : []),
              { label: 'Oprettet', value: formatDateTime(order.createdAt) },
            ]}
          />
        </section>
      </DraftWorkbench>
      <OrderSteps steps={steps} clocks={order.clocks} sending={sending} retry={retryOutboxAction}>
        {!isDraft && (
          <JobButtons
            orderId={order.id}
            open={open}
            canReopen={canReopen}
            arrivedAt={order.createdAt.toISOString()}
            actions={{ record: recordMilestoneAction, reopen: reopenOrderAction }}
          />
        )}
      </OrderSteps>
      <section className="card" aria-labelledby="notes-heading">
        <h2 id="notes-heading">Noter på arbejdsseddel</h2>
        {order.notes.length === 0 ? (
          <p className="muted">Ingen noter.</p>
        ) : (
          <ul className="notes">
            {order.notes.map((n) => (
              <li key={n.id} className="note">
                <strong>{n.name}</strong>
                {n.role && <span className="muted"> ({n.role})</span>}
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
      <OrderHistory createdAt={order.createdAt} delivery={order.delivery} history={order.history} />
    </>
  );
}
