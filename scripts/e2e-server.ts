/**
 * The server the Playwright suite runs against: a fresh PostgreSQL database, migrated and
 * seeded; a local Resend stand-in; and the production build (`next start`) on E2E_PORT, with a
 * local Scalepoint (Events API) on E2E_PORT + 50. Beside it a second `next start` on E2E_PORT + 1
 * over its own migrated, unseeded database (E2E.freshBaseUrl: a production database's first
 * day, e2e/new-company.spec.ts), with the same stand-ins. Stopping this stops both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { seed } from '@/lib/demo-data';
import { ADMIN_URL, createThrowawayDatabase } from '@/db/throwaway';
import { startResendStandIn } from '@/tools/stand-ins/resend';
import type { Db } from '@/db/client';
import { E2E, e2eSupport, eventsCompany } from '@/e2e/support/settings';
import { codeForStep, stepAt } from '@/lib/auth/totp';
import { confirmSetup, setupKeyFor } from '@/lib/auth/two-factor';
import { acceptInvitation } from '@/lib/people/accept-invitation';
import { inviteSupportUserFromCommand } from '@/lib/people/support-users';
import { startScalepointStandIn } from '@/tools/stand-ins/scalepoint/server';

const serverEnv: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: 'production',
  NEXT_MANUAL_SIG_HANDLE: '1',
  PORT: String(E2E.port),
  // APP_URL alone: the app derives next-auth's URL from it (no NEXTAUTH_URL here on purpose).
  APP_URL: E2E.baseUrl,
  AUTH_SECRET: 'e2e-auth-secret-0123456789abcdef0123456789',
  CREDENTIALS_KEY: Buffer.alloc(32, 42).toString('base64'),
  RESEND_API_KEY: 're_e2e_stand_in',
  RESEND_BASE_URL: E2E.resendBaseUrl,
  MAIL_FROM: 'Kladde <noreply@kladde.test>',
  SCALEPOINT_EMAIL: E2E.scalepointEmail,
  SCALEPOINT_ACCOUNTS_URL: E2E.standInUrl,
  SCALEPOINT_API_URL: E2E.standInUrl,
};

/**
 * The e2e-only support user (e2e/support/settings.ts), made the way a person is: invited by the
 * command's domain function, the invitation accepted, two-step verification set up with its
 * fixed key and confirmed with a code. The code is for a step two minutes back, so the specs'
 * first sign-in may use the code of the moment (a code is accepted once).
 */
async function enrolE2eSupport(db: Db): Promise<void> {
  const now = new Date();
  const invited = await inviteSupportUserFromCommand(db, e2eSupport, async () => ({
    status: 'not_sent',
    reason: 'e2e',
  }));
  if (!invited.ok) throw new Error(`[e2e] support user: ${invited.message}`);
  const token = invited.link.split('/').pop()!;
  const { password } = e2eSupport;
  const accepted = await acceptInvitation(db, {
    token,
    name: e2eSupport.name,
    password,
    repeat: password,
  });
  if (!accepted.ok) throw new Error(`[e2e] support user: ${accepted.message}`);
  const who = {
    userId: invited.userId,
    email: e2eSupport.email,
    name: e2eSupport.name,
    role: 'support' as const,
    companyId: null,
    companyName: null,
  };
  await setupKeyFor(db, who, { start: true, key: e2eSupport.totpKey });
  const earlier = new Date(now.getTime() - 120_000);
  const code = codeForStep(e2eSupport.totpKey, stepAt(earlier));
  const confirmed = await confirmSetup(db, who, { code }, earlier);
  if (!confirmed.ok) throw new Error(`[e2e] support user: ${confirmed.message}`);
}

// The domain functions above encrypt under this process's CREDENTIALS_KEY: the server's own.
process.env.CREDENTIALS_KEY = serverEnv.CREDENTIALS_KEY;

async function prepareDatabase(name: string, seeded: boolean): Promise<string> {
  try {
    const database = await createThrowawayDatabase({
      name,
      seed: seeded
        ? async (db) => {
            await seed(db, [eventsCompany]);
            await enrolE2eSupport(db);
          }
        : undefined,
    });
    await database.close();
    console.log(`[e2e] PostgreSQL database ${name}${seeded ? '' : ' (empty)'}`);
    return database.url;
  } catch (e) {
    // The server runs with NODE_ENV=production, which refuses the embedded database.
    throw new Error(
      `[e2e] needs PostgreSQL at ${ADMIN_URL} (production never runs on the embedded database): ${e instanceof Error ? e.message : e}`,
    );
  }
}

function startNext(port: number, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(
    process.execPath,
    [path.join('node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', String(port)],
    { env, stdio: 'inherit' },
  );
}

/** Waits until the server answers its login page (Playwright itself waits only for the first). */
async function answering(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null)
      throw new Error(`[e2e] the server for ${url} exited (${child.exitCode})`);
    try {
      if ((await fetch(`${url}/login`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`[e2e] ${url} did not answer within ${timeoutMs / 1000} s`);
}

const [mainUrl, freshUrl] = [
  await prepareDatabase(E2E.database, true),
  await prepareDatabase(E2E.freshDatabase, false),
];
const resend = await startResendStandIn(E2E.resendPort);
// Specs register certificates and publish events through its /_stand-in/ endpoints.
const scalepoint = await startScalepointStandIn({ port: E2E.standInPort, holdMs: 5_000 });

// The fresh instance first, and answering, before the one Playwright waits for.
const fresh = startNext(E2E.freshPort, {
  ...serverEnv,
  PORT: String(E2E.freshPort),
  APP_URL: E2E.freshBaseUrl,
  DATABASE_URL: freshUrl,
});
const servers: ChildProcess[] = [fresh];
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  for (const s of servers) if (s.exitCode === null) s.kill('SIGTERM');
  resend.close();
  void scalepoint.close();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Either server ending ends the other and this process (with the first one's exit code).
let exitCode: number | undefined;
const onExit = (code: number | null) => {
  exitCode ??= code ?? 0;
  stop();
  if (servers.every((s) => s.exitCode !== null || s.signalCode !== null)) process.exit(exitCode);
};
fresh.on('exit', onExit);
try {
  await answering(E2E.freshBaseUrl, fresh);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  stop();
  process.exit(1);
}

const main = startNext(E2E.port, { ...serverEnv, DATABASE_URL: mainUrl });
servers.push(main);
main.on('exit', onExit);
