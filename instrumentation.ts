/**
 * Runs once when the server starts: validate the settings, so production refuses to start
 * without AUTH_SECRET and CREDENTIALS_KEY instead of failing on the first request.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { env } = await import('./lib/env');
  try {
    env();
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
