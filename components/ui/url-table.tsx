'use client';

import Link from 'next/link';
import {
  rowPaginationFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type ColumnSort,
} from '@tanstack/react-table';

export type ListView = {
  q: string;
  sort: string;
  dir: 'asc' | 'desc';
  page: number;
  pageSize: number;
};

/** The href of a list view, dropping defaults so URLs stay short. */
export function viewHref(base: string, view: Partial<ListView>): string {
  // A base may carry a fixed filter of its own (/orders/drafts?status=rejected).
  const [path, fixed] = base.split('?') as [string, string | undefined];
  const params = new URLSearchParams(fixed);
  if (view.q) params.set('q', view.q);
  if (view.sort) params.set('sort', view.sort);
  if (view.dir) params.set('dir', view.dir);
  if (view.page && view.page > 1) params.set('page', String(view.page));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

/** Sorting state for react-table from the URL view. */
export function sortingOf(view: ListView): ColumnSort[] {
  return [{ id: view.sort, desc: view.dir === 'desc' }];
}

/** A header that sorts by linking to the next view: works without JS, shareable, reloadable. */
export function SortHeader({
  base,
  view,
  columnId,
  sorted,
  children,
}: {
  base: string;
  view: ListView;
  columnId: string;
  sorted: false | 'asc' | 'desc';
  children: React.ReactNode;
}) {
  const nextDir = sorted === 'asc' ? 'desc' : 'asc';
  return (
    <Link
      href={viewHref(base, { q: view.q, sort: columnId, dir: nextDir })}
      className="sortlink"
      scroll={false}
    >
      {children}
      <span aria-hidden="true" className="sortmark">
        {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
      </span>
    </Link>
  );
}

export function ariaSort(sorted: false | 'asc' | 'desc') {
  return sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none';
}

export function Pager({ base, view, total }: { base: string; view: ListView; total: number }) {
  const pages = Math.max(1, Math.ceil(total / view.pageSize));
  const from = total === 0 ? 0 : (view.page - 1) * view.pageSize + 1;
  const to = Math.min(total, view.page * view.pageSize);
  return (
    <nav aria-label="Sider" className="pager">
      <span>
        {from}–{to} af {total.toLocaleString('da-DK')}
      </span>
      <span className="pager-links">
        {view.page > 1 ? (
          <Link href={viewHref(base, { ...view, page: view.page - 1 })} rel="prev">
            Forrige
          </Link>
        ) : (
          <span className="disabled">Forrige</span>
        )}
        <span>
          Side {view.page} af {pages}
        </span>
        {view.page < pages ? (
          <Link href={viewHref(base, { ...view, page: view.page + 1 })} rel="next">
            Næste
          </Link>
        ) : (
          <span className="disabled">Næste</span>
        )}
      </span>
    </nav>
  );
}

/** The features every server-driven list uses: sorting and pagination, both done by the server. */
export const listFeatures = tableFeatures({ rowSortingFeature, rowPaginationFeature });

/**
 * A list whose sorting, search and page live in the URL and are done by the server:
 * react-table drives the header, rows and sort state; each header links to the next view.
 */
export function UrlTable<TData extends { id: string }>({
  base,
  columns,
  rows,
  total,
  view,
}: {
  base: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<typeof listFeatures, TData, any>[];
  rows: TData[];
  total: number;
  view: ListView;
}) {
  const table = useTable({
    features: listFeatures,
    columns,
    data: rows,
    getRowId: (r) => r.id,
    state: {
      sorting: sortingOf(view),
      pagination: { pageIndex: view.page - 1, pageSize: view.pageSize },
    },
    manualSorting: true,
    manualPagination: true,
    rowCount: total,
  });
  return (
    <>
      <div className="tablewrap">
        <table className="datatable">
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  return (
                    <th key={header.id} scope="col" aria-sort={ariaSort(sorted)}>
                      <SortHeader
                        base={base}
                        view={view}
                        columnId={header.column.id}
                        sorted={sorted}
                      >
                        <table.FlexRender header={header} />
                      </SortHeader>
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id}>
                {row.getAllCells().map((cell) => (
                  <td key={cell.id}>
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager base={base} view={view} total={total} />
    </>
  );
}
