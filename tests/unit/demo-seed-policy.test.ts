import { describe, expect, it } from 'vitest';
import { isLoopbackUrl, seedPolicy } from '@/lib/demo-seed-policy';

const pg = 'postgres://kladde@db.example.dk:5432/kladde';
const policy = (input: Partial<Parameters<typeof seedPolicy>[0]>) =>
  seedPolicy({
    nodeEnv: 'development',
    databaseUrl: undefined,
    appUrl: undefined,
    argv: [],
    ...input,
  });

describe('seedPolicy', () => {
  it('refuses in production, whatever the database and flags', () => {
    for (const databaseUrl of [undefined, pg]) {
      for (const argv of [[], ['--demo']]) {
        const p = policy({
          nodeEnv: 'production',
          databaseUrl,
          argv,
          appUrl: 'http://localhost:3000',
        });
        expect(p).toEqual({ refuse: expect.stringMatching(/NODE_ENV=production/) });
      }
    }
  });

  it('refuses a DATABASE_URL database without --demo, saying how', () => {
    for (const appUrl of [undefined, 'http://localhost:3000', 'https://kladde.example.dk']) {
      const p = policy({ databaseUrl: pg, appUrl });
      expect(p).toEqual({ refuse: expect.stringContaining('npm run db:seed -- --demo') });
      expect('refuse' in p && p.refuse).toMatch(/DATABASE_URL/);
    }
  });

  it('uses the fixed demo passwords with --demo while APP_URL is unset or this machine', () => {
    for (const appUrl of [
      undefined,
      '',
      'http://localhost:3000',
      'http://127.0.0.1:3000',
      'http://127.0.0.5',
      'http://[::1]:3000',
      'https://LOCALHOST/',
    ]) {
      expect(policy({ databaseUrl: pg, argv: ['--demo'], appUrl })).toEqual({ passwords: 'fixed' });
    }
  });

  it('uses random passwords with --demo when APP_URL is anywhere else', () => {
    for (const appUrl of [
      'https://kladde.example.dk',
      'http://10.0.0.5:3000',
      'http://localhost.example.dk',
      'http://localhost@kladde.example.dk',
      'not a url',
    ]) {
      expect(policy({ databaseUrl: pg, argv: ['--demo'], appUrl })).toEqual({
        passwords: 'random',
      });
    }
  });

  it('seeds the embedded database with the fixed passwords, flag or not', () => {
    expect(policy({})).toEqual({ passwords: 'fixed' });
    expect(policy({ argv: ['--demo'] })).toEqual({ passwords: 'fixed' });
    expect(policy({ nodeEnv: 'test' })).toEqual({ passwords: 'fixed' });
    expect(policy({ databaseUrl: '  ' })).toEqual({ passwords: 'fixed' }); // blank is unset, as in lib/env.ts
  });

  it('refuses an argument it does not know (a mistyped --demo)', () => {
    expect(policy({ databaseUrl: pg, argv: ['--dmeo'] })).toEqual({
      refuse: expect.stringMatching(/Unknown argument "--dmeo"/),
    });
    expect(policy({ argv: ['--demo', 'x'] })).toEqual({
      refuse: expect.stringMatching(/Unknown argument/),
    });
    expect(policy({ databaseUrl: pg, argv: ['--', '--demo'] })).toEqual({ passwords: 'fixed' });
  });
});

describe('isLoopbackUrl', () => {
  it('knows localhost, 127.0.0.0/8 and [::1], however they are spelled', () => {
    for (const url of [
      'http://localhost',
      'http://localhost:3000/x',
      'http://127.0.0.1',
      'http://127.255.255.254:8080',
      'http://127.1',
      'http://2130706433',
      'http://[::1]:3000',
      'http://[0:0:0:0:0:0:0:1]',
    ]) {
      expect(isLoopbackUrl(url), url).toBe(true);
    }
  });

  it('is false for every other host and for what does not parse', () => {
    for (const url of [
      'https://kladde.example.dk',
      'http://128.0.0.1',
      'http://127.0.0.1.nip.io',
      'http://0.0.0.0',
      'http://[::2]',
      'http://my-localhost',
      'localhost',
      '',
    ]) {
      expect(isLoopbackUrl(url), url).toBe(false);
    }
  });
});
