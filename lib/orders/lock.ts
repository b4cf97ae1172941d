import { and, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { orders } from '@/db/schema/index';
import { refuse } from '@/lib/door';

/**
 * The order row, locked until the transaction ends (`select … for update`): every action on an
 * order (lib/orders/draft-actions.ts, job-actions.ts) takes it first, so two at once on one order
 * run one after the other and the second sees what the first did. A refusal (404) when the
 * company has no such order — another company's is not found under row-level security.
 */
export async function lockOrder(
  tx: Db,
  companyId: string,
  orderId: string,
  action: string,
  actor: Parameters<typeof refuse>[0],
) {
  const [order] = await tx
    .select({
      id: orders.id,
      status: orders.status,
      orderNumber: orders.orderNumber,
      customerId: orders.customerId,
      orderTypeId: orders.orderTypeId,
      missingPolicyholder: orders.missingPolicyholder,
      scalepointClosedAt: orders.scalepointClosedAt,
      // When the case arrived (or the draft was made): no milestone lies before it.
      createdAt: orders.createdAt,
    })
    .from(orders)
    .where(and(eq(orders.companyId, companyId), eq(orders.id, orderId)))
    .for('update');
  if (!order) refuse(actor, action, companyId);
  return order;
}

export type LockedOrder = Awaited<ReturnType<typeof lockOrder>>;
