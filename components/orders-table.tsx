'use client';

import { createColumnHelper } from '@tanstack/react-table';
import type { DraftListRow } from './drafts-table';
import { DEADLINE_WORDS } from '@/lib/scalepoint/deadlines/words';
import { FristCell } from './frist-cell';
import { OrderHeadingCell } from './order-heading-cell';
import { listFeatures, UrlTable, type ListView } from './ui/url-table';

export type OrderTableRow = DraftListRow & { orderNumber: number | null; status: string };

const col = createColumnHelper<typeof listFeatures, OrderTableRow>();

const columns = col.columns([
  col.accessor('orderNumber', { header: 'Ordrenr.', cell: (info) => info.getValue() ?? '' }),
  col.accessor('heading', {
    header: 'Ordreoverskrift',
    cell: (info) => <OrderHeadingCell row={info.row.original} />,
  }),
  col.accessor('requisitionNumber', { header: 'Rekv.nr.', cell: (info) => info.getValue() ?? '' }),
  col.accessor('customerName', { header: 'Kunde' }),
  col.accessor('orderType', { header: 'Ordretype' }),
  col.accessor('status', { header: 'Status' }),
  col.accessor('createdAt', { header: 'Oprettet' }),
  // Last, so the contract's columns keep their places (docs/deadlines.md).
  col.accessor('deadline', {
    header: DEADLINE_WORDS.column,
    cell: (info) => <FristCell value={info.getValue()} />,
  }),
]);

/**
 * The Ordrer list (and its I gang and Afsluttede views): the same URL-driven table as the drafts,
 * with the number and status; `base` keeps the filter in every sort and page link.
 */
export function OrdersTable({
  rows,
  total,
  view,
  base = '/orders',
}: {
  rows: OrderTableRow[];
  total: number;
  view: ListView;
  base?: string;
}) {
  return <UrlTable base={base} columns={columns} rows={rows} total={total} view={view} />;
}
