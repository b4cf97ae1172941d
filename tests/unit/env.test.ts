import { describe, expect, it } from 'vitest';
import { loadEnv } from '@/lib/env';

const key = Buffer.alloc(32, 7).toString('base64');

describe('loadEnv', () => {
  it('refuses production without AUTH_SECRET and CREDENTIALS_KEY', () => {
    expect(() => loadEnv({ NODE_ENV: 'production' })).toThrow(/AUTH_SECRET and CREDENTIALS_KEY/);
    expect(() => loadEnv({ NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(32) })).toThrow(/CREDENTIALS_KEY/);
    expect(() => loadEnv({ NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(32), CREDENTIALS_KEY: key })).not.toThrow();
  });

  it('rejects a credentials key that is not 32 bytes', () => {
    expect(() => loadEnv({ NODE_ENV: 'development', CREDENTIALS_KEY: Buffer.alloc(16).toString('base64') })).toThrow(/CREDENTIALS_KEY/);
  });

  it('gives development stand-ins and defaults', () => {
    const e = loadEnv({ NODE_ENV: 'development', APP_URL: 'https://kladde.example/' });
    expect(e.credentialsKey.length).toBe(32);
    expect(e.appUrl).toBe('https://kladde.example');
    expect(e.resendApiKey).toBeUndefined();
  });

  it('reads the Events API host overrides, without a trailing slash, and refuses non-URLs', () => {
    const e = loadEnv({ NODE_ENV: 'development', SCALEPOINT_ACCOUNTS_URL: 'http://127.0.0.1:4010/', SCALEPOINT_API_URL: 'http://127.0.0.1:4010' });
    expect(e.scalepointAccountsUrl).toBe('http://127.0.0.1:4010');
    expect(e.scalepointApiUrl).toBe('http://127.0.0.1:4010');
    expect(loadEnv({ NODE_ENV: 'development' }).scalepointApiUrl).toBeUndefined();
    expect(() => loadEnv({ NODE_ENV: 'development', SCALEPOINT_API_URL: 'sandbox' })).toThrow(/SCALEPOINT_API_URL/);
  });
});
