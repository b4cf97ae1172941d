import { z } from 'zod';
import { companyRead } from '@/lib/door';
import { outboxOfOrder } from '@/lib/scalepoint/outbound/reads';

/**
 * Forløb's sending states (issue 22): the order's outbox rows — one per step Kladde reports to
 * Scalepoint — in the company's own transaction; another company's order has none.
 */
export const orderStepSending = companyRead(
  {
    name: 'orders.stepSending',
    roles: ['admin', 'member'],
    input: z.object({ orderId: z.uuid() }),
  },
  ({ tx, companyId, input }) => outboxOfOrder(tx, companyId, input.orderId),
);
