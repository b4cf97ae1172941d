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

  it('refuses production with an AUTH_SECRET shorter than 32 characters, naming it, not showing it', () => {
    for (const secret of [
      'kort-hemmelig',
      'k'.repeat(12),
      'k'.repeat(31),
      `  ${'k'.repeat(31)}  `,
    ]) {
      let message = '';
      try {
        loadEnv({ ...production, AUTH_SECRET: secret });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(
        /^Refusing to start in production .*\n {2}AUTH_SECRET: must be at least 32 characters/,
      );
      expect(message).not.toContain(secret.trim());
    }
    expect(loadEnv({ ...production, AUTH_SECRET: 'k'.repeat(32) }).authSecret).toBe('k'.repeat(32));
    // Development keeps its stand-ins and takes any secret.
    expect(loadEnv({ NODE_ENV: 'development', AUTH_SECRET: 'k'.repeat(12) }).authSecret).toBe(
      'k'.repeat(12),
    );
  });

  it('refuses production with an APP_URL that is neither https nor loopback, naming it', () => {
    for (const appUrl of [
      'http://kladde.example.dk',
      'http://10.0.0.5:3000',
      'http://127.0.0.1.nip.io',
      'http://localhost@kladde.example.dk',
      'http://[::2]:3000',
    ])
      expect(() => loadEnv({ ...production, APP_URL: appUrl }), appUrl).toThrow(
        /^Refusing to start in production .*\n {2}APP_URL: must be https, or a loopback address \(localhost, 127\.0\.0\.0\/8, \[::1\]\); it is http:\/\//,
      );
    for (const appUrl of [
      'https://kladde.example.dk',
      'http://localhost:3000',
      'http://127.0.0.1:3100',
      'http://127.8.9.10',
      'http://[::1]:3000',
    ])
      expect(loadEnv({ ...production, APP_URL: appUrl }).appUrl, appUrl).toBe(appUrl);
    expect(loadEnv({ NODE_ENV: 'development', APP_URL: 'http://kladde.lan:3000' }).appUrl).toBe(
      'http://kladde.lan:3000',
    );
  });

  it('refuses production with a Scalepoint host override that is neither https nor loopback, naming it', () => {
    for (const name of ['SCALEPOINT_ACCOUNTS_URL', 'SCALEPOINT_API_URL'] as const) {
      expect(() => loadEnv({ ...production, [name]: 'http://scalepoint.example.dk' })).toThrow(
        new RegExp(
          `^Refusing to start in production .*\\n {2}${name}: an override of Scalepoint's host must be https or a loopback address`,
        ),
      );
      expect(() =>
        loadEnv({ ...production, [name]: 'http://user:hemmelig@scalepoint.example.dk/x' }),
      ).toThrow(/it is http:\/\/scalepoint\.example\.dk$/);
      for (const ok of [
        'https://sp-proxy.example.dk',
        'http://127.0.0.1:4010',
        'http://[::1]:4010',
      ])
        expect(() => loadEnv({ ...production, [name]: ok }), ok).not.toThrow();
      // Development: any http(s) address; never another scheme, in any mode.
      expect(() => loadEnv({ NODE_ENV: 'development', [name]: 'http://sp.lan' })).not.toThrow();
      expect(() => loadEnv({ NODE_ENV: 'development', [name]: 'ftp://127.0.0.1' })).toThrow(
        new RegExp(name),
      );
    }
  });

  it('names every weak production setting at once', () => {
    expect(() =>
      loadEnv({
        ...production,
        AUTH_SECRET: 'k'.repeat(12),
        APP_URL: 'http://kladde.example.dk',
        SCALEPOINT_ACCOUNTS_URL: 'http://scalepoint.example.dk',
        SCALEPOINT_API_URL: 'http://scalepoint.example.dk',
      }),
    ).toThrow(
      /\n {2}AUTH_SECRET: .*\n {2}APP_URL: .*\n {2}SCALEPOINT_ACCOUNTS_URL: .*\n {2}SCALEPOINT_API_URL: /,
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
