import { auditDescription, readAudit } from '@/lib/audit-actions';
import { formatDateTime } from '@/lib/format';
import { orderStatusLabel } from '@/lib/orders/status';

type Entry = {
  id: string;
  action: string;
  details: Record<string, unknown>;
  createdAt: Date;
  actorName: string | null;
};

// Details read with the action's schema; a row that does not fit shows its description alone.
function describe(e: Entry): string {
  const entry = readAudit(e.action, e.details);
  if (!entry) return auditDescription(e.action);
  switch (entry.action) {
    case 'order.approve':
      return `Godkendt som ordre ${entry.details.orderNumber}${entry.details.confirmed ? ' (trods markering)' : ''}`;
    case 'order.reject':
      return `${orderStatusLabel.rejected}: ${entry.details.reason}`;
    case 'order.edit':
      return entry.details.customerCreated
        ? 'Redigeret (ny kunde oprettet)'
        : entry.details.customerChanged
          ? 'Redigeret (kunde skiftet)'
          : 'Redigeret';
    default:
      return auditDescription(entry.action);
  }
}

/** An order's history (docs/drafts.md): where it came from, then its audit rows in order. */
export function OrderHistory({
  createdAt,
  delivery,
  history,
}: {
  createdAt: Date;
  delivery: { messageId: string; caseNumber: string | null; receivedAt: Date } | null;
  history: Entry[];
}) {
  return (
    <section className="card" aria-labelledby="history-heading">
      <h2 id="history-heading">Historik</h2>
      <ol className="history">
        <li>
          {formatDateTime(createdAt)} · Oprettet
          {delivery && (
            <>
              {' '}
              fra Scalepoint-sag {delivery.caseNumber} (levering {delivery.messageId}, modtaget{' '}
              {formatDateTime(delivery.receivedAt)})
            </>
          )}
        </li>
        {history.map((e) => (
          <li key={e.id}>
            {formatDateTime(e.createdAt)} · {describe(e)}
            {e.actorName && <span className="muted"> · {e.actorName}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
