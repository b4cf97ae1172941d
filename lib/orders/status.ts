import type { OrderStatus } from '@/db/schema/orders';

/** The one set of words for order statuses (docs/drafts.md); every page uses these. */
export const orderStatusLabel: Record<OrderStatus, string> = {
  draft: 'Kladde',
  new: 'Ny',
  rejected: 'Afvist',
  closed: 'Afsluttet',
};

/** The marks a draft or order can carry, shown as badges beside its heading. */
export const MARK_MISSING_POLICYHOLDER = 'Mangler forsikringstager';
export const MARK_SCALEPOINT_CLOSED = 'Sag lukket hos Scalepoint';

/** Statuses that make an order (numbered, in the Ordrer list). */
export const approvedStatuses = ['new', 'closed'] as const satisfies readonly OrderStatus[];
