import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getDb } from '@/db';
import { currentActor } from '@/app/_server/auth';
import { isSupport } from '@/lib/auth/actor';
import { formatDateTime } from '@/lib/format';
import {
  listCompaniesForSupport,
  parseSupportListParams,
  type SupportListView,
} from '@/lib/scalepoint/support/company-list';
import { statusLabel } from '@/lib/scalepoint/settings/words';

export const metadata: Metadata = { title: 'Scalepoint-adgange' };

const BASE = '/support/scalepoint';

function hrefOf(view: Partial<SupportListView>) {
  const params = new URLSearchParams();
  if (view.q) params.set('q', view.q);
  if (view.filter && view.filter !== 'all') params.set('filter', view.filter);
  if (view.page && view.page > 1) params.set('page', String(view.page));
  const s = params.toString();
  return s ? `${BASE}?${s}` : BASE;
}

export default async function SupportScalepointPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // Signed out or not support: 404, like the layout (the page's existence is not told).
  const actor = await currentActor();
  if (!isSupport(actor)) notFound();
  const view = parseSupportListParams(await searchParams);
  const { rows, total } = await listCompaniesForSupport(await getDb(), actor, view);
  const pages = Math.max(1, Math.ceil(total / view.pageSize));
  const from = total === 0 ? 0 : (view.page - 1) * view.pageSize + 1;
  const to = Math.min(total, view.page * view.pageSize);
  return (
    <>
      <div className="pagehead">
        <h1>Scalepoint-adgange</h1>
        <form action={BASE} method="get" role="search" className="searchform">
          <label htmlFor="q">Søg</label>
          <input id="q" name="q" type="search" defaultValue={view.q} placeholder="Navn eller CVR" />
          {view.filter !== 'all' && <input type="hidden" name="filter" value={view.filter} />}
          <button type="submit" className="button">
            Søg
          </button>
        </form>
      </div>
      <p className="muted">
        Når Scalepoint åbner adgangen for en virksomhed, sender de et konto-id og en signeringsnøgle
        (direkte levering) eller et klient-id (Events API) til support. Åbn virksomheden og gem dem
        dér.
      </p>
      <nav aria-label="Filter" className="buttons filters" style={{ marginBottom: '1rem' }}>
        <Link
          href={hrefOf({ q: view.q })}
          aria-current={view.filter === 'all' ? 'page' : undefined}
        >
          Alle
        </Link>
        <Link
          href={hrefOf({ q: view.q, filter: 'awaiting' })}
          aria-current={view.filter === 'awaiting' ? 'page' : undefined}
        >
          Afventer adgang
        </Link>
      </nav>
      {total === 0 ? (
        <p className="empty">
          {view.q
            ? `Ingen virksomheder matcher »${view.q}«.`
            : view.filter === 'awaiting'
              ? 'Ingen virksomheder afventer adgang.'
              : 'Ingen virksomheder endnu.'}
        </p>
      ) : (
        <>
          <div className="tablewrap" style={{ marginBottom: '1rem' }}>
            <table className="datatable" aria-label="Virksomheder">
              <thead>
                <tr>
                  <th scope="col">Virksomhed</th>
                  <th scope="col">CVR</th>
                  <th scope="col">Status</th>
                  <th scope="col">Bad om adgang</th>
                  <th scope="col">Adgang</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link href={`${BASE}/${c.id}`}>{c.name}</Link>
                    </td>
                    <td>{c.cvr}</td>
                    <td>
                      {statusLabel[c.status]}
                      {c.deactivated && (
                        <>
                          <br />
                          <span className="muted">Virksomheden er deaktiveret</span>
                        </>
                      )}
                    </td>
                    <td>
                      {c.lastMailAt ? (
                        formatDateTime(c.lastMailAt)
                      ) : (
                        <span className="muted">Ikke endnu</span>
                      )}
                    </td>
                    <td>
                      {c.accountId ? (
                        <>
                          Konto-id {c.accountId}, nøgle …{c.secretLast4}
                        </>
                      ) : (
                        <span className="muted">Ingen direkte adgang</span>
                      )}
                      {c.connections > 0 && (
                        <>
                          <br />
                          {c.connections === 1
                            ? '1 Events API-forbindelse'
                            : `${c.connections} Events API-forbindelser`}
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav aria-label="Sider" className="pager">
            <span>
              {from}–{to} af {total.toLocaleString('da-DK')}
            </span>
            <span className="pager-links">
              {view.page > 1 ? (
                <Link href={hrefOf({ ...view, page: view.page - 1 })} rel="prev">
                  Forrige
                </Link>
              ) : (
                <span className="disabled">Forrige</span>
              )}
              <span>
                Side {view.page} af {pages}
              </span>
              {view.page < pages ? (
                <Link href={hrefOf({ ...view, page: view.page + 1 })} rel="next">
                  Næste
                </Link>
              ) : (
                <span className="disabled">Næste</span>
              )}
            </span>
          </nav>
        </>
      )}
    </>
  );
}
