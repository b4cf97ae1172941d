import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { scalepointDeliveries } from '@/db/schema/index';
import type { ActionResult } from '@/lib/action-result';
import { isCompanyAdmin, type Actor } from '@/lib/auth/actor';
import { writeAudit } from '@/lib/audit';
import { isWorthRetry } from '@/lib/db-errors';
import { isUuid } from '@/lib/ids';
import { errorFields, log } from '@/lib/log';
import { refuse } from '@/lib/door';
import { inCompany } from '@/lib/tenancy';
import { outcomeCode, recordAndApplyDelivery, storedSender } from '../intake/apply-delivery';
import { decideEvent } from '../events/apply-event';
import {
  deliveryFilterKeys,
  deliveryFilters,
  channelLabel,
  deliveryWord,
  describeDelivery,
  isReplayable,
  outcomes,
  type DeliveryFilter,
} from '../intake/words';

/** The filters of Modtagne sager (docs/intake.md, "Outcomes and answers"). */
export const deliveryStatusFilters = deliveryFilterKeys;
export type { DeliveryFilter };

export async function listDeliveries(
  db: Db,
  actor: Actor | null,
  opts: { status: DeliveryFilter; limit?: number },
) {
  if (!isCompanyAdmin(actor)) refuse(actor, 'scalepoint.listDeliveries');
  const filter = deliveryFilters[opts.status] ?? deliveryFilters.all;
  return inCompany(db, actor.companyId, async (db) => {
    const where = [eq(scalepointDeliveries.companyId, actor.companyId)];
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
      .limit(opts.limit ?? 100);
    return rows.map((r) => ({
      ...r,
      channelText: channelLabel[r.channel],
      statusText: deliveryWord(r.status, r.reason),
      description: describeDelivery(r),
      replayable: isReplayable(r.status),
    }));
  });
}

/**
 * Genbehandl: run a stored, rejected or failed delivery through the same core again, with
 * today's settings; the audit row is written in the transaction that records the outcome. The
 * delivery row's lock and the case lock make a replay that races a redelivery end with one draft.
 */
export async function replayDelivery(
  db: Db,
  actor: Actor | null,
  deliveryId: string,
): Promise<ActionResult> {
  if (!isCompanyAdmin(actor) || !isUuid(deliveryId)) refuse(actor, 'scalepoint.replay');
  const companyId = actor.companyId;
  const [d] = await inCompany(db, companyId, (tx) =>
    tx
      .select({
        id: scalepointDeliveries.id,
        channel: scalepointDeliveries.channel,
        messageId: scalepointDeliveries.messageId,
        accountId: scalepointDeliveries.accountId,
        connectionId: scalepointDeliveries.connectionId,
        rawBody: scalepointDeliveries.rawBody,
        headers: scalepointDeliveries.headers,
        status: scalepointDeliveries.status,
      })
      .from(scalepointDeliveries)
      .where(
        and(eq(scalepointDeliveries.companyId, companyId), eq(scalepointDeliveries.id, deliveryId)),
      ),
  );
  if (!d) refuse(actor, 'scalepoint.replay');
  if (!isReplayable(d.status)) return { ok: true, message: outcomes.duplicate_delivery.replay };

  let json: unknown;
  try {
    json = JSON.parse(d.rawBody);
  } catch {
    json = undefined; // only JSON bodies are stored; should one not parse, it is simply invalid
  }
  try {
    const outcome = await recordAndApplyDelivery(
      db,
      {
        companyId,
        ...storedSender(d),
        messageId: d.messageId,
        rawBody: d.rawBody,
        json,
        headers: d.headers,
      },
      {
        // An Events API event is read as an event again; its cursor has long moved past it.
        decide: d.channel === 'events' ? decideEvent : undefined,
        onRecorded: (tx, o) =>
          writeAudit(tx, actor, companyId, 'scalepoint.delivery_replayed', {
            deliveryId,
            outcome: outcomeCode(o),
          }),
      },
    );
    const message = outcomes[outcomeCode(outcome)].replay;
    const applied =
      outcome.kind === 'created' || outcome.kind === 'duplicate' || outcome.kind === 'updated';
    return applied ? { ok: true, message } : { ok: false, message };
  } catch (e) {
    if (!isWorthRetry(e)) throw e;
    log.error('scalepoint_replay_db_unavailable', { companyId, ...errorFields(e) });
    return { ok: false, message: outcomes.database_unavailable.replay };
  }
}
