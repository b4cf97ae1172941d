import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openConfigured } from '@/db/client';
import { POSTGRES_PATCH } from '@/lib/platform/postgres-patch';
import { writeDevEnvFile } from '@/scripts/dev-env';

// The start (instrumentation-node.ts) checks the patch against `patch.root` when a test sets it:
// a scratch copy of an unpatched install, so node_modules is never touched.
const patch = vi.hoisted(() => ({ root: undefined as string | undefined }));
vi.mock('@/lib/platform/postgres-patch', async (original) => {
  const real = await original<typeof import('@/lib/platform/postgres-patch')>();
  return {
    ...real,
    assertPostgresPatched: (root?: string) => real.assertPostgresPatched(patch.root ?? root),
  };
});
// The start's other work (the X-Forwarded-For wrapper) is not this file's.
vi.mock('@/lib/platform/http-server-emit', () => ({ appendSocketPeerOnEveryServer: () => {} }));

const settings = [
  'NODE_ENV',
  'DATABASE_URL',
  'KLADDE_DATA_DIR',
  'AUTH_SECRET',
  'CREDENTIALS_KEY',
  'APP_URL',
  'SCALEPOINT_ACCOUNTS_URL',
  'SCALEPOINT_API_URL',
  'NEXT_PHASE',
  'KLADDE_LOG',
];
const saved = Object.fromEntries(settings.map((k) => [k, process.env[k]]));
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  if (patch.root) fs.rmSync(patch.root, { recursive: true, force: true });
  patch.root = undefined;
  vi.restoreAllMocks();
});

const productionSettings = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://kladde@db.internal/kladde',
  AUTH_SECRET: 'x'.repeat(32),
  CREDENTIALS_KEY: Buffer.alloc(32, 7).toString('base64'),
  APP_URL: 'https://kladde.example.dk',
};

/**
 * Loads instrumentation-node.ts as the server does at start (as in `next build`'s phase, so no
 * database and no background work): its exit code, or null when it starts; what it printed.
 */
async function start(env: Record<string, string | undefined>) {
  for (const k of settings) delete process.env[k];
  Object.assign(process.env, { NEXT_PHASE: 'phase-production-build' }, env);
  vi.resetModules(); // a fresh module, and a fresh lib/env.ts cache
  const errors: string[] = [];
  const warnings: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((m: unknown) => void errors.push(String(m)));
  vi.spyOn(console, 'warn').mockImplementation((m: unknown) => void warnings.push(String(m)));
  vi.spyOn(process, 'exit').mockImplementation((code) => {
    throw Object.assign(new Error('exit'), { exitCode: code });
  });
  try {
    await import('@/instrumentation-node');
    return { exitCode: null, errors, warnings };
  } catch (e) {
    const exitCode = (e as { exitCode?: unknown }).exitCode;
    if (exitCode === undefined) throw e;
    return { exitCode, errors, warnings };
  }
}

/** A scratch copy of node_modules/postgres as `npm ci --ignore-scripts` leaves it: unpatched. */
function unpatchedInstall(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kladde-unpatched-'));
  fs.mkdirSync(path.join(root, 'patches'));
  fs.copyFileSync(POSTGRES_PATCH, path.join(root, POSTGRES_PATCH));
  fs.mkdirSync(path.join(root, 'node_modules', 'postgres'), { recursive: true });
  fs.copyFileSync(
    'node_modules/postgres/package.json',
    path.join(root, 'node_modules', 'postgres', 'package.json'),
  );
  return root;
}

describe('the server start (instrumentation-node.ts)', () => {
  it('starts on safe settings, logging each Scalepoint host override in force', async () => {
    const run = await start({
      ...productionSettings,
      SCALEPOINT_ACCOUNTS_URL: 'http://127.0.0.1:4010',
      SCALEPOINT_API_URL: 'https://sp-proxy.example.dk',
    });
    expect(run).toMatchObject({ exitCode: null, errors: [] });
    expect(run.warnings.map((w) => JSON.parse(w) as unknown)).toEqual([
      expect.objectContaining({
        event: 'scalepoint.host_override',
        setting: 'SCALEPOINT_ACCOUNTS_URL',
        url: 'http://127.0.0.1:4010',
        connections: 'Sandbox connections',
      }),
      expect.objectContaining({
        event: 'scalepoint.host_override',
        setting: 'SCALEPOINT_API_URL',
        url: 'https://sp-proxy.example.dk',
        connections: 'Sandbox connections',
      }),
    ]);
    expect((await start({ ...productionSettings })).warnings).toEqual([]);
  });

  it.each([
    ['AUTH_SECRET', { AUTH_SECRET: 'k'.repeat(12) }],
    ['APP_URL', { APP_URL: 'http://kladde.example.dk' }],
    ['SCALEPOINT_ACCOUNTS_URL', { SCALEPOINT_ACCOUNTS_URL: 'http://scalepoint.example.dk' }],
    ['SCALEPOINT_API_URL', { SCALEPOINT_API_URL: 'http://scalepoint.example.dk' }],
  ])('refuses a production start with a weak %s, naming it', async (name, weak) => {
    const run = await start({ ...productionSettings, ...weak });
    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toMatch(
      new RegExp(`^Refusing to start in production [^\\n]*\\n  ${name}: `),
    );
    expect(run.warnings).toEqual([]);
  });

  it('refuses to start when the postgres.js patch is not applied, in every mode', async () => {
    for (const env of [productionSettings, { NODE_ENV: 'development' }, { NODE_ENV: 'test' }]) {
      patch.root = unpatchedInstall();
      const run = await start(env);
      expect(run.exitCode, env.NODE_ENV).toBe(1);
      const printed = run.errors.join('\n');
      expect(printed).toMatch(
        /^postgres\.js is not patched \(patches\/postgres\+3\.4\.9\.patch; run npm install\):\n/,
      );
      expect(printed).toContain('\nsrc/index.js: missing "c.queue === closed || onopen(c)"');
      fs.rmSync(patch.root, { recursive: true, force: true });
    }
    patch.root = undefined;
    expect((await start({ NODE_ENV: 'development' })).exitCode).toBeNull(); // this machine's: patched
  });
});

describe('production refuses unsafe settings', () => {
  it('never opens the embedded database in production', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kladde-prod-'));
    Object.assign(process.env, { NODE_ENV: 'production', KLADDE_DATA_DIR: dir });
    delete process.env.DATABASE_URL;
    await expect(openConfigured()).rejects.toThrow(/DATABASE_URL/);
    expect(fs.readdirSync(dir)).toEqual([]); // nothing created
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('npm run db:seed refuses with NODE_ENV=production, before touching a database', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kladde-seed-'));
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', KLADDE_DATA_DIR: dir };
    delete env.DATABASE_URL;
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/seed.ts'], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/Refusing to seed demo data with NODE_ENV=production/);
    expect(fs.readdirSync(dir)).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes .env.local for development readable by its owner only, and never over an existing one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kladde-envfile-'));
    const file = path.join(dir, '.env.local');
    const umask = process.umask(0o022);
    try {
      expect(writeDevEnvFile(file)).toBe(true);
    } finally {
      process.umask(umask);
    }
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^CREDENTIALS_KEY=.{44}$/m);
    fs.writeFileSync(file, 'KEEP=1\n');
    expect(writeDevEnvFile(file)).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toBe('KEEP=1\n');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
