import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/db';
import { requireCompanyAdmin } from '@/app/_server/auth';
import { DeadlinesForm } from '@/components/deadlines-form';
import { DeliveriesLog } from '@/components/deliveries-log';
import { OutboxLog } from '@/components/outbox-log';
import { ScalepointSettingsForm } from '@/components/scalepoint-settings-form';
import { SendMailPanel } from '@/components/send-mail-panel';
import { auditDescription, readAudit } from '@/lib/audit-actions';
import { formatDateTime } from '@/lib/format';
import { DEADLINE_WORDS } from '@/lib/scalepoint/deadlines/words';
import { connectionErrorText } from '@/lib/scalepoint/events/words';
import { previewAccessMail } from '@/lib/scalepoint/admin/access-mail';
import { listOutbox } from '@/lib/scalepoint/outbound/reads';
import {
  outboxFilterKeys,
  outboxReasonText,
  outboxStatusLabel,
  propertyLabel,
} from '@/lib/scalepoint/outbound/words';
import { deliveryStatusFilters, listDeliveries } from '@/lib/scalepoint/admin/deliveries';
import { getScalepointOverview } from '@/lib/scalepoint/admin/overview';
import { statusLabel } from '@/lib/scalepoint/settings/words';
import {
  replayAction,
  retryOutboxAction,
  saveDeadlinesAction,
  saveSettingsAction,
  sendMailAction,
} from './actions';

export const metadata: Metadata = { title: 'Scalepoint' };

const mailStatusText = {
  sending: 'sendes',
  sent: 'sendt',
  not_sent: 'ikke sendt (ingen mailtjeneste sat op)',
  failed: 'fejlede',
} as const;

export default async function ScalepointPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireCompanyAdmin();
  const db = await getDb();
  const sp = await searchParams;
  const filter = deliveryStatusFilters.find((f) => f === sp.status) ?? 'all';
  const sendt = outboxFilterKeys.find((f) => f === sp.sendt) ?? 'alle';
  const [overview, mail, deliveries, outbox] = await Promise.all([
    getScalepointOverview(db, actor),
    previewAccessMail(db, actor),
    listDeliveries(db, actor, { status: filter }),
    listOutbox(db, actor, { sendt, limit: 100 }),
  ]);
  const s = overview.settings;
  const statusClass =
    overview.status === 'active'
      ? 'ok'
      : overview.status === 'awaiting_access'
        ? 'warn'
        : 'neutral';

  return (
    <>
      <p className="crumbs">
        <Link href="/admin">Administration</Link> / Tilvalgsmoduler
      </p>
      <div className="pagehead">
        <h1>Scalepoint</h1>
      </div>
      <p className="muted">
        Kladde kan modtage forsikringssager fra Scalepoint og oprette nye ordrekladder ud fra dem.
        Slå modulet til, vælg en standard ordretype og gem. Send derefter en mail til Scalepoint;
        når Scalepoint åbner adgangen, gemmer Kladdes support oplysningerne, og integrationen
        begynder at virke.
      </p>

      <div className="grid2">
        <div>
          <section className="card" aria-labelledby="settings-heading">
            <h2 id="settings-heading">Opsætning</h2>
            <ScalepointSettingsForm
              action={saveSettingsAction}
              orderTypes={overview.orderTypes}
              initial={{
                enabled: s.enabled,
                orderTypeId: s.orderTypeId ?? '',
                customerMode: s.customerMode,
                phoneAsCustomerNumber: s.phoneAsCustomerNumber,
              }}
            />
          </section>

          <section className="card" aria-labelledby="deadlines-heading">
            <h2 id="deadlines-heading">{DEADLINE_WORDS.section}</h2>
            <p className="muted">
              Fristerne regnes i timer fra sagens Oprettet og vises i kolonnen{' '}
              {DEADLINE_WORDS.column} og under {DEADLINE_WORDS.filter} på listerne; en ændring giver
              også de åbne sager nye frister.
            </p>
            <DeadlinesForm
              action={saveDeadlinesAction}
              saved={{ contactHours: s.contactHours, inspectionHours: s.inspectionHours }}
            />
          </section>
        </div>

        <div>
          <section className="card" aria-labelledby="status-heading">
            <h2 id="status-heading">Status</h2>
            <p className="status" data-testid="integration-status">
              <span
                className={`badge ${statusClass}`}
                style={{ marginLeft: 0, fontSize: '0.95rem' }}
              >
                {statusLabel[overview.status]}
              </span>
            </p>
            <ul className="linklist">
              <li>
                Mail til Scalepoint:{' '}
                {overview.lastMail
                  ? `${mailStatusText[overview.lastMail.status]} ${formatDateTime(overview.lastMail.createdAt)}`
                  : 'ikke sendt endnu'}
              </li>
              <li>
                Adgang fra Scalepoint:{' '}
                {overview.credentialsStoredAt
                  ? `direkte levering, modtaget ${formatDateTime(overview.credentialsStoredAt)}`
                  : overview.connections.length > 0
                    ? `via Events API (${overview.connections.length === 1 ? '1 forbindelse' : `${overview.connections.length} forbindelser`})`
                    : 'ikke modtaget endnu'}
              </li>
              {overview.status === 'active' && (
                <li>
                  Seneste sag modtaget:{' '}
                  {overview.lastClaimAt
                    ? formatDateTime(overview.lastClaimAt)
                    : 'ingen sager endnu'}
                </li>
              )}
            </ul>
            {overview.connections.map((c) => (
              <div key={c.id} className="connection-health" data-testid="connection-health">
                <h3>
                  Events API: {c.tenant} (
                  {c.environment === 'production' ? 'Produktion' : 'Sandbox'})
                </h3>
                <p>
                  Seneste hentning:{' '}
                  {c.lastSuccessAt ? formatDateTime(c.lastSuccessAt) : 'ingen endnu'}
                </p>
                {c.lastErrorCode && c.failingSince && (
                  <p className="alert error">
                    Fejler siden {formatDateTime(c.failingSince)}:{' '}
                    {connectionErrorText(c.lastErrorCode)} Sagerne venter hos Scalepoint og hentes,
                    når forbindelsen virker igen.
                  </p>
                )}
                {c.lastErrorCode && !c.failingSince && c.lastErrorAt && (
                  <p className="muted">
                    Seneste fejl {formatDateTime(c.lastErrorAt)}:{' '}
                    {connectionErrorText(c.lastErrorCode)} Forbindelsen virker igen.
                  </p>
                )}
              </div>
            ))}
            {overview.lastMail?.status === 'not_sent' && (
              <p className="alert warn">
                Mailen til Scalepoint er ikke sendt, fordi der ikke er sat en mailtjeneste op på
                serveren.
              </p>
            )}
            {overview.lastMail?.status === 'failed' && (
              <p className="alert error">
                Seneste mail til Scalepoint fejlede: {overview.lastMail.error}. Du kan prøve igen.
              </p>
            )}
          </section>

          <section className="card" aria-labelledby="mail-heading">
            <h2 id="mail-heading">Bed om adgang</h2>
            <SendMailPanel canSend={s.enabled} preview={mail} action={sendMailAction} />
          </section>
        </div>
      </div>

      <section className="card" aria-labelledby="deliveries-heading">
        <h2 id="deliveries-heading">Modtagne sager</h2>
        <DeliveriesLog
          deliveries={deliveries}
          filter={filter}
          keep={sendt === 'alle' ? {} : { sendt }}
          replay={replayAction}
        />
      </section>

      <section className="card" aria-labelledby="outbox-heading">
        <h2 id="outbox-heading">Sendt til Scalepoint</h2>
        <OutboxLog
          rows={outbox.map((r) => ({
            id: r.id,
            time: formatDateTime(r.createdAt),
            sentAt: r.status === 'sent' && r.sentAt ? formatDateTime(r.sentAt) : null,
            caseNumber: r.caseNumber,
            orderId: r.orderId,
            event: propertyLabel[r.property as keyof typeof propertyLabel] ?? r.property,
            status: r.status,
            statusText: outboxStatusLabel[r.status],
            retryable: r.status === 'failed' && r.reason !== 'connection_deleted',
            reasonText:
              r.status === 'pending' && r.waiting
                ? 'venter på en tidligere hændelse'
                : r.reason
                  ? outboxReasonText(r.reason, r.lastStatus ?? undefined)
                  : '',
          }))}
          filter={sendt}
          keep={filter === 'all' ? {} : { status: filter }}
          retry={retryOutboxAction}
        />
      </section>

      <section className="card" aria-labelledby="audit-heading">
        <h2 id="audit-heading">Ændringslog</h2>
        {overview.audit.length === 0 ? (
          <p className="muted">Ingen ændringer endnu.</p>
        ) : (
          <table className="datatable">
            <thead>
              <tr>
                <th scope="col">Tidspunkt</th>
                <th scope="col">Hvem</th>
                <th scope="col">Hvad</th>
                <th scope="col">Detaljer</th>
              </tr>
            </thead>
            <tbody>
              {overview.audit.map((a) => (
                <tr key={a.id}>
                  <td>{formatDateTime(a.createdAt)}</td>
                  <td>
                    {a.actorName ??
                      (a.actorRole === 'support' ? 'Kladde support' : 'Slettet bruger')}{' '}
                    <span className="muted">({a.actorRole})</span>
                  </td>
                  <td>{auditDescription(a.action)}</td>
                  <td className="muted">{describeAudit(a.action, a.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

const changedNames: Record<string, string> = {
  enabled: 'modul',
  orderTypeId: 'ordretype',
  customerMode: 'kunde',
  phoneAsCustomerNumber: 'telefon som kundenr.',
  clientId: 'klient-id',
  tenant: 'tenant',
  environment: 'miljø',
};

/** The Detaljer of a row, read with its action's schema; a row that does not fit shows none. */
function describeAudit(action: string, details: Record<string, unknown>): string {
  const entry = readAudit(action, details);
  if (!entry) return '';
  switch (entry.action) {
    case 'scalepoint.settings_saved':
    case 'scalepoint.connection_changed':
    case 'company.details_saved': {
      const changed = Object.keys(entry.details.changes).map((k) => changedNames[k] ?? k);
      return changed.length ? `Ændret: ${changed.join(', ')}` : 'Ingen ændringer';
    }
    case 'scalepoint.deadlines_saved': {
      const changed = (['contactHours', 'inspectionHours'] as const).flatMap((k) => {
        const c = entry.details.changes[k];
        return c ? [`${DEADLINE_WORDS[k]} ${c.from} → ${c.to} ${DEADLINE_WORDS.hoursUnit}`] : [];
      });
      return changed.length ? `Ændret: ${changed.join(', ')}` : 'Ingen ændringer';
    }
    case 'scalepoint.credentials_stored':
      return `konto-id ${entry.details.accountId}, nøgle …${entry.details.secretLast4}`;
    case 'scalepoint.access_mail':
      return `status: ${entry.details.status}`;
    case 'scalepoint.connection_created':
    case 'scalepoint.connection_deleted':
      return `tenant ${entry.details.tenant}`;
    case 'scalepoint.connection_tested':
      return entry.details.ok ? 'virker' : `virker ikke (${String(entry.details.reason)})`;
    default:
      return '';
  }
}
