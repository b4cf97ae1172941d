import { getDb } from '@/db';
import { currentActor } from '@/app/_server/auth';
import { NotFoundError } from '@/lib/auth/actor';
import { connectionCertificate } from '@/lib/scalepoint/support/connections';

/**
 * Hent certifikat: the connection's public certificate as a PEM download, for support only
 * (docs/events-api.md). Anyone else, or an unknown id: a bare 404. It serves the certificate
 * and nothing else.
 */
export async function GET(
  _request: Request,
  { params }: { params: Promise<{ companyId: string; id: string }> },
) {
  const { companyId, id } = await params;
  try {
    const { pem, filename } = await connectionCertificate(
      await getDb(),
      await currentActor(),
      companyId,
      id,
    );
    return new Response(pem, {
      headers: {
        'Content-Type': 'application/x-pem-file',
        'Content-Disposition': `attachment; filename="${filename}"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  } catch (e) {
    if (e instanceof NotFoundError)
      return new Response('Not Found', {
        status: 404,
        headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
      });
    throw e;
  }
}
