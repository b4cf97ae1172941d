import type { Metadata } from 'next';
import Link from 'next/link';
import { requireCompanyActor } from '@/app/_server/auth';
import { pageRead } from '@/app/_server/read';
import { OrdersTable } from '@/components/orders-table';
import { SearchForm } from '@/components/ui/search-form';
import { parseListParams } from '@/lib/list-params';
import { toListRow } from '@/lib/orders/list-rows';
import { listOrders, orderSortKeys } from '@/lib/orders/queries';
import { DEADLINE_WORDS } from '@/lib/scalepoint/deadlines/words';

export const metadata: Metadata = { title: 'Ordrer' };

/** The filter links of Ordrer: ?status= names one status's list; anything else is every order. */
const filters = [
  { status: null, label: 'Alle', list: 'orders', empty: null },
  { status: 'in_progress', label: 'I gang', list: 'in_progress', empty: 'Ingen ordrer i gang.' },
  { status: 'closed', label: 'Afsluttede', list: 'closed', empty: 'Ingen afsluttede ordrer.' },
  // Forsinkede (docs/deadlines.md): a Frist passed, the oldest deadline first.
  {
    status: 'late',
    label: DEADLINE_WORDS.filter,
    list: 'orders_late',
    empty: 'Ingen forsinkede ordrer.',
  },
] as const;

export default async function OrdersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireCompanyActor();
  const raw = await searchParams;
  const filter = filters.find((f) => f.status !== null && f.status === raw.status) ?? filters[0];
  const base = filter.status ? `/orders?status=${filter.status}` : '/orders';
  const view = parseListParams(
    raw,
    orderSortKeys,
    filter.status === 'late'
      ? { sort: 'deadline', dir: 'asc' }
      : { sort: 'orderNumber', dir: 'desc' },
  );
  const { rows, total } = await pageRead(listOrders, { ...view, list: filter.list });

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
          hidden={filter.status ? { status: filter.status } : {}}
        />
      </div>
      <nav aria-label="Filter" className="filterlinks">
        {filters.map((f) => (
          <Link
            key={f.label}
            href={f.status ? `/orders?status=${f.status}` : '/orders'}
            aria-current={f === filter ? 'page' : undefined}
          >
            {f.label}
          </Link>
        ))}
      </nav>
      {total === 0 && !view.q && filter.empty ? (
        <p className="empty">{filter.empty}</p>
      ) : total === 0 && !view.q ? (
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
        <OrdersTable base={base} view={view} total={total} rows={rows.map(toListRow)} />
      )}
    </>
  );
}
