import type { Metadata } from 'next';
import Link from 'next/link';
import { requireCompanyActor } from '@/app/_server/auth';
import { pageRead } from '@/app/_server/read';
import { OrdersTable } from '@/components/orders-table';
import { SearchForm } from '@/components/ui/search-form';
import { parseListParams } from '@/lib/list-params';
import { toListRow } from '@/lib/orders/list-rows';
import { listOrders, orderSortKeys } from '@/lib/orders/queries';

export const metadata: Metadata = { title: 'Ordrer' };

export default async function OrdersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireCompanyActor();
  const view = parseListParams(await searchParams, orderSortKeys, {
    sort: 'orderNumber',
    dir: 'desc',
  });
  const { rows, total } = await pageRead(listOrders, { ...view, list: 'orders' });

  return (
    <>
      <div className="pagehead">
        <h1>Ordrer</h1>
        <SearchForm
          action="/orders"
          q={view.q}
          sort={view.sort}
          dir={view.dir}
          placeholder="Overskrift, rekv.nr. eller kunde"
        />
      </div>
      {total === 0 && !view.q ? (
        <div className="empty">
          <h2>Ingen ordrer endnu</h2>
          <p>
            En ordre bliver til, når en <Link href="/orders/drafts">ordrekladde</Link> godkendes.
            Den får da virksomhedens næste ordrenummer.
          </p>
        </div>
      ) : total === 0 ? (
        <p className="empty">Ingen ordrer matcher »{view.q}«.</p>
      ) : (
        <OrdersTable view={view} total={total} rows={rows.map(toListRow)} />
      )}
    </>
  );
}
