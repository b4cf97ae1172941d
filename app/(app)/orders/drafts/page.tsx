import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/db';
import { requireCompanyActor } from '@/app/_server/auth';
import { DraftsTable } from '@/components/drafts-table';
import { SearchForm } from '@/components/ui/list-toolbar';
import { formatDateTime } from '@/lib/format';
import { parseListParams } from '@/lib/list-params';
import { draftSortKeys, listDrafts } from '@/lib/orders/queries';

export const metadata: Metadata = { title: 'Ordrekladder' };

export default async function DraftsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireCompanyActor();
  const view = parseListParams(await searchParams, draftSortKeys, { sort: 'createdAt', dir: 'desc' });
  const { rows, total } = await listDrafts(await getDb(), actor.companyId, view);

  return (
    <>
      <div className="pagehead">
        <h1>Ordrekladder</h1>
        <SearchForm action="/orders/drafts" q={view.q} sort={view.sort} dir={view.dir} placeholder="Overskrift, rekv.nr. eller kunde" />
      </div>
      {total === 0 && !view.q ? (
        <div className="empty">
          <h2>Ingen ordrekladder endnu</h2>
          <p>
            Ordrekladder er ordrer, der endnu ikke er godkendt. Når Scalepoint-modulet er slået til, bliver hver
            forsikringssag fra Scalepoint automatisk til en ny ordrekladde her.
            {actor.role === 'admin' && <> Slå det til på <Link href="/admin/modules/scalepoint">modulets side under Administration</Link>.</>}
          </p>
        </div>
      ) : total === 0 ? (
        <p className="empty">Ingen ordrekladder matcher »{view.q}«.</p>
      ) : (
        <DraftsTable
          view={view}
          total={total}
          rows={rows.map((r) => ({
            id: r.id,
            heading: r.heading,
            requisitionNumber: r.requisitionNumber,
            customerName: r.customerName,
            orderType: r.orderType,
            createdAt: formatDateTime(r.createdAt),
            fromScalepoint: r.source === 'scalepoint',
          }))}
        />
      )}
    </>
  );
}
