import { getDb } from '@/db';
import { receiveClaimRequest } from '@/lib/scalepoint/intake/http';

export const dynamic = 'force-dynamic';

/**
 * Thin: the request to lib, the answer to HTTP (docs/intake.md). `no-transform` keeps Next's
 * gzip off these few bytes: compressing them cost more CPU than the claim's own SQL
 * (docs/performance.md).
 */
export async function POST(request: Request) {
  const r = await receiveClaimRequest(request, getDb);
  return Response.json(r.body, {
    status: r.status,
    headers: { 'cache-control': 'no-store, no-transform' },
  });
}
