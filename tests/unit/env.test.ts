import { describe, expect, it } from 'vitest';
import { loadEnv } from '@/lib/env';

const key = Buffer.alloc(32, 7).toString('base64');
const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://kladde@db.internal/kladde',
  AUTH_SECRET: 'x'.repeat(32),
  CREDENTIALS_KEY: key,
  APP_URL: 'https://kladde.example.dk',
} as const;

describe('loadEnv', () => {
  it('starts in production with every required setting', () => {
    const e = loadEnv({ ...production });
    expect(e.appUrl).toBe('https://kladde.example.dk');
    expect(e.secureCookies).toBe(true);
  });

  it.each(['DATABASE_URL', 'AUTH_SECRET', 'CREDENTIALS_KEY', 'APP_URL'] as const)(
    'refuses production without %s, naming it',
    (name) => {
      const source: NodeJS.ProcessEnv = { ...production };
      delete source[name];
      expect(() => loadEnv(source)).toThrow(
        new RegExp(`Refusing to start in production without ${name}`),
      );
      expect(() => loadEnv({ ...source, [name]: '  ' } as NodeJS.ProcessEnv)).toThrow(
        new RegExp(name),
      );
    },
  );

  it('names every missing setting at once', () => {
    expect(() => loadEnv({ NODE_ENV: 'production' })).toThrow(
      /DATABASE_URL, AUTH_SECRET, CREDENTIALS_KEY, APP_URL/,
    );
  });

  it('rejects a credentials key that is not 32 bytes', () => {
    expect(() =>
      loadEnv({ NODE_ENV: 'development', CREDENTIALS_KEY: Buffer.alloc(16).toString('base64') }),
    ).toThrow(/CREDENTIALS_KEY/);
  });

  it('rejects an APP_URL that is not http(s) and a TRUSTED_PROXY_HOPS that is not a small whole number', () => {
    expect(() => loadEnv({ ...production, APP_URL: 'ftp://kladde.example.dk' })).toThrow(/APP_URL/);
    expect(() => loadEnv({ ...production, TRUSTED_PROXY_HOPS: '-1' })).toThrow(
      /TRUSTED_PROXY_HOPS/,
    );
    expect(() => loadEnv({ ...production, TRUSTED_PROXY_HOPS: '1.5' })).toThrow(
      /TRUSTED_PROXY_HOPS/,
    );
    expect(() => loadEnv({ ...production, TRUSTED_PROXY_HOPS: '11' })).toThrow(
      /TRUSTED_PROXY_HOPS/,
    );
    expect(loadEnv({ ...production, TRUSTED_PROXY_HOPS: '2' }).trustedProxyHops).toBe(2);
  });

  it('gives development stand-ins and defaults', () => {
    const e = loadEnv({ NODE_ENV: 'development', APP_URL: 'https://kladde.example/' });
    expect(e.credentialsKey.length).toBe(32);
    expect(e.appUrl).toBe('https://kladde.example');
    expect(e.resendApiKey).toBeUndefined();
    expect(e.trustedProxyHops).toBe(0);
    const d = loadEnv({ NODE_ENV: 'development', PORT: '3550' });
    expect(d.appUrl).toBe('http://localhost:3550');
    expect(d.secureCookies).toBe(false);
    expect(d.databaseUrl).toBeUndefined();
  });

  it('reads the Events API host overrides, without a trailing slash, and refuses non-URLs', () => {
    const e = loadEnv({
      NODE_ENV: 'development',
      SCALEPOINT_ACCOUNTS_URL: 'http://127.0.0.1:4010/',
      SCALEPOINT_API_URL: 'http://127.0.0.1:4010',
    });
    expect(e.scalepointAccountsUrl).toBe('http://127.0.0.1:4010');
    expect(e.scalepointApiUrl).toBe('http://127.0.0.1:4010');
    expect(loadEnv({ NODE_ENV: 'development' }).scalepointApiUrl).toBeUndefined();
    expect(() => loadEnv({ NODE_ENV: 'development', SCALEPOINT_API_URL: 'sandbox' })).toThrow(
      /SCALEPOINT_API_URL/,
    );
  });

  it('reads the database settings: the migration URL and the pooler mode', () => {
    const plain = loadEnv({ NODE_ENV: 'development', DATABASE_URL: 'postgres://app@db/kladde' });
    expect(plain).toMatchObject({
      databaseUrl: 'postgres://app@db/kladde',
      migrationDatabaseUrl: undefined,
      databasePooler: 'none',
    });
    const pooled = loadEnv({
      NODE_ENV: 'development',
      DATABASE_URL: 'postgres://app@bouncer/kladde',
      MIGRATION_DATABASE_URL: 'postgres://owner@db/kladde',
      DATABASE_POOLER: 'transaction',
    });
    expect(pooled).toMatchObject({
      migrationDatabaseUrl: 'postgres://owner@db/kladde',
      databasePooler: 'transaction',
    });
    expect(loadEnv({ NODE_ENV: 'development', DATABASE_POOLER: '' }).databasePooler).toBe('none');
    expect(() => loadEnv({ NODE_ENV: 'development', DATABASE_POOLER: 'session' })).toThrow(
      /DATABASE_POOLER/,
    );
  });
});
