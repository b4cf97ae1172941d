/**
 * `npm run support:invite -- <e-mail> "<name>"`: a support user (status Inviteret) and its
 * invitation link, for a database that has no one yet to invite them (docs/people.md, docs/deployment.md,
 * "First production start"). Works with NODE_ENV=production against DATABASE_URL (which it does
 * not migrate: `npm run db:migrate` does that); the embedded database is migrated first, like
 * `npm run db:seed`. The mail goes through Resend when RESEND_API_KEY is set; either way the link
 * is printed once, here. Exits 1, saying why, on bad arguments, an e-mail in use or any error.
 */
import { migrate, openConfigured, type Database } from '@/db/client';
import { commandArgs, explainCommandError, finish } from './command-errors';
import { normaliseEmail } from '@/lib/people/email-address';

const USAGE = 'Brug: npm run support:invite -- <e-mail> "<navn>"';

async function run(args: string[]): Promise<{ ok: boolean; lines: string[] }> {
  if (args.length !== 2 || !args[0]!.trim() || !args[1]!.trim())
    return { ok: false, lines: ['Angiv e-mail og navn.', USAGE] };
  const [email, name] = args as [string, string];
  let database: Database | undefined;
  try {
    // The domain and Resend's SDK are loaded once the arguments are known good: a wrong call answers at once.
    const [{ createResendMailer }, { formatDateTime }, { inviteSupportUserFromCommand }] =
      await Promise.all([
        import('@/lib/email'),
        import('@/lib/format'),
        import('@/lib/people/support-users'),
      ]);
    // As the app's role, like the server: the command writes through lib's system door.
    database = await openConfigured({ as: 'app' });
    if (database.driver === 'pglite') await migrate(database);
    const result = await inviteSupportUserFromCommand(
      database.db,
      { email, name },
      createResendMailer(),
    );
    if (!result.ok) return { ok: false, lines: [result.message, USAGE] };
    return {
      ok: true,
      lines: [
        `Supportbrugeren ${name.trim()} <${normaliseEmail(email)}> er oprettet (status Inviteret).`,
        `Invitationslink (virker én gang, udløber ${formatDateTime(result.expiresAt)}, dansk tid):`,
        `  ${result.link}`,
        `Mail: ${result.message}`,
      ],
    };
  } catch (e) {
    return { ok: false, lines: [explainCommandError(e, 'Supportbrugeren blev ikke oprettet')] };
  } finally {
    await database?.close().catch(() => {});
  }
}

finish(await run(commandArgs()));
