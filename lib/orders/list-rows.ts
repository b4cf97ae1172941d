import { formatDateTime } from '@/lib/format';
import type { OrderListRow } from './queries';
import { orderStatusLabel } from './status';

/** A list row as the browser gets it: explicit, serialisable columns, dates formatted on the server. */
export function toListRow(r: OrderListRow) {
  return {
    id: r.id,
    orderNumber: r.orderNumber,
    status: orderStatusLabel[r.status],
    heading: r.heading,
    requisitionNumber: r.requisitionNumber,
    customerName: r.customerName,
    orderType: r.orderType,
    createdAt: formatDateTime(r.createdAt),
    // Frist (docs/deadlines.md): empty when the case has no open deadline.
    deadline: { at: formatDateTime(r.deadlineAt), overdue: r.overdue },
    fromScalepoint: r.source === 'scalepoint',
    marks: {
      missingPolicyholder: r.missingPolicyholder,
      scalepointClosed: !!r.scalepointClosedAt,
      scalepointCloseReason: r.scalepointCloseReason,
    },
  };
}
