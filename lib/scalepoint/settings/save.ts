import { and, eq, sql } from 'drizzle-orm';
import { orderTypes, scalepointSettings } from '@/db/schema';
import { REFUSAL } from '@/lib/action-result';
import { companyAction } from '@/lib/door';
import { getSettings } from './read';
import { scalepointSettingsSchema } from './schema';
import { settingsAnswers } from './words';
import { holdOutbox } from '../outbound/outbox';

/** Save the company's settings; the settings row and its audit row land together or not at all. */
export const saveScalepointSettings = companyAction(
  { name: 'scalepoint.saveSettings', roles: ['admin'], input: scalepointSettingsSchema },
  async ({ tx, actor, companyId, input: v, audit, now }) => {
    if (v.orderTypeId) {
      const [type] = await tx
        .select({ id: orderTypes.id })
        .from(orderTypes)
        .where(
          and(
            eq(orderTypes.companyId, companyId),
            sql`${orderTypes.id}::text = ${v.orderTypeId}`,
            eq(orderTypes.active, true),
          ),
        )
        // Held until commit: a deactivation of this type waits, then sees it is the standard type
        // (lib/order-types/order-types.ts), and one that came first makes this row not match.
        .for('share');
      if (!type)
        return {
          ok: false,
          message: REFUSAL.unchanged,
          fieldErrors: { orderTypeId: settingsAnswers.orderTypeNotOwn },
        };
    }
    const before = await getSettings(tx, companyId);
    await tx
      .insert(scalepointSettings)
      .values({ companyId, ...v, updatedAt: now, updatedBy: actor.userId })
      .onConflictDoUpdate({
        target: scalepointSettings.companyId,
        set: { ...v, updatedAt: now, updatedBy: actor.userId },
      });
    // Time with the module off does not count toward an outgoing event's 72 hours.
    if (before.enabled !== v.enabled) await holdOutbox(tx, companyId, v.enabled, now);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of [
      'enabled',
      'orderTypeId',
      'customerMode',
      'phoneAsCustomerNumber',
    ] as const) {
      if (before[key] !== v[key]) changes[key] = { from: before[key], to: v[key] };
    }
    await audit('scalepoint.settings_saved', { changes });
    return { ok: true, message: settingsAnswers.saved };
  },
);
