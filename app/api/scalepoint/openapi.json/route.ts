import { env } from '@/lib/env';
import { openApiDocument } from '@/lib/scalepoint/contract/openapi';

export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json(openApiDocument(env().appUrl));
}
