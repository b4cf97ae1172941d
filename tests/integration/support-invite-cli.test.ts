/**
 * The real `npm run support:invite -- <e-mail> "<name>"` (scripts/support-invite.ts in a child
 * process): the first user of a production database (docs/people.md, docs/deployment.md). Against a
 * throwaway PostgreSQL database with NODE_ENV=production, and against the embedded database —
 * which it must refuse while a running server holds it.
 */
import fs from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript, type ScriptRun } from '../support/run-script';
import { pgliteLockFile, unixSocket } from '@/db/client';
import { auditLog, invitations, users } from '@/db/schema';
import {
  ADMIN_URL,
  createThrowawayDatabase,
  dropDatabase,
  postgresReachable,
  throwawayUrl,
  type ThrowawayDatabase,
} from '@/db/throwaway';
import { startResendStandIn, type ReceivedMail } from '@/tools/stand-ins/resend';
import { hashLinkToken } from '@/lib/people/tokens';

const reachable = await postgresReachable();
const APP_URL = 'https://kladde.example.dk';
const LINK = new RegExp(
  `^  (${APP_URL.replace(/\./g, '\\.')}/invitation/([A-Za-z0-9_-]{43}))$`,
  'm',
);
const IN_USE_BY_A_SERVER = (pid: number) =>
  `Den indlejrede database bruges af en kørende server (pid ${pid}). Stop \`npm run dev\` først, eller kør mod DATABASE_URL.`;

/** The CLI with only the settings given: nothing from this shell (a DATABASE_URL, a Resend key) leaks in. */
function runCli(args: string[], settings: Record<string, string | undefined>): Promise<ScriptRun> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of [
    'DATABASE_URL',
    'MIGRATION_DATABASE_URL',
    'DATABASE_POOLER',
    'KLADDE_DATA_DIR',
    'APP_URL',
    'RESEND_API_KEY',
    'RESEND_BASE_URL',
    'AUTH_SECRET',
    'CREDENTIALS_KEY',
  ])
    delete env[k];
  for (const [k, v] of Object.entries(settings)) if (v !== undefined) env[k] = v;
  return runScript('scripts/support-invite.ts', args, env);
}

describe.skipIf(!reachable)('npm run support:invite against DATABASE_URL, in production', () => {
  let t: ThrowawayDatabase;
  let emptyDataDir: string;
  let resend: http.Server;
  const production = () => ({
    NODE_ENV: 'production',
    DATABASE_URL: t.url,
    AUTH_SECRET: randomBytes(24).toString('base64url'),
    CREDENTIALS_KEY: randomBytes(32).toString('base64'),
    APP_URL,
    // Never the embedded database in production, even with somewhere to put it.
    KLADDE_DATA_DIR: emptyDataDir,
  });
  const supportRows = () => t.db.select().from(users).where(eq(users.role, 'support'));

  beforeAll(async () => {
    t = await createThrowawayDatabase({ max: 2 });
    emptyDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kladde-support-invite-'));
    resend = await startResendStandIn(0);
  });
  afterAll(async () => {
    await t?.drop();
    if (emptyDataDir) fs.rmSync(emptyDataDir, { recursive: true, force: true });
    await new Promise((r) => resend?.close(r));
  });

  it('creates a support user (Inviteret) and prints its link and when it expires; without Resend it says the mail was not sent', async () => {
    const email = `forste-${randomBytes(3).toString('hex')}@kladde.example.dk`;
    const run = await runCli([email, 'Første Support'], production());
    expect(run.code, run.stderr).toBe(0);
    const [, link, token] = run.stdout.match(LINK) ?? [];
    expect(link, run.stdout).toBe(`${APP_URL}/invitation/${token}`);
    expect(run.stdout).toMatch(/udløber \d{2}\.\d{2}\.\d{4}, \d{2}\.\d{2}/);
    expect(run.stdout).toContain('Invitationen er ikke sendt (RESEND_API_KEY er ikke sat)');

    const [user] = (await supportRows()).filter((u) => u.email === email);
    expect(user).toMatchObject({
      name: 'Første Support',
      role: 'support',
      status: 'invited',
      companyId: null,
      passwordHash: null,
    });
    const [invitation] = await t.db
      .select()
      .from(invitations)
      .where(eq(invitations.userId, user!.id));
    expect(invitation!.tokenHash).toBe(hashLinkToken(token!));
    expect(invitation!.mailStatus).toBe('not_sent');
    // About 7 days from now.
    expect(
      Math.abs(invitation!.expiresAt.getTime() - (Date.now() + 7 * 24 * 3600_000)),
    ).toBeLessThan(120_000);
    const [audit] = await t.db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.action, 'user.invited'), sql`${auditLog.details}->>'userId' = ${user!.id}`),
      );
    expect(audit).toMatchObject({ actorRole: 'command', actorUserId: null, companyId: null });
    expect(fs.readdirSync(emptyDataDir)).toEqual([]);
  }, 60_000);

  it('mails the link through Resend when RESEND_API_KEY is set, and says so', async () => {
    const email = `mailet-${randomBytes(3).toString('hex')}@kladde.example.dk`;
    const resendUrl = `http://127.0.0.1:${(resend.address() as AddressInfo).port}`;
    const run = await runCli([email, 'Mailet Support'], {
      ...production(),
      RESEND_API_KEY: 're_test_stand_in',
      RESEND_BASE_URL: resendUrl,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Invitationen er sendt til ${email}`);
    const link = run.stdout.match(LINK)?.[1];
    const mails = (
      (await (await fetch(`${resendUrl}/_test/emails`)).json()) as ReceivedMail[]
    ).filter((m) => [m.body.to].flat().includes(email));
    expect(mails).toHaveLength(1);
    expect(String(mails[0]!.body.subject)).toContain('Invitation til Kladde');
    expect(String(mails[0]!.body.subject)).toContain('Kladde support');
    expect(String(mails[0]!.body.text)).toContain(link);
  }, 60_000);

  it('refuses an e-mail already in use (whatever its case), and creates nothing', async () => {
    const email = `dobbelt-${randomBytes(3).toString('hex')}@kladde.example.dk`;
    expect((await runCli([email, 'Første'], production())).code).toBe(0);
    const before = (await supportRows()).length;
    const again = await runCli([`  ${email.toUpperCase()} `, 'Anden'], production());
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('E-mailen er allerede i brug');
    expect(again.stdout).not.toMatch(/invitation\//);
    expect((await supportRows()).length).toBe(before);
  }, 60_000);

  // Side by side: each is a process of its own that writes nothing.
  it.concurrent.each([
    ['no arguments', [], 'Angiv e-mail og navn.'],
    ['only an e-mail', ['a@kladde.example.dk'], 'Angiv e-mail og navn.'],
    ['three arguments', ['a@kladde.example.dk', 'Anne', 'Jensen'], 'Angiv e-mail og navn.'],
    ['an empty name', ['a@kladde.example.dk', '  '], 'Angiv e-mail og navn.'],
    ['an address that is not an e-mail', ['ikke-en-mail', 'Anne'], 'Skriv en gyldig e-mailadresse'],
  ])(
    'refuses %s, saying how to call it',
    async (_what, args, reason) => {
      const run = await runCli(args, production());
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(reason);
      expect(run.stderr).toContain('Brug: npm run support:invite -- <e-mail> "<navn>"');
      expect(run.stdout).toBe('');
    },
    60_000,
  );

  it('refuses production without APP_URL (the link would point nowhere), naming the setting', async () => {
    const before = (await supportRows()).length;
    const run = await runCli(['uden-app-url@kladde.example.dk', 'Anne'], {
      ...production(),
      APP_URL: '',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('APP_URL');
    expect((await supportRows()).length).toBe(before);
  }, 60_000);

  it('says to migrate first on a database that has not been migrated', async () => {
    const name = `kladde_t_unmigrated_${randomBytes(4).toString('hex')}`;
    const admin = unixSocket(ADMIN_URL);
    const sqlAdmin = postgres(admin.url, { ...admin.options, max: 1, onnotice: () => {} });
    await sqlAdmin.unsafe(`create database ${name}`);
    await sqlAdmin.end();
    try {
      const run = await runCli(['ny@kladde.example.dk', 'Anne'], {
        ...production(),
        DATABASE_URL: throwawayUrl(name),
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('npm run db:migrate');
    } finally {
      await dropDatabase(name);
    }
  }, 60_000);
});

describe('npm run support:invite against the embedded database', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kladde-support-invite-pglite-'));
  });
  afterAll(() => {
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses while a running server holds it (its lock file names a live pid), and leaves the lock alone', async () => {
    const lock = pgliteLockFile(path.join(dataDir, 'pglite'));
    // This test's own process stands in for `npm run dev`: alive, and not the CLI.
    fs.writeFileSync(lock, String(process.pid));
    try {
      const run = await runCli(['support@kladde.example.dk', 'Første Support'], {
        NODE_ENV: 'development',
        KLADDE_DATA_DIR: dataDir,
      });
      expect(run.code).toBe(1);
      expect(run.stderr.trim()).toBe(IN_USE_BY_A_SERVER(process.pid));
      expect(run.stdout).toBe('');
      expect(fs.readFileSync(lock, 'utf8')).toBe(String(process.pid));
    } finally {
      fs.rmSync(lock, { force: true });
    }
  }, 60_000);

  it('works on it once no live process holds it (migrating it first), and lets go of it', async () => {
    const lock = pgliteLockFile(path.join(dataDir, 'pglite'));
    // A lock left by a process that has ended.
    fs.writeFileSync(lock, '2147483646');
    const run = await runCli(['support@kladde.example.dk', 'Første Support'], {
      NODE_ENV: 'development',
      KLADDE_DATA_DIR: dataDir,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^ {2}http:\/\/localhost:3000\/invitation\/[A-Za-z0-9_-]{43}$/m);
    expect(fs.existsSync(lock)).toBe(false);
  }, 90_000);
});
