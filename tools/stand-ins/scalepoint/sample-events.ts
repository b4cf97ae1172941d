import { randomUUID } from 'node:crypto';

/**
 * Turns a sample event (samples/scalepoint/events/*.json) into a fresh one: a new correlation id and
 * timestamp, and optionally another case number or a close/reopen change. Used by the stand-in CLI
 * and by tests, so demo data and test data have the same shape.
 */

export type SampleChange = { closed?: string; reopened?: boolean };

export function freshEvent(
  sample: Record<string, unknown>,
  opts: { caseNumber?: string; now?: Date } & SampleChange = {},
): Record<string, unknown> {
  const event = structuredClone(sample);
  event.correlationId = randomUUID();
  event.timestamp = (opts.now ?? new Date()).toISOString();
  const kase =
    event.case && typeof event.case === 'object'
      ? (event.case as Record<string, unknown>)
      : undefined;
  if (opts.caseNumber && kase) {
    kase.number = opts.caseNumber;
    const service =
      event.service && typeof event.service === 'object'
        ? (event.service as Record<string, unknown>)
        : undefined;
    if (service) {
      service.referenceNumber = `${opts.caseNumber}-1`;
      service.id = randomUUID();
    }
    if ('id' in kase) kase.id = randomUUID();
  }
  if (opts.closed !== undefined)
    event.changes = [{ property: 'CaseClosed', terminationReason: opts.closed }];
  if (opts.reopened) event.changes = [{ property: 'CaseReopened' }];
  return event;
}
