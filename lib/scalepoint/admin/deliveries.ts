import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { scalepointDeliveries } from '@/db/schema/index';
import { companyRead } from '@/lib/door';
import {
  deliveryFilterKeys,
  deliveryFilters,
  channelLabel,
  deliveryWord,
  describeDelivery,
  isReplayable,
  type DeliveryFilter,
} from '../intake/words';

/** The filters of Modtagne sager (docs/intake.md, "Outcomes and answers"). */
export const deliveryStatusFilters = deliveryFilterKeys;
export type { DeliveryFilter };

const listInput = z.object({
  status: z.enum(deliveryFilterKeys).catch('all'),
  limit: z.number().int().min(1).max(500).default(100),
});

/** Modtagne sager: the company's latest deliveries, newest first, with their outcome in Danish. */
export const listDeliveries = companyRead(
  { name: 'scalepoint.listDeliveries', roles: ['admin'], input: listInput },
  async ({ tx: db, companyId, input }) => {
    const filter = deliveryFilters[input.status];
    const where = [eq(scalepointDeliveries.companyId, companyId)];
    if (filter.status) where.push(eq(scalepointDeliveries.status, filter.status));
    if (filter.reason) where.push(eq(scalepointDeliveries.reason, filter.reason));
    const rows = await db
      .select({
        id: scalepointDeliveries.id,
        channel: scalepointDeliveries.channel,
        messageId: scalepointDeliveries.messageId,
        caseNumber: scalepointDeliveries.caseNumber,
        status: scalepointDeliveries.status,
        reason: scalepointDeliveries.reason,
        issues: scalepointDeliveries.issues,
        warnings: scalepointDeliveries.warnings,
        orderId: scalepointDeliveries.orderId,
        attempts: scalepointDeliveries.attempts,
        receivedAt: scalepointDeliveries.receivedAt,
      })
      .from(scalepointDeliveries)
      .where(and(...where))
      .orderBy(desc(scalepointDeliveries.receivedAt), desc(scalepointDeliveries.id))
      .limit(input.limit);
    return rows.map((r) => ({
      ...r,
      channelText: channelLabel[r.channel],
      statusText: deliveryWord(r.status, r.reason),
      description: describeDelivery(r),
      replayable: isReplayable(r.status),
    }));
  },
);
