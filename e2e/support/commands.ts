import { randomBytes } from 'node:crypto';
import { runProcess, type ScriptRun } from '@/tests/support/run-script';
import { E2E } from './settings';

export type Run = ScriptRun;

/**
 * One of the project's npm commands, run as an operator runs it against a production database:
 * NODE_ENV=production, the given DATABASE_URL, and nothing of the caller's database settings.
 */
export async function runCommand(
  script: string,
  args: string[],
  settings: { databaseUrl: string; appUrl: string },
): Promise<Run> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: settings.databaseUrl,
    APP_URL: settings.appUrl,
    AUTH_SECRET: `e2e-command-${randomBytes(16).toString('hex')}`,
    CREDENTIALS_KEY: randomBytes(32).toString('base64'),
    RESEND_API_KEY: 're_e2e_stand_in',
    RESEND_BASE_URL: E2E.resendBaseUrl,
    MAIL_FROM: 'Kladde <noreply@kladde.test>',
  };
  for (const k of ['MIGRATION_DATABASE_URL', 'DATABASE_POOLER', 'KLADDE_DATA_DIR'] as const)
    delete env[k];
  return runProcess('npm', ['run', script, '--', ...args], env);
}
