import { TENANT_PATTERN, type ScalepointEnvironment } from './connection-schema';
import { env } from '@/lib/env';

/**
 * Where a connection's token and events calls go. The hosts per environment are Scalepoint's;
 * SCALEPOINT_ACCOUNTS_URL / SCALEPOINT_API_URL replace them for every connection (docs/events-api.md).
 */
export {
  SCALEPOINT_ENVIRONMENTS,
  TENANT_PATTERN,
  scalepointEnvironmentSchema,
  tenantSchema,
} from './connection-schema';
export type { ScalepointEnvironment } from './connection-schema';

const SCALEPOINT_HOSTS: Record<ScalepointEnvironment, { accountsUrl: string; apiUrl: string }> = {
  production: {
    accountsUrl: 'https://accounts.scalepoint.com',
    apiUrl: 'https://www.scalepoint.com',
  },
  sandbox: {
    accountsUrl: 'https://sandbox-accounts.scalepoint.com',
    apiUrl: 'https://sandbox.scalepoint.com',
  },
};

export function hostsFor(environment: ScalepointEnvironment): {
  accountsUrl: string;
  apiUrl: string;
} {
  const hosts = SCALEPOINT_HOSTS[environment];
  if (!hosts) throw new Error(`Unknown Scalepoint environment: ${String(environment)}`);
  const settings = env();
  return {
    accountsUrl: settings.scalepointAccountsUrl ?? hosts.accountsUrl,
    apiUrl: settings.scalepointApiUrl ?? hosts.apiUrl,
  };
}

export function tokenUrl(environment: ScalepointEnvironment): string {
  return `${hostsFor(environment).accountsUrl}/connect/token`;
}

export function receivePath(tenant: string): string {
  if (!TENANT_PATTERN.test(tenant)) throw new Error('Invalid Scalepoint tenant');
  return `/api/events/v1/dk/external/${tenant}/receive`;
}

/** Without `lastEventId` on the very first call; with the id of the last handled event after that. */
export function receiveUrl(
  environment: ScalepointEnvironment,
  tenant: string,
  lastEventId?: string | null,
): string {
  // Joined as text so an API URL with a path prefix (a proxy) keeps it.
  const url = new URL(`${hostsFor(environment).apiUrl}${receivePath(tenant)}`);
  if (lastEventId) url.searchParams.set('lastEventId', lastEventId);
  return url.toString();
}
