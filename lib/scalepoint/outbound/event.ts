import type { OrderStepKind } from '@/db/schema/order-steps';

/**
 * The one module of our assumptions about what a service partner sends to Scalepoint
 * (docs/events-api.md, "What Kladde sends"). Scalepoint's page "Events API Integration from
 * Clients to Scalepoint" publishes the `send` endpoint, the bearer token and "an Event Type
 * header" — not the header's name, nor the event types or the body a service partner sends. The
 * header name, the event type and the `changes` vocabulary below are Kladde's, shaped like
 * `claim_updated`; they change here, in one place, when Scalepoint confirms them. Pure: no I/O.
 */

export const EVENT_TYPE_HEADER = 'Event-Type';
export const EVENT_TYPE = 'repair_service_updated';
export const PAYLOAD_VERSION = '1.0.0';
export const USER_TYPE = 'ServicePartner';

export const outboundProperties = [
  'ServiceAccepted',
  'ServiceDeclined',
  'CustomerContacted',
  'InspectionScheduled',
  'WorkStarted',
  'WorkCompleted',
  'WorkReopened',
] as const;
export type OutboundProperty = (typeof outboundProperties)[number];

/** The `changes[].property` a step is sent as; null: the step sends nothing (Gendan). */
export const stepProperty: Record<OrderStepKind, OutboundProperty | null> = {
  approved: 'ServiceAccepted',
  rejected: 'ServiceDeclined',
  customer_contacted: 'CustomerContacted',
  inspection_scheduled: 'InspectionScheduled',
  work_started: 'WorkStarted',
  work_completed: 'WorkCompleted',
  reopened: 'WorkReopened',
  restored: null,
};

export type ServiceEventInput = {
  property: OutboundProperty;
  correlationId: string;
  /** When the step was recorded. */
  recordedAt: Date;
  /** The step's Tidspunkt. */
  at: Date;
  /** Afvis's Begrundelse (sent with ServiceDeclined only). */
  reason?: string | null;
  /** The milestone's Bemærkning. */
  note?: string | null;
  caseId: string | null;
  caseNumber: string;
  serviceId: string | null;
  serviceReference: string | null;
  companyName: string;
  companyCvr: string;
  actorName: string;
};

export type ServiceEventChange = {
  property: OutboundProperty;
  at: string;
  reason?: string;
  note: string | null;
};

export type ServiceEvent = {
  eventType: typeof EVENT_TYPE;
  payloadVersion: typeof PAYLOAD_VERSION;
  correlationId: string;
  timestamp: string;
  case: { id: string | null; number: string };
  service: { id: string | null; referenceNumber: string | null };
  serviceProvider: { name: string; companyTaxId: string };
  changedBy: { fullName: string; userType: typeof USER_TYPE };
  changes: ServiceEventChange[];
};

/** The body of one outgoing event, as it is stored at the step's commit and sent unchanged. */
export function buildServiceEvent(input: ServiceEventInput): ServiceEvent {
  // Key order as the contract writes it: property, at, reason (ServiceDeclined only), note.
  const change: ServiceEventChange = {
    property: input.property,
    at: input.at.toISOString(),
    ...(input.property === 'ServiceDeclined' ? { reason: input.reason ?? '' } : {}),
    note: input.note ? input.note : null,
  };
  return {
    eventType: EVENT_TYPE,
    payloadVersion: PAYLOAD_VERSION,
    correlationId: input.correlationId,
    timestamp: input.recordedAt.toISOString(),
    case: { id: input.caseId, number: input.caseNumber },
    service: { id: input.serviceId, referenceNumber: input.serviceReference },
    serviceProvider: { name: input.companyName, companyTaxId: input.companyCvr },
    changedBy: { fullName: input.actorName, userType: USER_TYPE },
    changes: [change],
  };
}

/** The request headers besides Authorization (the connection's bearer token). */
export function eventHeaders(): Record<string, string> {
  return { 'Content-Type': 'application/json', [EVENT_TYPE_HEADER]: EVENT_TYPE };
}
