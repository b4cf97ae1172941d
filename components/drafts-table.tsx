'use client';

import Link from 'next/link';
import { createColumnHelper, rowPaginationFeature, rowSortingFeature, tableFeatures, useTable } from '@tanstack/react-table';
import { ariaSort, Pager, sortingOf, SortHeader, type ListView } from './ui/url-table';

export type DraftListRow = {
  id: string;
  heading: string;
  requisitionNumber: string | null;
  customerName: string;
  orderType: string;
  createdAt: string;
  fromScalepoint: boolean;
};

const features = tableFeatures({ rowSortingFeature, rowPaginationFeature });
const col = createColumnHelper<typeof features, DraftListRow>();
const BASE = '/orders/drafts';

const columns = col.columns([
  col.accessor('heading', {
    header: 'Ordreoverskrift',
    cell: (info) => (
      <Link href={`/orders/${info.row.original.id}`} className="rowlink">
        {info.getValue()}
        {info.row.original.fromScalepoint && <span className="badge">Scalepoint</span>}
      </Link>
    ),
  }),
  col.accessor('requisitionNumber', { header: 'Rekv.nr.', cell: (info) => info.getValue() ?? '' }),
  col.accessor('customerName', { header: 'Kunde' }),
  col.accessor('orderType', { header: 'Ordretype' }),
  col.accessor('createdAt', { header: 'Oprettet' }),
]);

export function DraftsTable({ rows, total, view }: { rows: DraftListRow[]; total: number; view: ListView }) {
  const table = useTable({
    features,
    columns,
    data: rows,
    getRowId: (r) => r.id,
    state: { sorting: sortingOf(view), pagination: { pageIndex: view.page - 1, pageSize: view.pageSize } },
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
                      <SortHeader base={BASE} view={view} columnId={header.column.id} sorted={sorted}>
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
                  <td key={cell.id}><table.FlexRender cell={cell} /></td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager base={BASE} view={view} total={total} />
    </>
  );
}
