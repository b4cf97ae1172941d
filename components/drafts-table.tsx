'use client';

import Link from 'next/link';
import { createColumnHelper } from '@tanstack/react-table';
import { listFeatures, UrlTable, type ListView } from './ui/url-table';

export type DraftListRow = {
  id: string;
  heading: string;
  requisitionNumber: string | null;
  customerName: string;
  orderType: string;
  createdAt: string;
  fromScalepoint: boolean;
};

const col = createColumnHelper<typeof listFeatures, DraftListRow>();

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
  return <UrlTable base="/orders/drafts" columns={columns} rows={rows} total={total} view={view} />;
}
