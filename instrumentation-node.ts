import { env } from './lib/env';

// Validate the settings at start: production refuses to start without AUTH_SECRET and
// CREDENTIALS_KEY instead of failing on the first request.
try {
  env();
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
