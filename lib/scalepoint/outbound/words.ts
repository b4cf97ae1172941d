/**
 * The sending states in Danish (the catalogue pattern: a machine code → its Danish text). No
 * imports: pages and client components read it.
 */

export const outboxStatusLabel = {
  pending: 'Afventer afsendelse',
  sent: 'Sendt til Scalepoint',
  failed: 'Fejlet',
  not_sent: 'Sendes ikke til Scalepoint',
} as const;

export type OutboxReasonCode =
  | 'waiting'
  | 'case_closed'
  | 'connection_deleted'
  | 'no_connection'
  | 'unauthorized'
  | 'rejected'
  | 'expired'
  | 'unreachable'
  | 'token_refused'
  | 'module_off';

const REASON_TEXTS: Record<OutboxReasonCode, (lastStatus?: number | null) => string> = {
  waiting: () => 'venter på en tidligere hændelse',
  case_closed: () => 'sagen er lukket hos Scalepoint',
  connection_deleted: () => 'forbindelsen er slettet',
  no_connection: () => 'ingen Events API-forbindelse til denne sag',
  unauthorized: () => 'Scalepoint afviste adgangen (401)',
  rejected: (s) => (s ? `Scalepoint afviste hændelsen (${s})` : 'Scalepoint afviste hændelsen'),
  expired: () => 'Scalepoint har ikke svaret i 72 timer',
  unreachable: (s) => (s ? `Scalepoint svarer ikke (${s})` : 'Scalepoint svarer ikke'),
  token_refused: () => 'Scalepoint afviste token-forespørgslen',
  module_off: () => 'modulet er slået fra',
};

/** The Danish reason of a row's state; '' for none. */
export function outboxReasonText(code: string | null | undefined, lastStatus?: number | null) {
  if (!code) return '';
  const text = REASON_TEXTS[code as OutboxReasonCode];
  return text ? text(lastStatus) : `ukendt fejl (${code})`;
}

export const propertyLabel = {
  ServiceAccepted: 'Godkendt',
  ServiceDeclined: 'Afvist',
  CustomerContacted: 'Kunde kontaktet',
  InspectionScheduled: 'Besigtigelse aftalt',
  WorkStarted: 'Arbejde startet',
  WorkCompleted: 'Arbejde færdigt',
  WorkReopened: 'Genåbnet',
} as const;

/** The `?sendt=` values of Afsendelser. */
export const outboxFilterKeys = ['alle', 'afventer', 'sendt', 'fejlet'] as const;
export type OutboxFilterKey = (typeof outboxFilterKeys)[number];
export const outboxFilterLabel: Record<OutboxFilterKey, string> = {
  alle: 'Alle',
  afventer: 'Afventer afsendelse',
  sendt: 'Sendt',
  fejlet: 'Fejlet',
};

/** On a declined case restored with Gendan: Scalepoint heard of the Afvis (Gendan sends nothing). */
export const DECLINE_NOTIFIED = 'Scalepoint har fået besked om afvisningen';

export const retryAnswers = {
  retried: 'Hændelsen sendes igen.',
  notFailed: 'Hændelsen er ikke fejlet; der er intet at sende igen.',
} as const;
