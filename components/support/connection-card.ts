import { formatDateTime } from '@/lib/format';
import { connectionErrorText } from '@/lib/scalepoint/events/words';
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
  certificateHref: string;
};

export function toConnectionCard(companyId: string, c: SupportConnectionView): ConnectionCard {
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
    certificateHref: `/support/scalepoint/${companyId}/connections/${c.id}/certificate`,
  };
}
