export const E2E = {
  port: Number(process.env.E2E_PORT ?? 3100),
  resendPort: Number(process.env.E2E_RESEND_PORT ?? 3199),
  database: process.env.E2E_DATABASE ?? 'kladde_e2e',
  /** The local Scalepoint (Events API) the e2e server starts beside the app. */
  get sandboxPort() {
    return Number(process.env.E2E_SANDBOX_PORT ?? this.port + 50);
  },
  scalepointEmail: 'integration@scalepoint.test',
  get sandboxUrl() {
    return `http://127.0.0.1:${this.sandboxPort}`;
  },
  get baseUrl() {
    return `http://127.0.0.1:${this.port}`;
  },
};

/**
 * A company of the e2e server's own, beside the demo data: the Events API spec turns its module
 * on and connects it, so the specs that expect the demo companies' module off are not disturbed.
 */
export const eventsCompany = {
  name: 'Syd Tag ApS',
  cvr: '55667788',
  orderTypes: ['Service', 'Forsikring'],
  users: [{ email: 'admin@syd-tag.test', name: 'Sara Syd', role: 'admin' as const, password: 'demo1234' }],
};
