import { env } from './lib/env';

// Validate the settings at start: production refuses to start without its required settings
// instead of failing on the first request.
try {
  env();
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}

// The Events API receiver polls from server start, without waiting for a first request — but
// never while `next build` loads this file to collect pages.
if (process.env.NEXT_PHASE !== 'phase-production-build') {
  const [{ beforeDatabaseClose, getDb }, { startEventsReceiver, stopEventsReceiver }] = await Promise.all([import('./db'), import('./lib/scalepoint/events/receiver')]);
  beforeDatabaseClose(stopEventsReceiver);
  void startEventsReceiver(getDb);
}
