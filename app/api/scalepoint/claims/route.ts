import { getDb } from '@/db';
import { handleClaimDelivery, MAX_BODY_BYTES, type IntakeResult } from '@/lib/scalepoint/intake';
import { isDatabaseUnavailable } from '@/lib/db-errors';
import { log } from '@/lib/log';

export const dynamic = 'force-dynamic';

const json = (r: IntakeResult) => Response.json(r.body, { status: r.status, headers: { 'cache-control': 'no-store' } });

/** Reads at most `limit` bytes; null as soon as the body is larger (the rest is never read). */
async function readLimited(request: Request, limit: number): Promise<Buffer | null> {
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Thin: raw bytes in, lib decides, HTTP out. */
export async function POST(request: Request) {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) return json({ status: 413, body: { error: 'payload_too_large', limitBytes: MAX_BODY_BYTES } });
  let body: Buffer | null;
  try {
    body = await readLimited(request, MAX_BODY_BYTES);
  } catch {
    return json({ status: 400, body: { error: 'unreadable_body' } });
  }
  if (!body) return json({ status: 413, body: { error: 'payload_too_large', limitBytes: MAX_BODY_BYTES } });
  try {
    const db = await getDb();
    return json(await handleClaimDelivery(db, { header: (name) => request.headers.get(name), body }));
  } catch (e) {
    // getDb() itself failed (embedded database locked, or the pool could not start).
    log.error('scalepoint_intake_unavailable', { dbUnavailable: isDatabaseUnavailable(e) });
    return json({ status: 503, body: { error: 'database_unavailable' } });
  }
}
