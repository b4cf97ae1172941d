import { afterEach, describe, expect, it } from 'vitest';
import { buildAuthOptions } from '@/lib/auth/options';
import { loadEnv } from '@/lib/env';

const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://kladde@db.internal/kladde',
  AUTH_SECRET: 'x'.repeat(32),
  CREDENTIALS_KEY: Buffer.alloc(32, 7).toString('base64'),
} as const;

const saved = process.env.NEXTAUTH_URL;
afterEach(() => {
  if (saved === undefined) delete process.env.NEXTAUTH_URL;
  else process.env.NEXTAUTH_URL = saved;
});

describe('auth options from APP_URL', () => {
  it('https APP_URL → Secure cookies, and next-auth’s URL is APP_URL', () => {
    delete process.env.NEXTAUTH_URL;
    const options = buildAuthOptions(
      loadEnv({ ...production, APP_URL: 'https://kladde.example.dk/' }),
    );
    expect(options.useSecureCookies).toBe(true);
    expect(process.env.NEXTAUTH_URL).toBe('https://kladde.example.dk');
  });

  it('http APP_URL → no Secure cookies; an explicit NEXTAUTH_URL is kept', () => {
    process.env.NEXTAUTH_URL = 'http://intern:3000';
    const options = buildAuthOptions(loadEnv({ ...production, APP_URL: 'http://127.0.0.1:3500' }));
    expect(options.useSecureCookies).toBe(false);
    expect(process.env.NEXTAUTH_URL).toBe('http://intern:3000');
  });

  it('sends every sign-in error to /login', () => {
    const options = buildAuthOptions(
      loadEnv({ ...production, APP_URL: 'https://kladde.example.dk' }),
    );
    expect(options.pages).toMatchObject({ signIn: '/login', error: '/login' });
  });
});
