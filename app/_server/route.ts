import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import { getDb } from '@/db';
import { NotFoundError } from '@/lib/auth/actor';
import { isDatabaseUnavailable } from '@/lib/db-errors';
import type { Read } from '@/lib/door';
import { errorFields, log } from '@/lib/log';
import { currentActor } from './auth';

/** A bare 404: neither the route's existence nor the record's is told. */
function notFoundResponse(): Response {
  return new Response('Not Found', {
    status: 404,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

/** A plain answer of the route door, in Danish, that tells nothing of the error behind it. */
function plainResponse(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

/**
 * A lib read (built with `companyRead` / `supportRead` in lib/door.ts) as a route handler, the
 * route door beside `pageRead`: the actor is re-read for this request and the route's params are
 * the read's input, so the read's schema is the only check of them. A refusal — a stranger, a
 * malformed id — or nothing found (NotFoundError, or null) answers a bare 404, never an error;
 * `answer` turns what was found into the response. A database outage answers 503; any other
 * error — a database error or a plain bug — is logged as its code only (never its message:
 * drizzle's carries the query's parameters, and a bug's may carry the input) and answered with a
 * plain Danish 500 — a bug, never an answer to the input (docs/security.md, "Hostile input"), and
 * never hidden as a 404. Next's own signals (a redirect, a 404) go on to the framework.
 */
export function routeRead<T>(read: Read<T>, answer: (found: NonNullable<T>) => Response) {
  return async (_request: Request, { params }: RouteContext): Promise<Response> => {
    let found: T;
    try {
      found = await read(await getDb(), await currentActor(), await params);
    } catch (e) {
      unstable_rethrow(e);
      if (e instanceof NotFoundError) return notFoundResponse();
      if (isDatabaseUnavailable(e)) {
        log.error('route_db_unavailable', errorFields(e));
        return plainResponse(503, 'Databasen svarer ikke lige nu. Prøv igen om lidt.');
      }
      log.error('route_failed', errorFields(e));
      return plainResponse(500, 'Noget gik galt. Prøv igen.');
    }
    return found == null ? notFoundResponse() : answer(found);
  };
}
