import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { lockCases, lockInsurer } from '@/lib/locks';
import type { Db } from '@/db/client';
import { orders, scalepointConnections, scalepointDeliveries } from '@/db/schema';
import { isWorthRetry, pgErrorCode } from '@/lib/db-errors';
import { errorFields, log } from '@/lib/log';
import { appendNote, draftStatements, insertDraft, type ScalepointIds } from '@/lib/orders/create';
import { resumeClocks } from '../deadlines/clocks';
import { inCompany } from '@/lib/tenancy';
import {
  DeliveryAborted,
  createdOutcome,
  deliveryKey,
  deliveryRow,
  outcomeColumns,
  recordAndApplyDelivery,
  type Decided,
  type DeliveryInput,
} from '../intake/apply-delivery';
import { issuesOf } from '../contract/claim';
import {
  caseDraftFields,
  draftSettingsOf,
  lockedCaseOrder,
  type DraftSettings,
} from '../intake/draft';
import { nameKey } from '@/lib/name-key';
import { resolveCustomer, type ResolvedCustomer } from '../intake/resolve-customer';
import { getSettings } from '../settings/read';
import {
  caseClosure,
  claimUpdatedSchema,
  repairServiceDraft,
  repairServiceRequestedSchema,
} from './event-content';
import type { ApplyEvent, ApplyEventBatch } from './poller';
import { ModuleOffError } from './poller-state';
import type { ScalepointEvent } from './receive-client';

/**
 * What an Events API event becomes (docs/events-api.md, "Events → drafts"), through the same intake core
 * as a direct delivery: one delivery log (channel 'events', keyed by the connection and the event id),
 * one customer resolution, one draft per case number whichever channel brings it first.
 *
 *  - repair_service_requested: a draft, the insurer as customer (matched or created as with
 *    Forsikringsselskab); with Kunde = Forsikringstager the draft is marked Mangler
 *    forsikringstager. A second one for a known case is a duplicate whose service line becomes a
 *    note on that draft or order.
 *  - claim_updated CaseClosed / CaseReopened: marks or unmarks the case's draft or order; for a
 *    case the company does not have, ignored.
 *  - anything else: ignored.
 *
 * `settings`: the settings in force, when the caller has read them already (the receive path,
 * which checks the module before any event: `applyEvent`); else read here (a replay).
 */
export const decideEvent = async (
  tx: Db,
  input: DeliveryInput,
  now: Date,
  settings?: DraftSettings,
): Promise<Decided> => {
  const event = input.json as ScalepointEvent;
  if (event.type === 'repair_service_requested')
    return repairServiceRequested(
      tx,
      input.companyId,
      input.channel === 'events' ? input.connectionId : null,
      event,
      settings,
    );
  if (event.type === 'claim_updated') return claimUpdated(tx, input.companyId, event, now);
  return { kind: 'ignored', reason: 'unknown_event_type', caseNumber: null };
};

async function repairServiceRequested(
  tx: Db,
  companyId: string,
  connectionId: string | null,
  event: ScalepointEvent,
  given: DraftSettings | undefined,
): Promise<Decided> {
  const parsed = repairServiceRequestedSchema.safeParse(event.attributes);
  if (!parsed.success)
    return {
      kind: 'failed',
      reason: 'invalid_event',
      issues: issuesOf(parsed.error.issues, 'attributes'),
      caseNumber: null,
    };
  const draft = repairServiceDraft(parsed.data);
  if (!draft.insurerName) {
    return {
      kind: 'failed',
      reason: 'invalid_event',
      issues: [
        { path: 'attributes.case.policy.insuranceCompany.subcompanyName', message: 'Required' },
      ],
      caseNumber: draft.caseNumber,
    };
  }

  const [settings, connection] = await Promise.all([
    given ?? getSettings(tx, companyId).then(draftSettingsOf),
    eventConnection(tx, companyId, connectionId),
  ]);
  if (!settings)
    return { kind: 'rejected', reason: 'module_disabled', caseNumber: draft.caseNumber };

  const existing = await lockedCaseOrder(tx, companyId, draft.caseNumber);
  if (existing) {
    if (draft.serviceLine) await appendNote(tx, companyId, existing.id, draft.serviceLine);
    return {
      kind: 'duplicate',
      orderId: existing.id,
      caseNumber: draft.caseNumber,
      reason: 'duplicate_case',
    };
  }

  const customer = await resolveCustomer(tx, companyId, insurerRule(draft.insurerName));
  const order = await insertDraft(
    tx,
    companyId,
    eventDraftFields(settings, draft, customer, connection),
  );
  if (!order) throw new Error('order for case already exists despite the case lock');
  return createdOutcome(order.id, customer, draft.caseNumber, eventDraftWarnings(settings));
}

/** An event names only the insurer: its customer is found as with Kunde = Forsikringsselskab. */
const insurerRule = (name: string) => ({ by: 'insurer' as const, fields: { name } });

/** The connection an event came through, as its draft keeps it. */
type EventConnection = Pick<ScalepointIds, 'connectionId' | 'tenant'>;

/**
 * The event's connection with the tenant it has now (read beside the settings, in the same round
 * trip); nulls when the connection is gone (a replay after support deleted it), so the draft
 * never names a connection that is not there.
 */
async function eventConnection(
  tx: Db,
  companyId: string,
  connectionId: string | null,
): Promise<EventConnection> {
  if (!connectionId) return { connectionId: null, tenant: null };
  const [row] = await tx
    .select({ connectionId: scalepointConnections.id, tenant: scalepointConnections.tenant })
    .from(scalepointConnections)
    .where(
      and(
        eq(scalepointConnections.companyId, companyId),
        eq(scalepointConnections.id, connectionId),
      ),
    );
  return row ?? { connectionId: null, tenant: null };
}

/**
 * A repair_service_requested event's draft (docs/events-api.md, "Events → drafts"), the insurer
 * as its customer, with the case's identifiers and the connection it came through (one by one and
 * the batch both build it here).
 */
function eventDraftFields(
  settings: DraftSettings,
  draft: Pick<
    ReturnType<typeof repairServiceDraft>,
    'caseNumber' | 'workDescription' | 'workDueAt' | 'ids'
  >,
  customer: ResolvedCustomer,
  connection: EventConnection,
) {
  return caseDraftFields(
    settings,
    {
      caseNumber: draft.caseNumber,
      workDescription: draft.workDescription,
      workDueAt: draft.workDueAt,
      // The event names no policyholder: in Forsikringstager mode someone must pick the right customer.
      missingPolicyholder: settings.customerMode === 'policyholder',
      ids: { ...draft.ids, ...connection },
    },
    customer,
  );
}

const eventDraftWarnings = (settings: DraftSettings) =>
  settings.customerMode === 'policyholder' ? ['missing_policyholder'] : [];

async function claimUpdated(
  tx: Db,
  companyId: string,
  event: ScalepointEvent,
  now: Date,
): Promise<Decided> {
  const parsed = claimUpdatedSchema.safeParse(event.attributes);
  if (!parsed.success)
    return {
      kind: 'failed',
      reason: 'invalid_event',
      issues: issuesOf(parsed.error.issues, 'attributes'),
      caseNumber: null,
    };
  const caseNumber = parsed.data.case.number;
  const change = caseClosure(parsed.data);
  if (!change) return { kind: 'ignored', reason: 'no_case_change', caseNumber };
  const order = await lockedCaseOrder(tx, companyId, caseNumber);
  if (!order) return { kind: 'ignored', reason: 'unknown_case', caseNumber };
  await tx
    .update(orders)
    .set(
      change.kind === 'closed'
        ? { scalepointClosedAt: now, scalepointCloseReason: change.reason }
        : { scalepointClosedAt: null, scalepointCloseReason: null },
    )
    .where(and(eq(orders.companyId, companyId), eq(orders.id, order.id)));
  // No longer closed at Scalepoint: its clocks run again, with the Frister now in force.
  if (change.kind !== 'closed') await resumeClocks(tx, { companyId, orderId: order.id });
  return {
    kind: 'updated',
    orderId: order.id,
    caseNumber,
    reason: change.kind === 'closed' ? 'case_closed' : 'case_reopened',
  };
}

/** An event as the intake core's delivery: channel 'events', sent by its connection, the event id as the message id. */
function eventDelivery(
  companyId: string,
  connectionId: string,
  event: ScalepointEvent,
): DeliveryInput {
  return {
    companyId,
    channel: 'events',
    connectionId,
    messageId: event.id,
    rawBody: JSON.stringify(event),
    json: event,
    headers: { 'event-type': event.type.replace(/[^\w.-]/g, '?').slice(0, 100) },
  };
}

/**
 * The settings in force for a fetched event, read in its transaction; with the module off (or no
 * draft possible: the decision `module_disabled`) it throws ModuleOffError, which rolls the
 * transaction back: the event is not consumed and waits at Scalepoint (docs/events-api.md, "The
 * receiver"). A replay and the direct intake do not come here: they store `module_disabled`.
 */
async function settingsInForce(tx: Db, companyId: string): Promise<DraftSettings> {
  const settings = draftSettingsOf(await getSettings(tx, companyId));
  if (!settings) throw new ModuleOffError();
  return settings;
}

/**
 * The poller's handler: one event, recorded and applied with its cursor move in the same
 * transaction. Every event — a new case, a claim_updated, an unreadable one, a redelivery — is
 * applied only with the module on: off, it throws ModuleOffError and nothing of it is stored.
 */
export const applyEvent: ApplyEvent = async (
  db,
  { companyId, connectionId, event, commit, now },
) => {
  let checked = false;
  await recordAndApplyDelivery(db, eventDelivery(companyId, connectionId, event), {
    now,
    decide: async (tx, input, at) => {
      const settings = await settingsInForce(tx, companyId);
      checked = true;
      return decideEvent(tx, input, at, settings);
    },
    onRecorded: async (tx: Db) => {
      // A redelivery is answered before anything is decided: its module is checked here.
      if (!checked) await settingsInForce(tx, companyId);
      await commit(tx);
    },
  });
};

/** A batch shorter than this is left to `applyEvent` (nothing to save). */
const MIN_BATCH = 2;

class BatchContended extends Error {}

type NewCase = {
  event: ScalepointEvent;
  caseNumber: string;
  insurerName: string;
  workDescription: string | null;
  workDueAt: Date | null;
  ids: ReturnType<typeof repairServiceDraft>['ids'];
};

/** The leading events that can only become new drafts: readable repair_service_requested with an insurer, each case once. */
function newCaseRun(events: readonly ScalepointEvent[]): NewCase[] {
  const run: NewCase[] = [];
  const cases = new Set<string>();
  for (const event of events) {
    if (event.type !== 'repair_service_requested') break;
    const parsed = repairServiceRequestedSchema.safeParse(event.attributes);
    if (!parsed.success) break;
    const { caseNumber, insurerName, workDescription, workDueAt, ids } = repairServiceDraft(
      parsed.data,
    );
    if (!insurerName || cases.has(caseNumber)) break;
    cases.add(caseNumber);
    run.push({ event, caseNumber, insurerName, workDescription, workDueAt, ids });
  }
  return run;
}

/**
 * The poller's batch handler (docs/events-api.md, "Draining a backlog"): the leading run of
 * `events` that are new cases becomes drafts in one transaction — one set_config, one settings
 * read, one lock statement for all their cases, one look-up of known cases and delivery ids,
 * the insurer resolved once, the drafts and the delivery rows sent together (pipelined), and one
 * cursor move to the last of them (`commit`, a compare-and-set on the cursor). The same rows as
 * `applyEvent` would write, one delivery per event.
 *
 * Anything else goes one by one: an event that is not a new case (duplicate, claim_updated,
 * unreadable: the run ends before it), a module that is off (nothing is stored; one by one,
 * `applyEvent` finds it off too and throws ModuleOffError, so the events wait), and any error in
 * the batch (the whole batch rolls back and its events are applied singly, so a poison event is
 * still stored failed on its own and the stream moves on). Returns how many events it applied,
 * or how many the caller should apply singly. Throws only what `applyEvent` throws: an error
 * worth a retry, or a cursor moved under it.
 */
export const applyEventBatch: ApplyEventBatch = async (
  db,
  { companyId, connectionId, events, commit, now = new Date() },
) => {
  let run = newCaseRun(events);
  if (run.length < MIN_BATCH) return { applied: 0, alone: 1 };
  try {
    const applied = await inCompany(db, companyId, async (tx) => {
      const [found, connection] = await Promise.all([
        getSettings(tx, companyId),
        eventConnection(tx, companyId, connectionId),
      ]);
      const settings = draftSettingsOf(found);
      // The module off: nothing here; one by one, `applyEvent` then finds it off and waits.
      if (!settings) return 0;
      // Under the direct intake's case locks, what is known already is known for sure.
      await lockCases(
        tx,
        companyId,
        run.map((r) => r.caseNumber),
      );
      const [known, seen] = await Promise.all([
        tx
          .select({ caseNumber: orders.scalepointCaseNumber })
          .from(orders)
          .where(
            and(
              eq(orders.companyId, companyId),
              inArray(
                orders.scalepointCaseNumber,
                run.map((r) => r.caseNumber),
              ),
            ),
          ),
        tx
          .select({ id: scalepointDeliveries.messageId })
          .from(scalepointDeliveries)
          .where(
            and(
              eq(scalepointDeliveries.companyId, companyId),
              eq(scalepointDeliveries.channel, 'events'),
              eq(scalepointDeliveries.connectionId, connectionId),
              inArray(
                scalepointDeliveries.messageId,
                run.map((r) => r.event.id),
              ),
            ),
          ),
      ]);
      const knownCases = new Set(known.map((k) => k.caseNumber));
      const seenIds = new Set(seen.map((d) => d.id));
      const firstKnown = run.findIndex(
        (r) => knownCases.has(r.caseNumber) || seenIds.has(r.event.id),
      );
      if (firstKnown >= 0) run = run.slice(0, firstKnown);
      if (run.length < MIN_BATCH) return 0;

      const insurers = new Map<string, ResolvedCustomer>();
      const names = [...new Set(run.map((r) => r.insurerName))];
      // The insurer locks first, in one order (by name key, as they are keyed), so two batches
      // cannot deadlock on them; then the customers in the events' order, so new ones get their
      // numbers as one by one would give them (tests/integration/intake-paths.test.ts).
      for (const key of [...new Set(names.map(nameKey))].sort())
        await lockInsurer(tx, companyId, key);
      for (const name of names)
        insurers.set(name, await resolveCustomer(tx, companyId, insurerRule(name)));
      const rows = run.map((r) => ({
        ...r,
        orderId: randomUUID(),
        customer: insurers.get(r.insurerName)!,
      }));
      const drafts = rows.map((r) =>
        draftStatements(
          tx,
          companyId,
          r.orderId,
          eventDraftFields(settings, r, r.customer, connection),
        )
          .order.onConflictDoNothing()
          .returning({ id: orders.id }),
      );
      const warnings = eventDraftWarnings(settings);
      // After the drafts in the pipeline: the delivery rows refer to them.
      const deliveries = tx
        .insert(scalepointDeliveries)
        .values(
          rows.map((r) => ({
            ...deliveryRow(eventDelivery(companyId, connectionId, r.event), now),
            ...outcomeColumns(createdOutcome(r.orderId, r.customer, r.caseNumber, warnings)),
          })),
        )
        .onConflictDoNothing({ target: deliveryKey })
        .returning({ id: scalepointDeliveries.id });
      const written = await Promise.all([...drafts, deliveries]).catch((e: unknown) => {
        throw pgErrorCode(e) === '23503' ? new BatchContended() : e;
      });
      if (written.some((w, i) => w.length !== (i < drafts.length ? 1 : rows.length)))
        throw new BatchContended();
      await commit(tx, rows.at(-1)!.event.id);
      return rows.length;
    });
    return applied ? { applied, alone: 0 } : { applied: 0, alone: Math.max(1, run.length) };
  } catch (e) {
    if (isWorthRetry(e) || e instanceof DeliveryAborted) throw e;
    if (!(e instanceof BatchContended))
      log.warn('scalepoint_events_batch_failed', {
        companyId,
        connectionId,
        events: run.length,
        ...errorFields(e),
      });
    return { applied: 0, alone: Math.max(1, run.length) };
  }
};
