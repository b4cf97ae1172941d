import {
  MARK_MISSING_POLICYHOLDER,
  MARK_SCALEPOINT_CLOSED,
  orderStatusLabel,
} from '@/lib/orders/status';
import type { OrderStatus } from '@/db/schema/orders';

export type Marks = {
  missingPolicyholder: boolean;
  scalepointClosed: boolean;
  scalepointCloseReason?: string | null;
};

/** The marks of a draft or order as badges (docs/drafts.md): in the Ordreoverskrift cell and beside the order's heading. */
export function OrderMarks({ marks }: { marks: Marks }) {
  return (
    <>
      {marks.missingPolicyholder && <span className="badge warn">{MARK_MISSING_POLICYHOLDER}</span>}
      {marks.scalepointClosed && (
        <span className="badge bad">
          {MARK_SCALEPOINT_CLOSED}
          {marks.scalepointCloseReason && `: ${marks.scalepointCloseReason}`}
        </span>
      )}
    </>
  );
}

const statusClass: Record<OrderStatus, string> = {
  draft: 'neutral',
  new: 'ok',
  // The plain (blue) badge: the job is under way.
  in_progress: '',
  rejected: 'bad',
  closed: 'neutral',
};

export function StatusBadge({ status }: { status: OrderStatus }) {
  return <span className={`badge ${statusClass[status]}`.trim()}>{orderStatusLabel[status]}</span>;
}
