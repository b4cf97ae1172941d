/**
 * What the operator commands (`npm run support:invite`, `npm run support:reset-two-factor`) say
 * when something fails: what went wrong as an operator can act on it, never a stack trace or a
 * query's parameters.
 */
import { EmbeddedDatabaseInUseError } from '@/db/client';
import { errorCode, isDatabaseUnavailable, pgErrorCode } from '@/lib/db-errors';

export function explainCommandError(e: unknown, failed: string): string {
  if (e instanceof EmbeddedDatabaseInUseError)
    return `Den indlejrede database bruges af en kørende server (pid ${e.pid}). Stop \`npm run dev\` først, eller kør mod DATABASE_URL.`;
  const message = e instanceof Error ? e.message : String(e);
  // Not migrated: kladde_app (the app's role) or the tables are missing.
  if (pgErrorCode(e) === '42P01' || /role "kladde_app" does not exist/.test(message))
    return 'Databasen er ikke migreret. Kør `npm run db:migrate` først (samme DATABASE_URL).';
  if (isDatabaseUnavailable(e))
    return `Databasen svarer ikke (${errorCode(e)}). Tjek DATABASE_URL.`;
  // drizzle's "Failed query: …\nparams: …" carries the values; the driver's cause says what failed.
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : undefined;
  return `${failed}: ${message.startsWith('Failed query') ? (cause ?? 'databasefejl') : message}`;
}

/** The command's arguments: what npm passes after `--` (a `--` given to tsx directly is dropped). */
export function commandArgs(): string[] {
  return process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--'));
}

/** Prints the outcome's lines (stdout when it went well, stderr when not) and exits 0 or 1. */
export function finish(outcome: { ok: boolean; lines: string[] }): never {
  for (const line of outcome.lines) (outcome.ok ? console.log : console.error)(line);
  process.exit(outcome.ok ? 0 : 1);
}
