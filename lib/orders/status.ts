import type { OrderStatus } from '@/db/schema/orders';

/** The one set of words for order statuses (docs/drafts.md); every page uses these. */
export const orderStatusLabel: Record<OrderStatus, string> = {
  draft: 'Kladde',
  new: 'Ny',
  in_progress: 'I gang',
  rejected: 'Afvist',
  closed: 'Afsluttet',
};

/** The marks a draft or order can carry, shown as badges beside its heading. */
export const MARK_MISSING_POLICYHOLDER = 'Mangler forsikringstager';
export const MARK_SCALEPOINT_CLOSED = 'Sag lukket hos Scalepoint';

/**
 * Statuses that make an order (numbered, in the Ordrer list), in the job's order: Ny, I gang,
 * Afsluttet (orders.status_rank 1, 2, 3). The partial indexes' predicate (db/schema/orders.ts)
 * and the order-number CHECK (migration 0018) name the same three.
 */
export const approvedStatuses = [
  'new',
  'in_progress',
  'closed',
] as const satisfies readonly OrderStatus[];
export type ApprovedStatus = (typeof approvedStatuses)[number];

export function isApproved(status: OrderStatus): status is ApprovedStatus {
  return (approvedStatuses as readonly OrderStatus[]).includes(status);
}

/** Statuses in which the job's milestones can be recorded (docs/drafts.md, "After Godkend: the job"). */
export const workingStatuses = ['new', 'in_progress'] as const satisfies readonly OrderStatus[];
export type WorkingStatus = (typeof workingStatuses)[number];

export function isWorking(status: OrderStatus): status is WorkingStatus {
  return (workingStatuses as readonly OrderStatus[]).includes(status);
}
