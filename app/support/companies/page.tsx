import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { currentActor } from '@/app/_server/auth';
import { pageRead } from '@/app/_server/read';
import { isSupport } from '@/lib/auth/actor';
import {
  listCompanyDirectory,
  parseDirectoryParams,
  type DirectoryView,
} from '@/lib/companies/directory';
import { formatDateTime } from '@/lib/format';

export const metadata: Metadata = { title: 'Virksomheder' };

const BASE = '/support/companies';

function hrefOf(view: Partial<DirectoryView>) {
  const params = new URLSearchParams();
  if (view.q) params.set('q', view.q);
  if (view.page && view.page > 1) params.set('page', String(view.page));
  const s = params.toString();
  return s ? `${BASE}?${s}` : BASE;
}

/** Support's Virksomheder (docs/people.md): every company, searched by name or CVR, paged by the server. */
export default async function SupportCompaniesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // Signed out or not support: 404, like the layout (the page's existence is not told).
  const actor = await currentActor();
  if (!isSupport(actor)) notFound();
  const view = parseDirectoryParams(await searchParams);
  const { rows, total } = await pageRead(listCompanyDirectory, view);
  const pages = Math.max(1, Math.ceil(total / view.pageSize));
  const from = total === 0 ? 0 : (view.page - 1) * view.pageSize + 1;
  const to = Math.min(total, view.page * view.pageSize);
  return (
    <>
      <div className="pagehead">
        <h1>Virksomheder</h1>
        <form action={BASE} method="get" role="search" className="searchform">
          <label htmlFor="q">Søg</label>
          <input id="q" name="q" type="search" defaultValue={view.q} placeholder="Navn eller CVR" />
          <button type="submit" className="button">
            Søg
          </button>
        </form>
        <Link href={`${BASE}/new`} className="button primary">
          Opret virksomhed
        </Link>
      </div>
      {total === 0 ? (
        <p className="empty">
          {view.q ? `Ingen virksomheder matcher »${view.q}«.` : 'Ingen virksomheder endnu.'}
        </p>
      ) : (
        <>
          <div className="tablewrap">
            <table className="datatable" aria-label="Virksomheder">
              <thead>
                <tr>
                  <th scope="col">Firmanavn</th>
                  <th scope="col">CVR-nr.</th>
                  <th scope="col">Brugere</th>
                  <th scope="col">Oprettet</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link href={`${BASE}/${c.id}`}>{c.name}</Link>
                      {c.deactivated && <span className="badge bad">Deaktiveret</span>}
                    </td>
                    <td>{c.cvr}</td>
                    <td>{c.users}</td>
                    <td>{formatDateTime(c.createdAt)}</td>
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
