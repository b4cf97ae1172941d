'use client';

import Link from 'next/link';
import { createColumnHelper } from '@tanstack/react-table';
import { listFeatures, UrlTable, type ListView } from './ui/url-table';

export type CustomerListRow = {
  id: string;
  customerNumber: string;
  name: string;
  phone: string;
  address: string;
};

const col = createColumnHelper<typeof listFeatures, CustomerListRow>();

const columns = col.columns([
  col.accessor('customerNumber', { header: 'Kundenr.' }),
  col.accessor('name', {
    header: 'Navn',
    cell: (info) => (
      <Link href={`/customers/${info.row.original.id}`} className="rowlink">
        {info.getValue()}
      </Link>
    ),
  }),
  col.accessor('phone', { header: 'Telefon' }),
  col.accessor('address', { header: 'Adresse' }),
]);

export function CustomersTable({
  rows,
  total,
  view,
}: {
  rows: CustomerListRow[];
  total: number;
  view: ListView;
}) {
  return <UrlTable base="/customers" columns={columns} rows={rows} total={total} view={view} />;
}
