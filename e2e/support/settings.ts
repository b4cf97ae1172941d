export const E2E = {
  port: Number(process.env.E2E_PORT ?? 3100),
  resendPort: Number(process.env.E2E_RESEND_PORT ?? 3199),
  database: process.env.E2E_DATABASE ?? 'kladde_e2e',
  scalepointEmail: 'integration@scalepoint.test',
  get baseUrl() {
    return `http://127.0.0.1:${this.port}`;
  },
};
