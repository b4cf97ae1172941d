import { describe, expect, it } from 'vitest';
import { orderStepKinds } from '@/db/schema/order-steps';
import {
  buildServiceEvent,
  EVENT_TYPE,
  EVENT_TYPE_HEADER,
  eventHeaders,
  stepProperty,
} from '@/lib/scalepoint/outbound/event';
import {
  DECLINE_NOTIFIED,
  outboxFilterKeys,
  outboxFilterLabel,
  outboxReasonText,
  outboxStatusLabel,
  propertyLabel,
} from '@/lib/scalepoint/outbound/words';

const base = {
  correlationId: '6f1c2f8e-4f5e-4a77-9d0e-2b1f0c3a9e11',
  recordedAt: new Date('2026-05-04T10:15:00.000Z'),
  at: new Date('2026-05-04T08:00:00.000Z'),
  caseId: 'c-1',
  caseNumber: 'SP-1',
  serviceId: null,
  serviceReference: 'SP-1-1',
  companyName: 'Demo VVS ApS',
  companyCvr: '12345678',
  actorName: 'Mette Montør',
};

describe('the outgoing event (our assumptions, one module)', () => {
  it('names the header and the event type', () => {
    expect(EVENT_TYPE_HEADER).toBe('Event-Type');
    expect(EVENT_TYPE).toBe('repair_service_updated');
    expect(eventHeaders()).toEqual({
      'Content-Type': 'application/json',
      'Event-Type': 'repair_service_updated',
    });
  });

  it('maps every step kind; Gendan sends nothing', () => {
    expect(Object.keys(stepProperty).sort()).toEqual([...orderStepKinds].sort());
    expect(stepProperty).toEqual({
      approved: 'ServiceAccepted',
      rejected: 'ServiceDeclined',
      customer_contacted: 'CustomerContacted',
      inspection_scheduled: 'InspectionScheduled',
      work_started: 'WorkStarted',
      work_completed: 'WorkCompleted',
      reopened: 'WorkReopened',
      restored: null,
    });
  });

  it('builds the body of the contract', () => {
    const body = buildServiceEvent({ ...base, property: 'InspectionScheduled', note: 'Kl. 8' });
    expect(body).toEqual({
      eventType: 'repair_service_updated',
      payloadVersion: '1.0.0',
      correlationId: base.correlationId,
      timestamp: '2026-05-04T10:15:00.000Z',
      case: { id: 'c-1', number: 'SP-1' },
      service: { id: null, referenceNumber: 'SP-1-1' },
      serviceProvider: { name: 'Demo VVS ApS', companyTaxId: '12345678' },
      changedBy: { fullName: 'Mette Montør', userType: 'ServicePartner' },
      changes: [{ property: 'InspectionScheduled', at: '2026-05-04T08:00:00.000Z', note: 'Kl. 8' }],
    });
    // The key order as the contract writes it.
    expect(Object.keys(body)).toEqual([
      'eventType',
      'payloadVersion',
      'correlationId',
      'timestamp',
      'case',
      'service',
      'serviceProvider',
      'changedBy',
      'changes',
    ]);
  });

  it('carries the Begrundelse with ServiceDeclined only; no Bemærkning is null', () => {
    const declined = buildServiceEvent({
      ...base,
      property: 'ServiceDeclined',
      reason: 'Ikke vores fag',
    });
    expect(declined.changes).toEqual([
      {
        property: 'ServiceDeclined',
        at: '2026-05-04T08:00:00.000Z',
        reason: 'Ikke vores fag',
        note: null,
      },
    ]);
    expect(Object.keys(declined.changes[0]!)).toEqual(['property', 'at', 'reason', 'note']);
    const accepted = buildServiceEvent({ ...base, property: 'ServiceAccepted', reason: 'x' });
    expect(accepted.changes[0]).toEqual({
      property: 'ServiceAccepted',
      at: '2026-05-04T08:00:00.000Z',
      note: null,
    });
  });
});

describe('the sending words', () => {
  it('labels the states, the reasons, the properties and the filter', () => {
    expect(outboxStatusLabel).toEqual({
      pending: 'Afventer afsendelse',
      sent: 'Sendt til Scalepoint',
      failed: 'Fejlet',
      not_sent: 'Sendes ikke til Scalepoint',
    });
    expect(outboxReasonText('waiting')).toBe('venter på en tidligere hændelse');
    expect(outboxReasonText('case_closed')).toBe('sagen er lukket hos Scalepoint');
    expect(outboxReasonText('connection_deleted')).toBe('forbindelsen er slettet');
    expect(outboxReasonText('no_connection')).toBe('ingen Events API-forbindelse til denne sag');
    expect(outboxReasonText('module_off')).toBe('modulet er slået fra');
    expect(outboxReasonText('rejected', 400)).toContain('400');
    expect(outboxReasonText(null)).toBe('');
    expect(outboxReasonText('something_new')).toContain('something_new');
    for (const code of ['unauthorized', 'expired', 'unreachable'])
      expect(outboxReasonText(code)).not.toBe('');
    expect(propertyLabel.WorkReopened).toBe('Genåbnet');
    expect(Object.keys(propertyLabel)).toHaveLength(7);
    expect(outboxFilterKeys).toEqual(['alle', 'afventer', 'sendt', 'fejlet']);
    expect(outboxFilterLabel).toEqual({
      alle: 'Alle',
      afventer: 'Afventer afsendelse',
      sendt: 'Sendt',
      fejlet: 'Fejlet',
    });
    expect(DECLINE_NOTIFIED).toBe('Scalepoint har fået besked om afvisningen');
  });
});
