import { describe, expect, it } from 'vitest';
import {
  caseClosure,
  claimUpdatedSchema,
  eventDate,
  repairServiceDraft,
  repairServiceRequestedSchema,
  terminationReasonLabel,
} from '@/lib/scalepoint/events/event-content';

// The example of Scalepoint's "Service Providers Events Integration API" page, attributes only.
const published = {
  eventType: 'repair_service_requested',
  payloadVersion: '1.0.0',
  correlationId: 'cafdfac8-f472-4eef-a231-2a3fe9f42028',
  timestamp: '2020-10-21T08:45:53.3406753+02:00',
  case: {
    id: '2f29eca7-bec3-4061-8817-6b29cf13464d',
    damageCause: 'Brand',
    damageCategory: 'Brandskade',
    policy: {
      insuranceCompany: {
        alias: 'insurance1',
        subcompanyAlias: 'insurance1',
        subcompanyName: 'insurance one',
      },
    },
    number: '20200826-01',
    externalId: 'f2065569-a90b-4ebc-92d0-48d2dec9442a',
  },
  service: {
    referenceNumber: '20200826-01-8',
    id: '25875a6d-5c7b-48e3-8cb9-e620378d99bc',
    startDate: '2020-12-10T08:12:14.2170965Z',
    endDate: '2020-12-10T08:41:46.4739975Z',
  },
};

describe('repair_service_requested', () => {
  it('maps the published example to the draft fields', () => {
    const e = repairServiceRequestedSchema.parse(published);
    expect(repairServiceDraft(e)).toEqual({
      caseNumber: '20200826-01',
      insurerName: 'insurance one',
      workDescription: 'Brandskade: Brand\nServiceopgave 20200826-01-8: 10.12.2020 – 10.12.2020',
      serviceLine: 'Serviceopgave 20200826-01-8: 10.12.2020 – 10.12.2020',
      // service.endDate, the work's deadline (docs/deadlines.md).
      workDueAt: new Date('2020-12-10T08:41:46.4739975Z'),
      ids: {
        caseId: '2f29eca7-bec3-4061-8817-6b29cf13464d',
        caseExternalId: 'f2065569-a90b-4ebc-92d0-48d2dec9442a',
        serviceId: '25875a6d-5c7b-48e3-8cb9-e620378d99bc',
        serviceReference: '20200826-01-8',
      },
    });
  });

  it('takes the alias when there is no subcompany name, and leaves out missing parts', () => {
    const e = repairServiceRequestedSchema.parse({
      case: {
        number: 'SP-1',
        damageCause: 'Vandskade',
        policy: { insuranceCompany: { alias: 'tryg', subcompanyName: '  ' } },
      },
      service: { referenceNumber: 'SP-1-2' },
    });
    expect(repairServiceDraft(e)).toEqual({
      caseNumber: 'SP-1',
      insurerName: 'tryg',
      workDescription: 'Vandskade\nServiceopgave SP-1-2',
      serviceLine: 'Serviceopgave SP-1-2',
      workDueAt: null,
      ids: { caseId: null, caseExternalId: null, serviceId: null, serviceReference: 'SP-1-2' },
    });
  });

  it('gives no insurer and no description when the event has none', () => {
    const e = repairServiceRequestedSchema.parse({ case: { number: 7 } });
    expect(repairServiceDraft(e)).toEqual({
      caseNumber: '7',
      insurerName: null,
      workDescription: null,
      serviceLine: null,
      workDueAt: null,
      ids: { caseId: null, caseExternalId: null, serviceId: null, serviceReference: null },
    });
  });

  it('formats dates in Danish time (a UTC evening is the next day in Copenhagen)', () => {
    expect(eventDate('2026-06-30T22:30:00Z')).toBe('1.7.2026');
    expect(eventDate('2026-01-05T10:00:00+01:00')).toBe('5.1.2026');
    expect(eventDate('not a date')).toBeNull();
    expect(eventDate(undefined)).toBeNull();
  });

  it('refuses a case without a number, and control characters and lone surrogates with their path', () => {
    expect(repairServiceRequestedSchema.safeParse({ case: {} }).success).toBe(false);
    for (const bad of ['Brand\u0000', 'Brand\u001b', 'x\ud800', '\udc00y']) {
      const r = repairServiceRequestedSchema.safeParse({
        case: { number: 'SP-2', damageCause: bad },
      });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.path).toEqual(['case', 'damageCause']);
    }
    // Tabs, line feeds, and a proper surrogate pair are fine.
    expect(
      repairServiceRequestedSchema.safeParse({
        case: { number: 'SP-2', damageCause: 'a\tb\nc 🔥' },
      }).success,
    ).toBe(true);
  });
});

describe('claim_updated', () => {
  it('reads CaseClosed with the Danish reason, none for None, unknown reasons as given', () => {
    const closed = (terminationReason?: string) =>
      caseClosure(
        claimUpdatedSchema.parse({
          case: { number: 'CN1' },
          changes: [{ property: 'CaseClosed', isTerminated: true, terminationReason }],
        }),
      );
    expect(closed('NotCovered')).toEqual({ kind: 'closed', reason: 'Ikke dækket' });
    expect(closed('BelowDeductible')).toEqual({ kind: 'closed', reason: 'Under selvrisiko' });
    expect(closed('CreatedByMistake')).toEqual({ kind: 'closed', reason: 'Oprettet ved en fejl' });
    expect(closed('None')).toEqual({ kind: 'closed', reason: null });
    expect(closed(undefined)).toEqual({ kind: 'closed', reason: null });
    expect(closed('Fraud')).toEqual({ kind: 'closed', reason: 'Fraud' });
    expect(terminationReasonLabel('None')).toBeNull();
  });

  it('reads CaseReopened, the last change wins, and other changes are nothing', () => {
    const parse = (changes: unknown) =>
      caseClosure(claimUpdatedSchema.parse({ case: { number: 'CN1' }, changes }));
    expect(parse([{ property: 'CaseReopened' }])).toEqual({ kind: 'reopened' });
    expect(parse([{ property: 'CaseClosed' }, { property: 'CaseReopened' }])).toEqual({
      kind: 'reopened',
    });
    expect(parse([{ property: 'SomethingElse' }])).toBeNull();
    expect(parse(undefined)).toBeNull();
  });
});
