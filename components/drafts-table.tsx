'use client';

import { createColumnHelper } from '@tanstack/react-table';
import { DEADLINE_WORDS } from '@/lib/scalepoint/deadlines/words';
import { FristCell, type FristValue } from './frist-cell';
import { OrderHeadingCell, type HeadingCell } from './order-heading-cell';
import { listFeatures, UrlTable, type ListView } from './ui/url-table';

export type DraftListRow = HeadingCell & {
  requisitionNumber: string | null;
  customerName: string;
  orderType: string;
  createdAt: string;
  deadline: FristValue;
};

const col = createColumnHelper<typeof listFeatures, DraftListRow>();

const columns = col.columns([
  col.accessor('heading', {
    header: 'Ordreoverskrift',
    cell: (info) => <OrderHeadingCell row={info.row.original} />,
  }),
  col.accessor('requisitionNumber', { header: 'Rekv.nr.', cell: (info) => info.getValue() ?? '' }),
  col.accessor('customerName', { header: 'Kunde' }),
  col.accessor('orderType', { header: 'Ordretype' }),
  col.accessor('createdAt', { header: 'Oprettet' }),
  // Last, so the contract's columns keep their places (docs/deadlines.md).
  col.accessor('deadline', {
    header: DEADLINE_WORDS.column,
    cell: (info) => <FristCell value={info.getValue()} />,
  }),
]);

/** The drafts list (and its Afviste view): `base` keeps the filter in every sort and page link. */
export function DraftsTable({
  rows,
  total,
  view,
  base = '/orders/drafts',
}: {
  rows: DraftListRow[];
  total: number;
  view: ListView;
  base?: string;
}) {
  return <UrlTable base={base} columns={columns} rows={rows} total={total} view={view} />;
}
