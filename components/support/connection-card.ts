import { formatDateTime } from '@/lib/format';
import { connectionErrorText } from '@/lib/scalepoint/events/words';
import { outboxReasonText } from '@/lib/scalepoint/outbound/words';
import type { SupportConnectionView } from '@/lib/scalepoint/support/company-view';

/** A connection as the page hands it to the browser: explicit, display-ready fields, never a key. */
export type ConnectionCard = {
  id: string;
  clientId: string;
  tenant: string;
  environment: 'sandbox' | 'production';
  fingerprint: string | null;
  validTo: string | null;
  previousValidUntil: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  /** What Kladde sends through it (issue 22): the last send, the last failure and its reason, how many wait. */
  outbound: { lastSentAt: string | null; lastFailure: string | null; pending: number };
  certificateHref: string;
};

export function toConnectionCard(companyId: string, c: SupportConnectionView): ConnectionCard {
  const outbound = c.outbound;
  return {
    id: c.id,
    clientId: c.clientId,
    tenant: c.tenant,
    environment: c.environment,
    fingerprint: c.fingerprint,
    validTo: c.validTo ? formatDateTime(c.validTo) : null,
    previousValidUntil: c.previousValidUntil ? formatDateTime(c.previousValidUntil) : null,
    lastSuccessAt: c.lastSuccessAt ? formatDateTime(c.lastSuccessAt) : null,
    lastError: c.lastErrorCode
      ? `${connectionErrorText(c.lastErrorCode)} (${formatDateTime(c.lastErrorAt)})`
      : null,
    outbound: {
      lastSentAt: outbound.lastSentAt ? formatDateTime(outbound.lastSentAt) : null,
      lastFailure: outbound.lastFailedAt
        ? `${formatDateTime(outbound.lastFailedAt)}: ${outboxReasonText(outbound.lastFailureReason) || 'ukendt fejl'}`
        : null,
      pending: outbound.pending,
    },
    certificateHref: `/support/scalepoint/${companyId}/connections/${c.id}/certificate`,
  };
}
