export const dynamic = 'force-dynamic';

/** Liveness: touches nothing, so it also measures the framework's own ceiling. */
export function GET() {
  return Response.json({ status: 'ok' });
}
