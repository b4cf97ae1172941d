/**
 * `npm run support:reset-two-factor -- <e-mail>`: a support user who lost the authenticator app
 * sets two-step verification up again at the next sign-in (docs/security.md, "Two-step
 * verification"). The key and recovery codes are removed, every session of the user ends, and the
 * change is audited as the command. Works with NODE_ENV=production against DATABASE_URL, like
 * `npm run support:invite`. Support users only: a company's people ask their admin (Nulstil
 * to-trinsbekræftelse on the user's page). Exits 1, saying why, on bad arguments or any error.
 */
import { migrate, openConfigured, type Database } from '@/db/client';
import { commandArgs, explainCommandError, finish } from './command-errors';

const USAGE = 'Brug: npm run support:reset-two-factor -- <e-mail>';

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
    return {
      ok: false,
      lines: [explainCommandError(e, 'To-trinsbekræftelse blev ikke nulstillet')],
    };
  } finally {
    await database?.close().catch(() => {});
  }
}

finish(await run(commandArgs()));
