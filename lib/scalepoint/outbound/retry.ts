import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { scalepointOutbox } from '@/db/schema/index';
import { companyAction, refuse } from '@/lib/door';
import { getSettings } from '../settings/read';
import { retryAnswers } from './words';

const NAME = 'scalepoint.retryOutbox';

/**
 * Send igen: a Fejlet event goes back to Afventer afsendelse, due now, with a new 72-hour window
 * (its attempts kept); audited. Not failed → ok, nothing changed. Another company's → 404.
 */
export const retryOutbox = companyAction(
  { name: NAME, roles: ['admin', 'member'], input: z.object({ outboxId: z.uuid() }) },
  async ({ tx, actor, companyId, input: { outboxId }, now, audit }) => {
    const [row] = await tx
      .select({
        id: scalepointOutbox.id,
        status: scalepointOutbox.status,
        orderId: scalepointOutbox.orderId,
        reason: scalepointOutbox.reason,
      })
      .from(scalepointOutbox)
      .where(and(eq(scalepointOutbox.companyId, companyId), eq(scalepointOutbox.id, outboxId)))
      .for('update');
    if (!row) refuse(actor, NAME, companyId);
    if (row.status !== 'failed') return { ok: true, message: retryAnswers.notFailed };
    // With the module off it waits, held from now (its 72 hours start at its first try).
    const { enabled } = await getSettings(tx, companyId);
    await tx
      .update(scalepointOutbox)
      .set({
        status: 'pending',
        reason: null,
        nextAttemptAt: now,
        retryUntil: null,
        heldSince: enabled ? null : now,
      })
      .where(and(eq(scalepointOutbox.id, row.id), eq(scalepointOutbox.status, 'failed')));
    await audit('scalepoint.outbox_retried', {
      outboxId: row.id,
      orderId: row.orderId,
      ...(row.reason ? { reason: row.reason } : {}),
    });
    return { ok: true, message: retryAnswers.retried };
  },
);
