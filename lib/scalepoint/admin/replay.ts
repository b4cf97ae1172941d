import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { scalepointDeliveries } from '@/db/schema/index';
import { isWorthRetry } from '@/lib/db-errors';
import { companyActionInSteps, refuse } from '@/lib/door';
import { isUuid } from '@/lib/ids';
import { errorFields, log } from '@/lib/log';
import { decideEvent } from '../events/apply-event';
import { outcomeCode, recordAndApplyDelivery, storedSender } from '../intake/apply-delivery';
import { isReplayable, outcomes } from '../intake/words';

const NAME = 'scalepoint.replay';

/**
 * Genbehandl: run a stored, rejected or failed delivery through the same core again, with
 * today's settings; the audit row is written in the transaction that records the outcome. The
 * delivery row's lock and the case lock make a replay that races a redelivery end with one draft.
 * Through the door in steps: the stored delivery is read in one short transaction, and the intake
 * opens its own (docs/intake.md, "Outcomes and answers").
 */
export const replayDelivery = companyActionInSteps(
  { name: NAME, roles: ['admin'], input: z.object({ deliveryId: z.string() }) },
  async ({ actor, companyId, input: { deliveryId }, step, pool, auditIn }) => {
    if (!isUuid(deliveryId)) refuse(actor, NAME, companyId);
    const [d] = await step((tx) =>
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
          and(
            eq(scalepointDeliveries.companyId, companyId),
            eq(scalepointDeliveries.id, deliveryId),
          ),
        ),
    );
    if (!d) refuse(actor, NAME, companyId);
    if (!isReplayable(d.status)) return { ok: true, message: outcomes.duplicate_delivery.replay };

    let json: unknown;
    try {
      json = JSON.parse(d.rawBody);
    } catch {
      json = undefined; // only JSON bodies are stored; should one not parse, it is simply invalid
    }
    try {
      const outcome = await recordAndApplyDelivery(
        pool,
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
            auditIn(tx)('scalepoint.delivery_replayed', { deliveryId, outcome: outcomeCode(o) }),
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
  },
);
