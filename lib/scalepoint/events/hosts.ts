import { TENANT_PATTERN, type ScalepointEnvironment } from './connection-schema';
import { env, type Env } from '@/lib/env';
import { log } from '@/lib/log';

/**
 * Where a connection's token, receive and send calls go. The hosts per environment are
 * Scalepoint's; SCALEPOINT_ACCOUNTS_URL / SCALEPOINT_API_URL replace them (tests and the local
 * stand-in, docs/events-api.md): in development and tests for every connection, in production for
 * Sandbox connections only — a Produktion connection always talks to Scalepoint itself, whatever
 * the environment says. lib/env.ts refuses a production override that is neither https nor
 * loopback, and the start-up log names each one in force ({@link logHostOverrides},
 * docs/security.md, "Production refuses unsafe settings").
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

type HostSettings = Pick<Env, 'nodeEnv' | 'scalepointAccountsUrl' | 'scalepointApiUrl'>;

/** Whether the host overrides apply to a connection of this environment. */
export function overridesApply(
  environment: ScalepointEnvironment,
  settings: HostSettings = env(),
): boolean {
  return settings.nodeEnv !== 'production' || environment === 'sandbox';
}

export function hostsFor(
  environment: ScalepointEnvironment,
  settings: HostSettings = env(),
): {
  accountsUrl: string;
  apiUrl: string;
} {
  const hosts = SCALEPOINT_HOSTS[environment];
  if (!hosts) throw new Error(`Unknown Scalepoint environment: ${String(environment)}`);
  if (!overridesApply(environment, settings)) return { ...hosts };
  return {
    accountsUrl: settings.scalepointAccountsUrl ?? hosts.accountsUrl,
    apiUrl: settings.scalepointApiUrl ?? hosts.apiUrl,
  };
}

export type HostOverride = {
  setting: 'SCALEPOINT_ACCOUNTS_URL' | 'SCALEPOINT_API_URL';
  /** Scheme, host, port and path: never a user, password or query of the URL. */
  url: string;
  connections: 'every connection' | 'Sandbox connections';
};

/** The host overrides in force, and for which connections. */
export function hostOverrides(settings: HostSettings = env()): HostOverride[] {
  const connections =
    settings.nodeEnv === 'production' ? 'Sandbox connections' : 'every connection';
  const set: [HostOverride['setting'], string | undefined][] = [
    ['SCALEPOINT_ACCOUNTS_URL', settings.scalepointAccountsUrl],
    ['SCALEPOINT_API_URL', settings.scalepointApiUrl],
  ];
  return set.flatMap(([setting, url]) =>
    url ? [{ setting, url: withoutUserinfo(url), connections }] : [],
  );
}

/** At start (instrumentation-node.ts): one log line per override in force. */
export function logHostOverrides(settings: HostSettings = env()): void {
  for (const o of hostOverrides(settings)) log.warn('scalepoint.host_override', o);
}

function withoutUserinfo(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  u.search = '';
  u.hash = '';
  return u.toString().replace(/\/+$/, '');
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
