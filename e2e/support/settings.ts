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
