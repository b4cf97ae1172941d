import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadEnv, resetEnvCache } from '@/lib/env';
import {
  hostOverrides,
  hostsFor,
  logHostOverrides,
  receiveUrl,
  tokenUrl,
} from '@/lib/scalepoint/events/hosts';
import { sendUrl } from '@/lib/scalepoint/outbound/send-client';

// lib/scalepoint/events/hosts.ts: where the host overrides apply (docs/security.md,
// "Production refuses unsafe settings").

const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://kladde@db.internal/kladde',
  AUTH_SECRET: 'x'.repeat(32),
  CREDENTIALS_KEY: Buffer.alloc(32, 7).toString('base64'),
  APP_URL: 'https://kladde.example.dk',
  SCALEPOINT_ACCOUNTS_URL: 'http://127.0.0.1:4010',
  SCALEPOINT_API_URL: 'http://127.0.0.1:4010/proxy/',
} as const;

const scalepoint = {
  production: {
    accountsUrl: 'https://accounts.scalepoint.com',
    apiUrl: 'https://www.scalepoint.com',
  },
  sandbox: {
    accountsUrl: 'https://sandbox-accounts.scalepoint.com',
    apiUrl: 'https://sandbox.scalepoint.com',
  },
};
const standIn = { accountsUrl: 'http://127.0.0.1:4010', apiUrl: 'http://127.0.0.1:4010/proxy' };

const keys = [...Object.keys(production), 'KLADDE_LOG'];
const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
  vi.restoreAllMocks();
});

describe('the Scalepoint host overrides', () => {
  it('apply to every connection in development and tests', () => {
    for (const NODE_ENV of ['development', 'test'] as const) {
      const settings = loadEnv({ ...production, NODE_ENV });
      expect(hostsFor('sandbox', settings)).toEqual(standIn);
      expect(hostsFor('production', settings)).toEqual(standIn);
    }
  });

  it('apply to Sandbox connections only in production: a Produktion connection goes to Scalepoint', () => {
    const settings = loadEnv({ ...production });
    expect(hostsFor('sandbox', settings)).toEqual(standIn);
    expect(hostsFor('production', settings)).toEqual(scalepoint.production);
    const https = loadEnv({
      ...production,
      SCALEPOINT_ACCOUNTS_URL: 'https://sp-proxy.example.dk',
      SCALEPOINT_API_URL: 'https://sp-proxy.example.dk',
    });
    expect(hostsFor('production', https)).toEqual(scalepoint.production);
    expect(hostsFor('sandbox', https)).toEqual({
      accountsUrl: 'https://sp-proxy.example.dk',
      apiUrl: 'https://sp-proxy.example.dk',
    });
    // One override alone replaces its own host only.
    const apiOnly = loadEnv({ ...production, SCALEPOINT_ACCOUNTS_URL: '' });
    expect(hostsFor('sandbox', apiOnly)).toEqual({
      accountsUrl: scalepoint.sandbox.accountsUrl,
      apiUrl: standIn.apiUrl,
    });
  });

  it('token, receive and send all follow the rule (the settings the server reads)', () => {
    Object.assign(process.env, production);
    resetEnvCache();
    expect(tokenUrl('production')).toBe('https://accounts.scalepoint.com/connect/token');
    expect(receiveUrl('production', 'tryg')).toBe(
      'https://www.scalepoint.com/api/events/v1/dk/external/tryg/receive',
    );
    expect(sendUrl('production', 'tryg')).toBe(
      'https://www.scalepoint.com/api/events/v1/dk/external/tryg/send',
    );
    expect(tokenUrl('sandbox')).toBe('http://127.0.0.1:4010/connect/token');
    expect(receiveUrl('sandbox', 'tryg', '_7')).toBe(
      'http://127.0.0.1:4010/proxy/api/events/v1/dk/external/tryg/receive?lastEventId=_7',
    );
    expect(sendUrl('sandbox', 'tryg')).toBe(
      'http://127.0.0.1:4010/proxy/api/events/v1/dk/external/tryg/send',
    );
  });

  it('the start-up log names each override in force and for which connections, never a password', () => {
    delete process.env.KLADDE_LOG;
    const lines: string[] = [];
    vi.spyOn(console, 'warn').mockImplementation((line: string) => void lines.push(line));
    logHostOverrides(
      loadEnv({
        ...production,
        SCALEPOINT_ACCOUNTS_URL: 'https://proxy-user:hemmelig@sp-proxy.example.dk/?key=hemmelig',
      }),
    );
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toEqual([
      expect.objectContaining({
        level: 'warn',
        event: 'scalepoint.host_override',
        setting: 'SCALEPOINT_ACCOUNTS_URL',
        url: 'https://sp-proxy.example.dk',
        connections: 'Sandbox connections',
      }),
      expect.objectContaining({
        setting: 'SCALEPOINT_API_URL',
        url: 'http://127.0.0.1:4010/proxy',
        connections: 'Sandbox connections',
      }),
    ]);
    expect(lines.join('\n')).not.toMatch(/hemmelig|proxy-user/);
    expect(hostOverrides(loadEnv({ ...production, NODE_ENV: 'development' }))).toEqual([
      {
        setting: 'SCALEPOINT_ACCOUNTS_URL',
        url: standIn.accountsUrl,
        connections: 'every connection',
      },
      { setting: 'SCALEPOINT_API_URL', url: standIn.apiUrl, connections: 'every connection' },
    ]);
    lines.length = 0;
    logHostOverrides(
      loadEnv({ ...production, SCALEPOINT_ACCOUNTS_URL: '', SCALEPOINT_API_URL: '' }),
    );
    expect(lines).toEqual([]);
  });
});
