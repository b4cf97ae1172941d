import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isLoopbackUrl } from './demo-seed-policy';

/**
 * Every setting the app reads, validated in one place (docs/security.md, "Production refuses
 * unsafe settings"). Production refuses to start without DATABASE_URL, AUTH_SECRET,
 * CREDENTIALS_KEY and APP_URL, with an AUTH_SECRET shorter than 32 characters, or with an APP_URL
 * or a Scalepoint host override that is neither https nor loopback; development and tests get
 * stable generated stand-ins and the embedded database, and take any http(s) address.
 */
const optional = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const base64Key = z
  .string()
  .trim()
  .refine((v) => {
    try {
      return Buffer.from(v, 'base64').length === 32;
    } catch {
      return false;
    }
  }, 'must be base64 of exactly 32 bytes');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: optional,
  // The owner's URL for migrations and seed when DATABASE_URL is not the owner or goes through a pooler.
  MIGRATION_DATABASE_URL: optional,
  // 'transaction' behind PgBouncer/Supavisor in transaction mode (docs/tenancy.md).
  DATABASE_POOLER: optional.pipe(z.enum(['none', 'transaction']).optional()),
  KLADDE_DATA_DIR: optional,
  AUTH_SECRET: optional,
  CREDENTIALS_KEY: optional.pipe(base64Key.optional()),
  // Older keys, kept so secrets encrypted before a rotation still decrypt: "base64,base64".
  CREDENTIALS_KEYS_PREVIOUS: optional,
  APP_URL: optional.pipe(z.url({ protocol: /^https?$/ }).optional()),
  // How many reverse proxies in front of the app append to X-Forwarded-For (docs/security.md).
  TRUSTED_PROXY_HOPS: optional.pipe(
    z
      .string()
      .regex(/^\d{1,2}$/, 'must be a whole number 0–10')
      .transform(Number)
      .pipe(z.number().max(10))
      .optional(),
  ),
  PORT: optional,
  RESEND_API_KEY: optional,
  // Never read by our code: the resend SDK reads process.env.RESEND_BASE_URL itself (the e2e and
  // test stand-ins set it). Listed so the settings are in one place, as any string.
  RESEND_BASE_URL: optional,
  MAIL_FROM: optional,
  SCALEPOINT_EMAIL: optional.pipe(z.email().optional()),
  // Events API hosts; when set they replace Scalepoint's (the local stand-in): for every connection
  // in development and tests, for Sandbox connections only in production (lib/scalepoint/events/hosts.ts).
  SCALEPOINT_ACCOUNTS_URL: optional.pipe(z.url({ protocol: /^https?$/ }).optional()),
  SCALEPOINT_API_URL: optional.pipe(z.url({ protocol: /^https?$/ }).optional()),
  SCALEPOINT_ALERT_AFTER_SECONDS: optional.pipe(
    z
      .string()
      .regex(/^[0-9]{1,7}$/, 'whole seconds')
      .transform(Number)
      .optional(),
  ),
  // 'off' keeps this process from polling the Events API (e.g. a web-only instance; the lease makes more than one safe anyway).
  SCALEPOINT_POLLER: optional.pipe(z.enum(['on', 'off']).optional()),
});

export type Env = {
  nodeEnv: 'development' | 'production' | 'test';
  databaseUrl: string | undefined;
  migrationDatabaseUrl: string | undefined;
  databasePooler: 'none' | 'transaction';
  dataDir: string | undefined;
  authSecret: string;
  credentialsKey: Buffer;
  credentialsKeyId: string;
  previousCredentialsKeys: Map<string, Buffer>;
  appUrl: string;
  /** APP_URL is https: session cookies are Secure and HSTS is sent. */
  secureCookies: boolean;
  trustedProxyHops: number;
  resendApiKey: string | undefined;
  mailFrom: string;
  scalepointEmail: string;
  /** Replace Scalepoint's hosts: every connection's outside production, Sandbox ones' in production. */
  scalepointAccountsUrl: string | undefined;
  scalepointApiUrl: string | undefined;
  /** A connection failing this long without a success alerts the company's admins (docs/events-api.md). */
  scalepointAlertAfterSeconds: number;
  scalepointPoller: 'on' | 'off';
};

let cached: Env | undefined;

// Well-known stand-ins for development and tests only (production refuses to run on them).
// `npm run dev` writes real random ones to .env.local on first start.
const devFallback = {
  auth: 'kladde-development-auth-secret-not-for-production',
  key: createHash('sha256').update('kladde-development-credentials-key').digest('base64'),
};

/** The shortest AUTH_SECRET production accepts (`openssl rand -base64 32` gives 44). */
export const MIN_AUTH_SECRET_LENGTH = 32;

/** https, or any address on this machine (localhost, 127.0.0.0/8, [::1]). */
function httpsOrLoopback(url: string): boolean {
  return new URL(url).protocol === 'https:' || isLoopbackUrl(url);
}

/** An address as a refusal may show it: scheme, host and port, never a user or password. */
function originOf(url: string): string {
  return new URL(url).origin;
}

/**
 * What production refuses in settings that are present (the missing ones are refused before):
 * one line per setting, naming it. Empty when every one holds.
 */
function weakProductionSettings(e: z.infer<typeof schema>): string[] {
  const weak: string[] = [];
  if ((e.AUTH_SECRET ?? '').length < MIN_AUTH_SECRET_LENGTH)
    weak.push(
      `AUTH_SECRET: must be at least ${MIN_AUTH_SECRET_LENGTH} characters (openssl rand -base64 32)`,
    );
  if (e.APP_URL && !httpsOrLoopback(e.APP_URL))
    weak.push(
      `APP_URL: must be https, or a loopback address (localhost, 127.0.0.0/8, [::1]); it is ${originOf(e.APP_URL)}`,
    );
  for (const k of ['SCALEPOINT_ACCOUNTS_URL', 'SCALEPOINT_API_URL'] as const) {
    const url = e[k];
    if (url && !httpsOrLoopback(url))
      weak.push(
        `${k}: an override of Scalepoint's host must be https or a loopback address (localhost, 127.0.0.0/8, [::1]); it is ${originOf(url)}`,
      );
  }
  return weak;
}

export function keyIdOf(key: Buffer): string {
  // A short, non-secret fingerprint so a ciphertext names the key that made it.
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid environment:\n${lines}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production') {
    // Never the embedded database, never the well-known development secrets, never a guessed address.
    const missing = (['DATABASE_URL', 'AUTH_SECRET', 'CREDENTIALS_KEY', 'APP_URL'] as const).filter(
      (k) => !e[k],
    );
    if (missing.length)
      throw new Error(
        `Refusing to start in production without ${missing.join(', ')} (see .env.example).`,
      );
    // Never a guessable secret, never cookies and private-key-signed assertions over plain http.
    const weak = weakProductionSettings(e);
    if (weak.length)
      throw new Error(
        `Refusing to start in production (see .env.example):\n${weak.map((w) => `  ${w}`).join('\n')}`,
      );
  }
  const credentialsKey = Buffer.from(e.CREDENTIALS_KEY ?? devFallback.key, 'base64');
  const previous = new Map<string, Buffer>();
  for (const part of (e.CREDENTIALS_KEYS_PREVIOUS ?? '').split(',').filter(Boolean)) {
    const key = Buffer.from(part.trim(), 'base64');
    if (key.length !== 32)
      throw new Error(
        'Invalid environment:\n  CREDENTIALS_KEYS_PREVIOUS: every key must be base64 of 32 bytes',
      );
    previous.set(keyIdOf(key), key);
  }
  const appUrl = (e.APP_URL ?? `http://localhost:${e.PORT ?? 3000}`).replace(/\/+$/, '');
  return {
    nodeEnv: e.NODE_ENV,
    databaseUrl: e.DATABASE_URL,
    migrationDatabaseUrl: e.MIGRATION_DATABASE_URL,
    databasePooler: e.DATABASE_POOLER ?? 'none',
    dataDir: e.KLADDE_DATA_DIR,
    authSecret: e.AUTH_SECRET ?? devFallback.auth,
    credentialsKey,
    credentialsKeyId: keyIdOf(credentialsKey),
    previousCredentialsKeys: previous,
    appUrl,
    secureCookies: appUrl.startsWith('https://'),
    trustedProxyHops: e.TRUSTED_PROXY_HOPS ?? 0,
    resendApiKey: e.RESEND_API_KEY,
    mailFrom: e.MAIL_FROM ?? 'Kladde <noreply@kladde.dk>',
    scalepointEmail: e.SCALEPOINT_EMAIL ?? 'integration@scalepoint.com',
    scalepointAccountsUrl: e.SCALEPOINT_ACCOUNTS_URL?.replace(/\/+$/, ''),
    scalepointApiUrl: e.SCALEPOINT_API_URL?.replace(/\/+$/, ''),
    scalepointAlertAfterSeconds: e.SCALEPOINT_ALERT_AFTER_SECONDS ?? 900,
    scalepointPoller: e.SCALEPOINT_POLLER ?? 'on',
  };
}

export function env(): Env {
  cached ??= loadEnv();
  return cached;
}

/** Tests change settings between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
