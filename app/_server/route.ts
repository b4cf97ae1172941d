import 'server-only';
import { getDb } from '@/db';
import { NotFoundError } from '@/lib/auth/actor';
import type { Read } from '@/lib/door';
import { currentActor } from './auth';

/** A bare 404: neither the route's existence nor the record's is told. */
function notFoundResponse(): Response {
  return new Response('Not Found', {
    status: 404,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

/**
 * A lib read (built with `companyRead` / `supportRead` in lib/door.ts) as a route handler, the
 * route door beside `pageRead`: the actor is re-read for this request and the route's params are
 * the read's input, so the read's schema is the only check of them. A refusal — a stranger, a
 * malformed id — or nothing found (NotFoundError, or null) answers a bare 404, never an error;
 * `answer` turns what was found into the response.
 */
export function routeRead<T>(read: Read<T>, answer: (found: NonNullable<T>) => Response) {
  return async (_request: Request, { params }: RouteContext): Promise<Response> => {
    let found: T;
    try {
      found = await read(await getDb(), await currentActor(), await params);
    } catch (e) {
      if (e instanceof NotFoundError) return notFoundResponse();
      throw e;
    }
    return found == null ? notFoundResponse() : answer(found);
  };
}
