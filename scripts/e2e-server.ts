/**
 * The server the Playwright suite runs against: a fresh PostgreSQL database, migrated and
 * seeded; a local Resend stand-in; and the production build (`next start`) on E2E_PORT, with a
 * local Scalepoint (Events API) on E2E_PORT + 50.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { seed } from '@/lib/demo-data';
import { ADMIN_URL, createThrowawayDatabase } from '@/db/throwaway';
import { startResendStandIn } from '@/e2e/support/resend-stand-in';
import { E2E, eventsCompany } from '@/e2e/support/settings';
import { startScalepointSandbox } from '@/lib/scalepoint/sandbox/server';

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
  RESEND_BASE_URL: `http://127.0.0.1:${E2E.resendPort}`,
  MAIL_FROM: 'Kladde <noreply@kladde.test>',
  SCALEPOINT_EMAIL: E2E.scalepointEmail,
  SCALEPOINT_ACCOUNTS_URL: E2E.sandboxUrl,
  SCALEPOINT_API_URL: E2E.sandboxUrl,
};

async function prepareDatabase() {
  try {
    const database = await createThrowawayDatabase({ name: E2E.database, seed: (db) => seed(db, [eventsCompany]) });
    serverEnv.DATABASE_URL = database.url;
    await database.close();
    console.log(`[e2e] PostgreSQL database ${E2E.database}`);
  } catch (e) {
    // The server runs with NODE_ENV=production, which refuses the embedded database.
    throw new Error(`[e2e] needs PostgreSQL at ${ADMIN_URL} (production never runs on the embedded database): ${e instanceof Error ? e.message : e}`);
  }
}

await prepareDatabase();
const standIn = await startResendStandIn(E2E.resendPort);
// Specs register certificates and publish events through its /_sandbox/ endpoints.
const sandbox = await startScalepointSandbox({ port: E2E.sandboxPort, holdMs: 5_000 });
const next = spawn(process.execPath, [path.join('node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', String(E2E.port)], {
  env: serverEnv,
  stdio: 'inherit',
});
const stop = () => {
  next.kill('SIGTERM');
  standIn.close();
  void sandbox.close();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
next.on('exit', (code) => {
  standIn.close();
  void sandbox.close();
  process.exit(code ?? 0);
});
