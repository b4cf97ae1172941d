import { env } from './lib/env';
import { appendSocketPeerOnEveryServer } from './lib/platform/http-server-emit';
import { limitRequestBodiesOnEveryServer } from './lib/platform/request-body-limit';
import { assertPostgresPatched } from './lib/platform/postgres-patch';
import { logHostOverrides } from './lib/scalepoint/events/hosts';

// Validate the settings at start, instead of failing on the first request: production refuses to
// start without DATABASE_URL, AUTH_SECRET, CREDENTIALS_KEY or APP_URL, or with a weak one
// (docs/security.md, "Production refuses unsafe settings"). Every mode refuses a postgres.js
// without patches/ (e.g. after `npm ci --ignore-scripts`): a connection lost mid-query would end
// the process (lib/platform/postgres-patch.ts).
try {
  env();
  assertPostgresPatched();
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
// Names each Scalepoint host override in force, and for which connections (never a secret).
logHostOverrides();

// Next.js keeps a client-sent X-Forwarded-For as it is; append the socket peer to every request
// so the throttle's client address cannot be chosen by the client (docs/security.md). A
// workaround: lib/platform/http-server-emit.ts says when it can go.
appendSocketPeerOnEveryServer();
// A body over 1 MiB (but the intake's, which has its own limit) is refused with 413 before Next.js
// or next-auth reads it (docs/security.md, "Request bodies: 1 MiB"). A workaround:
// lib/platform/request-body-limit.ts says when it can go.
limitRequestBodiesOnEveryServer();

// The background work (the Events API receiver, the sweeps) starts with the server, without
// waiting for a first request — but never while `next build` loads this file to collect pages.
if (process.env.NEXT_PHASE !== 'phase-production-build') {
  const [{ beforeDatabaseClose, getDb }, { startBackground, stopBackground }] = await Promise.all([
    import('./db'),
    import('./lib/background/server'),
  ]);
  beforeDatabaseClose(stopBackground);
  void startBackground(getDb);
}
