'use client';

import Link from 'next/link';
import { createColumnHelper, rowPaginationFeature, rowSortingFeature, tableFeatures, useTable } from '@tanstack/react-table';
import { ariaSort, Pager, sortingOf, SortHeader, type ListView } from './ui/url-table';

export type CustomerListRow = { id: string; customerNumber: string; name: string; phone: string; address: string };

const features = tableFeatures({ rowSortingFeature, rowPaginationFeature });
const col = createColumnHelper<typeof features, CustomerListRow>();
const BASE = '/customers';

const columns = col.columns([
  col.accessor('customerNumber', { header: 'Kundenr.' }),
  col.accessor('name', {
    header: 'Navn',
    cell: (info) => <Link href={`/customers/${info.row.original.id}`} className="rowlink">{info.getValue()}</Link>,
  }),
  col.accessor('phone', { header: 'Telefon' }),
  col.accessor('address', { header: 'Adresse' }),
]);

export function CustomersTable({ rows, total, view }: { rows: CustomerListRow[]; total: number; view: ListView }) {
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
