/**
 * The intake's core, for every channel (docs/intake.md): record a delivery and apply it — a claim
 * becomes a customer and an order draft, or the delivery is stored as duplicate, rejected or
 * failed. It knows nothing of HTTP; the direct endpoint (intake-http.ts), a replay and
 * the Events API poller call it.
 *
 * The one promise: every delivery it is given ends recorded, in one transaction with what it
 * made — or it throws an error worth a retry (lib/db-errors.ts `isWorthRetry`) and nothing of it
 * is stored. An error that would repeat on every retry is stored as a failed, replayable delivery.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { scalepointDeliveries, type CustomerMode, type DeliveryChannel } from '@/db/schema/index';
import { isWorthRetry, pgErrorCode } from '@/lib/db-errors';
import { errorFields, log } from '@/lib/log';
import { draftStatements, insertDraft } from '@/lib/orders/create';
import { inCompany, inCompanyAtOnce } from '@/lib/tenancy';
import { isStorableText, parseClaim, type Claim, type ClaimIssue } from '../contract/claim';
import { caseDraftFields, draftSettingsOf, lockedCaseOrder, type DraftSettings } from './draft';
import { contactNotes, installationAddress, workDescription } from './mapping';
import type { OutcomeCode } from './words';
import {
  customerRule,
  resolveCustomer,
  resolveCustomerOptimistically,
  type ResolvedCustomer,
} from './resolve-customer';
import { getSettings } from '../settings/read';

/** Who sent a delivery: the Scalepoint account (direct) or the Events API connection (events). */
export type DeliverySender =
  | { channel: Extract<DeliveryChannel, 'direct'>; accountId: string }
  | { channel: Extract<DeliveryChannel, 'events'>; connectionId: string };

/** One delivery, whatever channel brought it. */
export type DeliveryInput = DeliverySender & {
  companyId: string;
  /** The sender's id of the message: the webhook-id (direct) or the event id (events). Same on redelivery. */
  messageId: string;
  /** The body as received, as text (it is what a replay parses again). */
  rawBody: string;
  json: unknown;
  /** The few headers worth keeping (never a signature or secret). */
  headers: Record<string, string>;
};

export type Outcome =
  | { kind: 'created'; orderId: string; customerId: string; caseNumber: string; warnings: string[] }
  | {
      kind: 'duplicate';
      orderId: string | null;
      caseNumber: string | null;
      reason: 'duplicate_delivery' | 'duplicate_case';
    }
  | {
      kind: 'rejected';
      reason: 'validation_failed';
      issues: ClaimIssue[];
      caseNumber: string | null;
    }
  | { kind: 'rejected'; reason: 'module_disabled'; caseNumber: string | null }
  | {
      kind: 'updated';
      orderId: string;
      caseNumber: string;
      reason: 'case_closed' | 'case_reopened';
    }
  | {
      kind: 'ignored';
      reason: 'unknown_event_type' | 'unknown_case' | 'no_case_change';
      caseNumber: string | null;
    }
  | { kind: 'failed'; reason: 'processing_failed'; caseNumber: string | null }
  // An Events API event with bad data: it would fail the same way on every poll, so it is stored
  // as failed (replayable) and the stream moves on (docs/events-api.md).
  | { kind: 'failed'; reason: 'invalid_event'; issues: ClaimIssue[]; caseNumber: string | null };

/** What a delivery's content decides, inside its transaction (everything but a failure). */
export type Decided = Exclude<Outcome, { kind: 'failed'; reason: 'processing_failed' }>;
/** A channel's reading of a delivery: the direct claim (decideClaim below) or an Events API event. */
export type Decide = (tx: Db, input: DeliveryInput, now: Date) => Promise<Decided>;

export function outcomeCode(o: Outcome): OutcomeCode {
  if (o.kind === 'created') return 'created';
  if (o.kind === 'updated') return 'updated';
  if (o.kind === 'ignored') return 'ignored';
  return o.reason;
}

/** Run inside the transaction that records the outcome (a replay's audit row, for one). */
export type OutcomeHook = (tx: Db, outcome: Outcome) => Promise<void>;

/** The company's settings as the account look-up read them: enough for the optimistic path. */
export type LookedUpSettings = {
  enabled: boolean;
  orderTypeId: string | null;
  orderTypeName: string | null;
  customerMode: CustomerMode;
  phoneAsCustomerNumber: boolean;
};

export type ApplyOptions = {
  now?: Date;
  /** Given by the direct endpoint: lets a new, valid claim take the optimistic path. */
  settings?: LookedUpSettings;
  onRecorded?: OutcomeHook;
  /** How the content is read; the direct claim unless given (the Events API gives its own). */
  decide?: Decide;
};

/**
 * Thrown by an `onRecorded` hook to undo the whole delivery (the Events API poller, when it has
 * lost its lease): it is neither recorded as failed nor retried here.
 */
export class DeliveryAborted extends Error {}

/**
 * Record and apply one delivery. Returns the outcome as stored; throws only errors worth a retry.
 * A delivery seen before (same sender and message id) that was created or duplicate answers
 * duplicate; one that was rejected or failed is applied again with today's settings.
 */
export async function recordAndApplyDelivery(
  db: Db,
  input: DeliveryInput,
  opts: ApplyOptions = {},
): Promise<Outcome> {
  const now = opts.now ?? new Date();
  // The optimistic path has no place for a hook; a caller with one (a replay) takes the locking path.
  if (opts.settings && !opts.onRecorded) {
    try {
      const applied = await applyOptimistically(db, input, opts.settings, now);
      if (applied) return applied;
    } catch (e) {
      if (isWorthRetry(e)) throw e;
      // Whatever went wrong, the locking path records the delivery (and fails the same way, on the record).
      log.warn('scalepoint_fast_path_failed', {
        companyId: input.companyId,
        messageId: input.messageId.slice(0, 200),
        ...errorFields(e),
      });
    }
  }
  try {
    return await applyUnderLocks(db, input, now, opts.decide ?? decideClaim, opts.onRecorded);
  } catch (e) {
    if (isWorthRetry(e) || e instanceof DeliveryAborted) throw e;
    return recordFailure(db, input, now, e, opts.onRecorded);
  }
}

/**
 * The idempotency key (docs/intake.md): a delivery is the same delivery when its sender (the
 * account, or the connection) and message id match. A unique constraint in which the unused
 * sender column's nulls count as equal (migration 0015).
 */
export const deliveryKey = [
  scalepointDeliveries.companyId,
  scalepointDeliveries.channel,
  scalepointDeliveries.accountId,
  scalepointDeliveries.connectionId,
  scalepointDeliveries.messageId,
];

/** The sender columns of a delivery row: one set, the other null. */
export function senderColumns(sender: DeliverySender) {
  return sender.channel === 'direct'
    ? { channel: sender.channel, accountId: sender.accountId, connectionId: null }
    : { channel: sender.channel, accountId: null, connectionId: sender.connectionId };
}

/** A stored row's sender (the CHECK constraint of migration 0015 makes exactly one column set). */
export function storedSender(row: {
  channel: DeliveryChannel;
  accountId: string | null;
  connectionId: string | null;
}): DeliverySender {
  if (row.channel === 'direct' && row.accountId !== null)
    return { channel: 'direct', accountId: row.accountId };
  if (row.channel === 'events' && row.connectionId !== null)
    return { channel: 'events', connectionId: row.connectionId };
  throw new Error('delivery row without its sender');
}

function sameDelivery(input: DeliveryInput) {
  const sender = senderColumns(input);
  return and(
    eq(scalepointDeliveries.companyId, input.companyId),
    eq(scalepointDeliveries.messageId, input.messageId),
    eq(scalepointDeliveries.channel, sender.channel),
    sender.accountId === null
      ? isNull(scalepointDeliveries.accountId)
      : eq(scalepointDeliveries.accountId, sender.accountId),
    sender.connectionId === null
      ? isNull(scalepointDeliveries.connectionId)
      : eq(scalepointDeliveries.connectionId, sender.connectionId),
  );
}

/**
 * A delivery that failed for a reason a retry would not cure: stored as failed (replayable),
 * the error's code in the log. If even that row is refused, a bare row without the case number
 * and headers; if that fails too, the outcome stands unrecorded and the log says so.
 */
async function recordFailure(
  db: Db,
  input: DeliveryInput,
  now: Date,
  error: unknown,
  hook?: OutcomeHook,
): Promise<Outcome> {
  log.error('scalepoint_delivery_failed', {
    companyId: input.companyId,
    channel: input.channel,
    messageId: input.messageId.slice(0, 200),
    ...errorFields(error),
  });
  const outcome: Outcome = {
    kind: 'failed',
    reason: 'processing_failed',
    caseNumber: guessCaseNumber(input.json),
  };
  const write = (bare: boolean) =>
    inCompany(db, input.companyId, async (tx) => {
      await tx
        .insert(scalepointDeliveries)
        .values({
          ...deliveryRow(input, now),
          ...(bare ? { headers: {}, caseNumber: null } : { caseNumber: outcome.caseNumber }),
          status: 'failed',
          reason: outcome.reason,
        })
        .onConflictDoUpdate({
          target: deliveryKey,
          set: {
            status: 'failed',
            reason: outcome.reason,
            issues: null,
            processedAt: now,
            attempts: sql`${scalepointDeliveries.attempts} + 1`,
          },
          setWhere: sql`${scalepointDeliveries.status} in ('failed', 'rejected')`,
        });
      if (hook) await hook(tx, outcome);
    });
  try {
    await write(false);
  } catch (e) {
    if (isWorthRetry(e) || e instanceof DeliveryAborted) throw e;
    log.error('scalepoint_delivery_failure_unrecorded', {
      companyId: input.companyId,
      messageId: input.messageId.slice(0, 200),
      ...errorFields(e),
    });
    try {
      await write(true);
    } catch (e2) {
      if (isWorthRetry(e2)) throw e2;
      log.error('scalepoint_delivery_lost', {
        companyId: input.companyId,
        messageId: input.messageId.slice(0, 200),
        ...errorFields(e2),
      });
    }
  }
  return outcome;
}

/**
 * The locking path, in one transaction: claim the delivery row (unique per sender and message
 * id), then validate, check the module, resolve the customer and create the draft, and record
 * the outcome on the row. Concurrent redeliveries queue on the row lock; deliveries of one case
 * under different ids queue on the case lock.
 */
async function applyUnderLocks(
  db: Db,
  input: DeliveryInput,
  now: Date,
  decide: Decide,
  hook?: OutcomeHook,
): Promise<Outcome> {
  const outcome = await inCompany(db, input.companyId, async (tx): Promise<Outcome> => {
    const caseNumberGuess = guessCaseNumber(input.json);
    const [inserted] = await tx
      .insert(scalepointDeliveries)
      .values({
        ...deliveryRow(input, now),
        caseNumber: caseNumberGuess,
        status: 'failed',
        reason: 'processing',
      })
      .onConflictDoNothing({ target: deliveryKey })
      .returning({ id: scalepointDeliveries.id });

    let rowId: string;
    if (inserted) {
      rowId = inserted.id;
    } else {
      const [existing] = await tx
        .select({
          id: scalepointDeliveries.id,
          status: scalepointDeliveries.status,
          orderId: scalepointDeliveries.orderId,
          caseNumber: scalepointDeliveries.caseNumber,
        })
        .from(scalepointDeliveries)
        .where(sameDelivery(input))
        .for('update');
      if (!existing) throw new Error('delivery vanished');
      await tx
        .update(scalepointDeliveries)
        .set({ attempts: sql`${scalepointDeliveries.attempts} + 1`, receivedAt: now })
        .where(
          and(
            eq(scalepointDeliveries.companyId, input.companyId),
            eq(scalepointDeliveries.id, existing.id),
          ),
        );
      if (
        existing.status === 'created' ||
        existing.status === 'duplicate' ||
        existing.status === 'updated' ||
        existing.status === 'ignored'
      ) {
        const seen: Outcome = {
          kind: 'duplicate',
          orderId: existing.orderId,
          caseNumber: existing.caseNumber,
          reason: 'duplicate_delivery',
        };
        if (hook) await hook(tx, seen);
        return seen;
      }
      rowId = existing.id;
    }

    const decided = await decide(tx, input, now);
    await tx
      .update(scalepointDeliveries)
      .set({ ...outcomeColumns(decided, caseNumberGuess), processedAt: now })
      .where(
        and(
          eq(scalepointDeliveries.companyId, input.companyId),
          eq(scalepointDeliveries.id, rowId),
        ),
      );
    if (hook) await hook(tx, decided);
    return decided;
  });

  if (outcome.kind === 'rejected')
    log.info('scalepoint_delivery_rejected', {
      companyId: input.companyId,
      messageId: input.messageId.slice(0, 200),
      reason: outcome.reason,
    });
  return outcome;
}

/** The direct claim: schema (422) before module (409), then one draft per case. */
export async function decideClaim(tx: Db, input: DeliveryInput): Promise<Decided> {
  const parsed = parseClaim(input.json);
  if (!parsed.ok)
    return {
      kind: 'rejected',
      reason: 'validation_failed',
      issues: parsed.issues,
      caseNumber: guessCaseNumber(input.json),
    };
  const claim = parsed.claim;

  const settings = draftSettingsOf(await getSettings(tx, input.companyId));
  if (!settings)
    return { kind: 'rejected', reason: 'module_disabled', caseNumber: claim.caseNumber };

  // One draft per case: answer duplicate when the company already has an order or draft for it.
  const existingOrder = await lockedCaseOrder(tx, input.companyId, claim.caseNumber);
  if (existingOrder)
    return {
      kind: 'duplicate',
      orderId: existingOrder.id,
      caseNumber: claim.caseNumber,
      reason: 'duplicate_case',
    };

  const customer = await resolveCustomer(tx, input.companyId, customerRule(settings, claim));
  const order = await insertDraft(tx, input.companyId, claimDraftFields(settings, claim, customer));
  if (!order) throw new Error('order for case already exists despite the case lock');
  return createdOutcome(order.id, customer, claim.caseNumber, customer.warnings);
}

/**
 * A direct claim's draft (docs/intake.md, mapping): its contacts as notes, the damage address if
 * not the customer's, and Scalepoint's identifiers the claim carries (both paths build it here).
 */
function claimDraftFields(settings: DraftSettings, claim: Claim, customer: ResolvedCustomer) {
  return caseDraftFields(
    settings,
    {
      caseNumber: claim.caseNumber,
      workDescription: workDescription(claim),
      notes: contactNotes(claim),
      installation: installationAddress(claim, customer.address),
      ids: {
        caseUrl: claim.caseUrl ?? null,
        caseType: claim.caseType ?? null,
        policyNumber: claim.policyNumber ?? null,
        insurerAlias: claim.insurer.alias ?? null,
      },
    },
    customer,
  );
}

/** The outcome of a case that became a draft. */
export function createdOutcome(
  orderId: string,
  customer: { id: string },
  caseNumber: string,
  warnings: string[],
): Extract<Outcome, { kind: 'created' }> {
  return { kind: 'created', orderId, customerId: customer.id, caseNumber, warnings };
}

/**
 * A decided outcome as the delivery row's columns: the one mapping every writer of a row uses
 * (the locking path's update, the optimistic path's insert, the Events API batch's inserts).
 */
export function outcomeColumns(decided: Decided, caseNumberGuess: string | null = null) {
  return {
    status: decided.kind,
    reason: decided.kind === 'created' ? null : decided.reason,
    caseNumber: decided.caseNumber ?? caseNumberGuess,
    issues: 'issues' in decided ? decided.issues : null,
    warnings: decided.kind === 'created' && decided.warnings.length ? decided.warnings : null,
    orderId:
      decided.kind === 'created' || decided.kind === 'duplicate' || decided.kind === 'updated'
        ? decided.orderId
        : null,
    customerId: decided.kind === 'created' ? decided.customerId : null,
  };
}

/**
 * The optimistic path: the common case in few round trips — a new, valid claim for a company
 * whose module is on (settings from the account look-up). No delivery row is claimed first and
 * no case lock is taken; the unique indexes decide: if the case already has an order, the
 * delivery id already has a row or a new customer's number was taken meanwhile, the statement
 * raises, the whole transaction rolls back and the locking path handles the delivery. An invalid
 * claim or a module that is off goes straight to the locking path, so every stored outcome is
 * written by one path or the other, each in one transaction.
 *
 * The customer is settled first (the same rule, resolveCustomerOptimistically: a read, or the
 * counter); then the ids are chosen here, and the new customer, the draft, its notes and the
 * delivery row go in one transaction sent as one write (inCompanyAtOnce, docs/performance.md).
 */
async function applyOptimistically(
  db: Db,
  input: DeliveryInput,
  lookedUp: LookedUpSettings,
  now: Date,
): Promise<Outcome | null> {
  const parsed = parseClaim(input.json);
  const settings = draftSettingsOf(lookedUp);
  if (!parsed.ok || !settings) return null;
  const claim = parsed.claim;
  const { companyId } = input;
  const found = await resolveCustomerOptimistically(db, companyId, customerRule(settings, claim));
  if (!found) return null;
  const { customer } = found;
  const outcome = createdOutcome(randomUUID(), customer, claim.caseNumber, customer.warnings);
  const draft = draftStatements(
    db,
    companyId,
    outcome.orderId,
    claimDraftFields(settings, claim, customer),
  );
  const delivery = db
    .insert(scalepointDeliveries)
    .values({ ...deliveryRow(input, now), ...outcomeColumns(outcome) });
  try {
    await inCompanyAtOnce(
      db,
      companyId,
      [found.insert, draft.order, draft.notes, delivery].filter((s) => s !== null),
    );
  } catch (e) {
    // Taken meanwhile (a unique index), or the found customer was deleted (a foreign key).
    const code = pgErrorCode(e);
    if (code === '23505' || code === '23503') return null;
    throw e;
  }
  return outcome;
}

/** What every stored delivery row holds, whatever its outcome. */
export function deliveryRow(input: DeliveryInput, now: Date) {
  return {
    companyId: input.companyId,
    ...senderColumns(input),
    messageId: input.messageId,
    rawBody: input.rawBody,
    headers: input.headers,
    receivedAt: now,
    processedAt: now,
  };
}

/** The case number as sent, for the log even when the claim is invalid; null if it cannot be stored as text. */
function guessCaseNumber(json: unknown): string | null {
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const o = json as Record<string, unknown>;
    // A direct claim's caseNumber, or an event's attributes.case.number.
    const attributesCase = (o.attributes as { case?: { number?: unknown } } | undefined)?.case;
    const v =
      o.caseNumber ??
      (attributesCase && typeof attributesCase === 'object' ? attributesCase.number : undefined);
    if (typeof v === 'string' && v.trim() && isStorableText(v))
      return Array.from(v.trim()).slice(0, 64).join('');
  }
  return null;
}
