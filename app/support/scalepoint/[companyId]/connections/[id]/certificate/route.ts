import { routeRead } from '@/app/_server/route';
import { connectionCertificate } from '@/lib/scalepoint/support/connections';

/**
 * Hent certifikat: the connection's public certificate as a PEM download, for support only
 * (docs/events-api.md). Anyone else, a malformed or unknown id: a bare 404 (the route door,
 * app/_server/route.ts). It serves the certificate and nothing else.
 */
export const GET = routeRead(
  connectionCertificate,
  ({ pem, filename }) =>
    new Response(pem, {
      headers: {
        'Content-Type': 'application/x-pem-file',
        'Content-Disposition': `attachment; filename="${filename}"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    }),
);
