/**
 * The real `npm run db:seed` (scripts/seed.ts in a child process) against a throwaway PostgreSQL
 * database, migrated but not seeded: it must not plant the public demo passwords in a database
 * that may be production (lib/demo-seed-policy.ts, docs/security.md).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript, type ScriptRun } from '../support/run-script';
import { companies, users } from '@/db/schema';
import { createThrowawayDatabase, postgresReachable, type ThrowawayDatabase } from '@/db/throwaway';
import { verifyPassword } from '@/lib/auth/password';
import { demoSignIns } from '@/lib/demo-data';

const reachable = await postgresReachable();

describe.skipIf(!reachable)('npm run db:seed against a DATABASE_URL database', () => {
  let t: ThrowawayDatabase;
  let dataDir: string;

  beforeAll(async () => {
    t = await createThrowawayDatabase({ max: 2 });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kladde-seed-cli-'));
  });
  afterAll(async () => {
    await t?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** The CLI with only the settings given (plus the throwaway database): nothing from this shell leaks in. */
  function runSeed(settings: Record<string, string>, args: string[] = []): Promise<ScriptRun> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: t.url,
      KLADDE_DATA_DIR: dataDir,
      ...settings,
    };
    // db/client.ts opens the owner's connection from MIGRATION_DATABASE_URL when it is set.
    for (const k of ['MIGRATION_DATABASE_URL', 'DATABASE_POOLER', 'APP_URL'] as const)
      if (!(k in settings)) delete env[k];
    return runScript('scripts/seed.ts', args, env);
  }

  const count = async () => ({
    users: (await t.db.select({ n: sql<number>`count(*)::int` }).from(users))[0]!.n,
    companies: (await t.db.select({ n: sql<number>`count(*)::int` }).from(companies))[0]!.n,
  });

  it('refuses with NODE_ENV=production and writes nothing', async () => {
    const run = await runSeed({ NODE_ENV: 'production' }, ['--demo']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/Refusing to seed demo data with NODE_ENV=production/);
    expect(await count()).toEqual({ users: 0, companies: 0 });
  }, 60_000);

  it('refuses a DATABASE_URL database without --demo, saying how, and writes nothing', async () => {
    const run = await runSeed({ APP_URL: 'https://kladde.example.dk' });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('npm run db:seed -- --demo');
    expect(await count()).toEqual({ users: 0, companies: 0 });
    expect(fs.readdirSync(dataDir)).toEqual([]); // nor fell back to the embedded database
  }, 60_000);

  it('with --demo and a public APP_URL gives every user it creates a random password, printed once', async () => {
    const run = await runSeed({ APP_URL: 'https://kladde.example.dk' }, ['--demo']);
    expect(run.code, run.stderr).toBe(0);
    const printed = new Map<string, string>();
    for (const m of run.stdout.matchAll(/^\s+(\S+@\S+)\s+(\S+)\s+created now with this password/gm))
      printed.set(m[1]!, m[2]!);
    expect([...printed.keys()].sort()).toEqual(demoSignIns.map((s) => s.email).sort());
    const passwords = [...printed.values()];
    for (const p of passwords) {
      expect(p).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(['demo1234', 'support1234']).not.toContain(p);
    }
    expect(new Set(passwords).size).toBe(passwords.length);

    const hashOf = async (email: string) =>
      (await t.db.select({ h: users.passwordHash }).from(users).where(eq(users.email, email)))[0]
        ?.h;
    const supportHash = await hashOf('support@kladde.dk');
    expect(await verifyPassword(printed.get('support@kladde.dk')!, supportHash)).toBe(true);
    expect(await verifyPassword('support1234', supportHash)).toBe(false);
    expect(await verifyPassword('demo1234', await hashOf('admin@demo-vvs.dk'))).toBe(false);

    // Again: idempotent, says every user already existed, and prints no password.
    const again = await runSeed({ APP_URL: 'https://kladde.example.dk' }, ['--demo']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toMatch(/created now with this password/);
    expect(again.stdout.match(/already existed/g)).toHaveLength(demoSignIns.length);
    for (const p of passwords) expect(again.stdout).not.toContain(p);
    expect(await hashOf('support@kladde.dk')).toBe(supportHash);
  }, 90_000);
});
