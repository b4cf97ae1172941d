/**
 * `npm run support:reset-two-factor -- <e-mail>`: a support user who lost the authenticator app
 * sets two-step verification up again at the next sign-in (docs/security.md, "Two-step
 * verification"). The key and recovery codes are removed, every session of the user ends, and the
 * change is audited as the command. Works with NODE_ENV=production against DATABASE_URL, like
 * `npm run support:invite`. Support users only: a company's people ask their admin (Nulstil
 * to-trinsbekræftelse on the user's page). Exits 1, saying why, on bad arguments or any error.
 */
import { EmbeddedDatabaseInUseError, migrate, openConfigured, type Database } from '@/db/client';
import { errorCode, isDatabaseUnavailable, pgErrorCode } from '@/lib/db-errors';

const USAGE = 'Brug: npm run support:reset-two-factor -- <e-mail>';

function explain(e: unknown): string {
  if (e instanceof EmbeddedDatabaseInUseError)
    return `Den indlejrede database bruges af en kørende server (pid ${e.pid}). Stop \`npm run dev\` først, eller kør mod DATABASE_URL.`;
  const message = e instanceof Error ? e.message : String(e);
  if (pgErrorCode(e) === '42P01' || /role "kladde_app" does not exist/.test(message))
    return 'Databasen er ikke migreret. Kør `npm run db:migrate` først (samme DATABASE_URL).';
  if (isDatabaseUnavailable(e))
    return `Databasen svarer ikke (${errorCode(e)}). Tjek DATABASE_URL.`;
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : undefined;
  return `To-trinsbekræftelse blev ikke nulstillet: ${message.startsWith('Failed query') ? (cause ?? 'databasefejl') : message}`;
}

async function run(args: string[]): Promise<{ ok: boolean; lines: string[] }> {
  if (args.length !== 1 || !args[0]!.trim()) return { ok: false, lines: ['Angiv e-mail.', USAGE] };
  let database: Database | undefined;
  try {
    const { resetSupportTwoFactorFromCommand } = await import('@/lib/auth/two-factor');
    database = await openConfigured({ as: 'app' });
    if (database.driver === 'pglite') await migrate(database);
    const result = await resetSupportTwoFactorFromCommand(database.db, args[0]!);
    if (!result.ok) return { ok: false, lines: [result.message, USAGE] };
    return {
      ok: true,
      lines: [
        result.wasOn
          ? `To-trinsbekræftelse er nulstillet for ${result.name}, som er logget ud overalt.`
          : `${result.name} havde ikke to-trinsbekræftelse slået til; eventuelle sessioner er afsluttet.`,
        'Ved næste login sætter brugeren to-trinsbekræftelse op igen med en ny nøgle.',
      ],
    };
  } catch (e) {
    return { ok: false, lines: [explain(e)] };
  } finally {
    await database?.close().catch(() => {});
  }
}

const args = process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--'));
const outcome = await run(args);
for (const line of outcome.lines) (outcome.ok ? console.log : console.error)(line);
process.exit(outcome.ok ? 0 : 1);
