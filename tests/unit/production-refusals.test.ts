import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openConfigured } from '@/db/client';
import { writeDevEnvFile } from '@/scripts/dev-env';

const saved = {
  NODE_ENV: process.env.NODE_ENV,
  DATABASE_URL: process.env.DATABASE_URL,
  KLADDE_DATA_DIR: process.env.KLADDE_DATA_DIR,
};
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
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
