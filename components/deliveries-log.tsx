'use client';

import Link from 'next/link';
import { FilterLinks } from './filter-links';
import { useActionState } from 'react';
import type { FormState } from '@/app/_server/action';
import {
  deliveryFilterKeys,
  deliveryFilters,
  type DeliveryWord,
} from '@/lib/scalepoint/intake/words';

type Delivery = {
  id: string;
  caseNumber: string | null;
  channelText: string;
  statusText: DeliveryWord;
  description: string;
  replayable: boolean;
  orderId: string | null;
  attempts: number;
  receivedAt: Date;
};

// The words and filters come from the outcome catalogue (docs/intake.md, "Outcomes and answers").
const statusClass: Record<DeliveryWord, string> = {
  Oprettet: 'ok',
  Opdateret: 'ok',
  Dublet: 'neutral',
  Ignoreret: 'neutral',
  Ugyldig: 'warn',
  'Modul slået fra': 'warn',
  Fejlet: 'bad',
};
const filters = deliveryFilterKeys.map((key) => [key, deliveryFilters[key].label] as const);

const time = new Intl.DateTimeFormat('da-DK', {
  dateStyle: 'short',
  timeStyle: 'medium',
  timeZone: 'Europe/Copenhagen',
});

type Props = {
  deliveries: Delivery[];
  filter: string;
  /** The page's other query parameters (Sendt til Scalepoint's `sendt`), kept by the filter links. */
  keep?: Record<string, string>;
  /** Genbehandl: posts one delivery's `deliveryId`; it revalidates the page. */
  replay: (previous: FormState | null, form: FormData) => Promise<FormState>;
};

/** Modtagne sager: filter links, and per replayable row a small Genbehandl form; one answer for them all (docs/forms.md). */
export function DeliveriesLog({ deliveries, filter, keep = {}, replay }: Props) {
  const [result, submit, pending] = useActionState(replay, null);

  return (
    <div>
      <FilterLinks
        label="Filtrer modtagne sager"
        path="/admin/modules/scalepoint"
        param="status"
        fallback="all"
        options={filters}
        current={filter}
        keep={keep}
      />
      <p
        role="status"
        className={result?.message ? (result.ok ? 'alert ok' : 'alert error') : undefined}
      >
        {result?.message}
      </p>
      {deliveries.length === 0 ? (
        <p className="muted">
          Ingen sager modtaget{filter !== 'all' ? ' med denne status' : ''} endnu.
        </p>
      ) : (
        <div className="tablewrap">
          <table className="datatable" aria-label="Modtagne sager">
            <thead>
              <tr>
                <th scope="col">Modtaget</th>
                <th scope="col">Sagsnr.</th>
                <th scope="col">Kanal</th>
                <th scope="col">Status</th>
                <th scope="col">Årsag</th>
                <th scope="col">Ordrekladde</th>
                <th scope="col">
                  <span className="muted">Handling</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id}>
                  <td>
                    {time.format(new Date(d.receivedAt))}
                    {d.attempts > 1 && <span className="muted"> ({d.attempts} gange)</span>}
                  </td>
                  <td>{d.caseNumber ?? <span className="muted">—</span>}</td>
                  <td>{d.channelText}</td>
                  <td>
                    <span
                      className={`badge ${statusClass[d.statusText]}`}
                      style={{ marginLeft: 0 }}
                    >
                      {d.statusText}
                    </span>
                  </td>
                  <td>{d.description}</td>
                  <td>{d.orderId ? <Link href={`/orders/${d.orderId}`}>Åbn kladde</Link> : ''}</td>
                  <td>
                    {d.replayable && (
                      <form action={submit}>
                        <input type="hidden" name="deliveryId" value={d.id} />
                        <button
                          type="submit"
                          className="button"
                          disabled={pending}
                          aria-label={`Genbehandl ${d.caseNumber ?? 'sag'}`}
                        >
                          Genbehandl
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
