export const E2E = {
  port: Number(process.env.E2E_PORT ?? 3100),
  resendPort: Number(process.env.E2E_RESEND_PORT ?? 3199),
  database: process.env.E2E_DATABASE ?? 'kladde_e2e',
  /** The local Scalepoint (Events API) the e2e server starts beside the app. */
  get standInPort() {
    return Number(process.env.E2E_STAND_IN_PORT ?? this.port + 50);
  },
  scalepointEmail: 'integration@scalepoint.test',
  get standInUrl() {
    return `http://127.0.0.1:${this.standInPort}`;
  },
  get baseUrl() {
    return `http://127.0.0.1:${this.port}`;
  },
  get resendBaseUrl() {
    return `http://127.0.0.1:${this.resendPort}`;
  },
  /**
   * A second `next start` beside the first, over its own migrated but empty database (no demo
   * data, no user): a new company's whole way in from `npm run support:invite` (e2e/new-company.spec.ts).
   * Same Resend and Scalepoint stand-ins as the first.
   */
  get freshPort() {
    return this.port + 1;
  },
  get freshBaseUrl() {
    return `http://127.0.0.1:${this.freshPort}`;
  },
  get freshDatabase() {
    return `${this.database}_fresh`;
  },
};

/** The fresh instance's DATABASE_URL, made the way scripts/e2e-server.ts makes it (db/throwaway.ts). */
export async function freshDatabaseUrl(): Promise<string> {
  const { throwawayUrl } = await import('@/db/throwaway');
  return throwawayUrl(E2E.freshDatabase);
}

/**
 * A company of the e2e server's own, beside the demo data: the Events API spec turns its module
 * on and connects it, so the specs that expect the demo companies' module off are not disturbed.
 */
export const eventsCompany = {
  name: 'Syd Tag ApS',
  cvr: '55667788',
  orderTypes: ['Service', 'Forsikring'],
  users: [
    { email: 'admin@syd-tag.test', name: 'Sara Syd', role: 'admin' as const, password: 'demo1234' },
  ],
};

/**
 * The e2e server's own support user (scripts/e2e-server.ts): invited, accepted and enrolled in
 * two-step verification with this fixed key through the domain, so a spec computes its codes the
 * way an authenticator app does. It exists only in the e2e database — never in the demo seed,
 * never in production. The demo's support@kladde.dk sets its key up in e2e/two-factor.spec.ts.
 */
export const e2eSupport = {
  email: 'e2e-support@kladde.test',
  name: 'E2E Support',
  password: 'e2e-support-adgang-7Q',
  totpKey: 'KLADDEE2ESUPPORTKEYFORTESTS23456',
};
