'use client';

import Link from 'next/link';
import { FilterLinks } from './filter-links';
import { useActionState } from 'react';
import type { FormState } from '@/app/_server/action';
import {
  outboxFilterKeys,
  outboxFilterLabel,
  type OutboxFilterKey,
} from '@/lib/scalepoint/outbound/words';

/** One row as the page hands it over: display-ready words and times (formatted on the server). */
export type OutboxRow = {
  id: string;
  /** When the step made the event. */
  time: string;
  /** When Scalepoint received it (a sent row). */
  sentAt: string | null;
  caseNumber: string | null;
  orderId: string | null;
  event: string;
  status: 'pending' | 'sent' | 'failed' | 'not_sent';
  statusText: string;
  reasonText: string;
  /** Send igen: a failed row that has a connection to go through. */
  retryable: boolean;
};

const statusClass: Record<OutboxRow['status'], string> = {
  sent: 'ok',
  pending: 'warn',
  failed: 'bad',
  not_sent: 'neutral',
};

const PAGE = '/admin/modules/scalepoint';

type Props = {
  rows: OutboxRow[];
  filter: OutboxFilterKey;
  /** The page's other query parameters (Modtagne sager's `status`), kept by the filter links. */
  keep: Record<string, string>;
  /** Send igen: posts one row's `outboxId`; it revalidates the page. */
  retry: (previous: FormState | null, form: FormData) => Promise<FormState>;
};

/**
 * Sendt til Scalepoint (issue 22): what Kladde has sent, will send or could not send to Scalepoint,
 * newest first — filter links in `?sendt=`, and per failed row a small Send igen form; one answer
 * for them all (docs/forms.md), as Modtagne sager does.
 */
export function OutboxLog({ rows, filter, keep, retry }: Props) {
  const [result, submit, pending] = useActionState(retry, null);

  return (
    <div>
      <FilterLinks
        label="Filtrer sendt til Scalepoint"
        path={PAGE}
        param="sendt"
        fallback="alle"
        options={outboxFilterKeys.map((key) => [key, outboxFilterLabel[key]] as const)}
        current={filter}
        keep={keep}
      />
      <p
        role="status"
        className={result?.message ? (result.ok ? 'alert ok' : 'alert error') : undefined}
      >
        {result?.message}
      </p>
      {rows.length === 0 ? (
        <p className="muted">
          {filter === 'alle'
            ? 'Kladde har ikke sendt noget til Scalepoint endnu.'
            : 'Ingen hændelser med denne status.'}
        </p>
      ) : (
        <div className="tablewrap">
          <table className="datatable" aria-label="Sendt til Scalepoint">
            <thead>
              <tr>
                <th scope="col">Tidspunkt</th>
                <th scope="col">Sagsnr.</th>
                <th scope="col">Hændelse</th>
                <th scope="col">Status</th>
                <th scope="col">Årsag</th>
                <th scope="col">
                  <span className="muted">Handling</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>{r.time}</td>
                  <td>
                    {r.orderId ? (
                      <Link href={`/orders/${r.orderId}`}>{r.caseNumber ?? 'Åbn ordre'}</Link>
                    ) : (
                      (r.caseNumber ?? <span className="muted">—</span>)
                    )}
                  </td>
                  <td>{r.event}</td>
                  <td>
                    <span className={`badge ${statusClass[r.status]}`} style={{ marginLeft: 0 }}>
                      {r.statusText}
                    </span>
                    {r.sentAt && <span className="muted"> {r.sentAt}</span>}
                  </td>
                  <td>{r.reasonText}</td>
                  <td>
                    {r.retryable && (
                      <form action={submit}>
                        <input type="hidden" name="outboxId" value={r.id} />
                        <button
                          type="submit"
                          className="button"
                          disabled={pending}
                          aria-label={`Send igen ${r.caseNumber ?? ''} ${r.event}`.replace(
                            /\s+/g,
                            ' ',
                          )}
                        >
                          Send igen
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
