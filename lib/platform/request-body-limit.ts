import http, { type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * WORKAROUND: `http.Server.prototype.emit` wrapped, so a request body over 1 MiB is refused with
 * 413 before Next.js or next-auth reads a byte of it (docs/security.md, "Request bodies: 1 MiB").
 *
 * What it works around: Next.js 16 has no switch that refuses a large body with 413 before it is
 * buffered. `serverActions.bodySizeLimit` answers 500 after reading up to the limit;
 * `proxyClientMaxBodySize` (the proxy's copy of the body, 10 MB by default) passes a cut-off body
 * on; route handlers (next-auth's `/api/auth/*`) get the whole body, and next-auth parses the whole
 * form. 50 parallel posts of 10 MB took `next start` from ~195 MB to 638 MB RSS.
 * Installed once at start-up by instrumentation-node.ts, beside `appendSocketPeer`
 * (http-server-emit.ts).
 *
 * How: on the server's 'request' event, before Next's listener runs —
 *  - a `Content-Length` over the limit: 413 with `Connection: close` at once; Next's listener is
 *    never called and the body is never read;
 *  - no `Content-Length` (chunked): the request's `push` (where Node's HTTP parser hands each body
 *    chunk to the stream, whoever reads it and however) counts the bytes; the chunk that passes the
 *    limit is never pushed, and the 413 goes out; Next's pending read of the body ends with an
 *    `aborted` error when the socket is destroyed.
 * Either way the socket stops reading, the 413 is written to it, it is half-closed, and destroyed
 * 2 s later (`refuse` below says why not at once).
 * `POST /api/scalepoint/claims` is exempt: it has its own, smaller limit (256 KiB) and its own
 * documented 413 (docs/intake.md), read while streaming (lib/scalepoint/intake/http.ts).
 *
 * When it can go: when Next.js refuses a body over a configurable size with 413 for pages, server
 * actions and route handlers before buffering it — check `serverActions.bodySizeLimit` and
 * `proxyClientMaxBodySize` on each Next.js upgrade — or when a reverse proxy in front of every
 * deployment enforces it (then keep the test as its check).
 *
 * Pinned by: tests/integration/body-limit.test.ts (a real http.Server with the production
 * installation); against `next start` by scripts/faults.ts, scenario 6 (docs/resilience.md).
 */

/** The largest body a page, a server action or a route (but the intake) may send. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/** Requests with a limit of their own (method and path, without the query). */
const EXEMPT = new Set(['POST /api/scalepoint/claims']);

type RequestEmitter = { emit(event: string | symbol, ...args: unknown[]): boolean };

const installed = Symbol.for('kladde.limitRequestBodies');

const pathOf = (url: string | undefined) => (url ?? '/').split('?', 1)[0]!;

/** The 413's status line, headers and body: JSON for /api/*, a short Danish text for pages and actions. */
function tooLarge(req: IncomingMessage, limit: number) {
  const api = pathOf(req.url).startsWith('/api/');
  const body = Buffer.from(
    api
      ? JSON.stringify({ error: 'payload_too_large', limitBytes: limit })
      : `Forespørgslen er for stor: højst ${limit} bytes (1 MiB).\n`,
  );
  const headers = {
    'Content-Type': api ? 'application/json' : 'text/plain; charset=utf-8',
    'Content-Length': String(body.length),
    Connection: 'close',
    'Cache-Control': 'no-store',
  };
  return { body, headers };
}

/** Content-Length as a number; null when absent (chunked) or not a plain number. */
function declaredLength(req: IncomingMessage): number | null {
  const value = req.headers['content-length'];
  if (value === undefined || !/^\d+$/.test(value.trim())) return null;
  return Number(value);
}

/** How long a refused connection stays half-open after its 413, so the client reads it (below). */
const LINGER_MS = 2_000;

/**
 * The 413, written to the socket itself: Next may hold `res` (a streamed body), and its later writes
 * then go to a destroyed socket (no error, nothing sent). The socket reads no more; after the answer
 * it is half-closed and destroyed {@link LINGER_MS} later. Destroying it at once, with unread body
 * bytes arriving, makes the kernel answer them with a reset, and the client's HTTP stack then often
 * reports ECONNRESET without showing the 413 (seen: 28 of 65 in scripts/faults.ts, scenario 6).
 * A paused socket holds at most the kernel's receive window, never process memory.
 */
function refuse(req: IncomingMessage, res: ServerResponse, limit: number) {
  const socket = req.socket;
  socket.pause();
  if (res.headersSent || socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const { body, headers } = tooLarge(req, limit);
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 413 Payload Too Large\r\n${head}\r\n`), body]));
  const linger = setTimeout(() => socket.destroy(), LINGER_MS);
  linger.unref();
  socket.once('close', () => clearTimeout(linger));
}

/** Counts a streamed body's bytes as the parser pushes them; refuses once past `limit`. */
function countBody(req: IncomingMessage, res: ServerResponse, limit: number) {
  const push = req.push;
  let seen = 0;
  let refused = false;
  req.push = function countedPush(
    this: IncomingMessage,
    chunk: unknown,
    encoding?: BufferEncoding,
  ) {
    if (refused) return false;
    if (chunk !== null && chunk !== undefined) {
      seen += typeof chunk === 'string' ? Buffer.byteLength(chunk) : (chunk as Uint8Array).length;
      if (seen > limit) {
        refused = true; // this chunk and any after it are never pushed
        refuse(req, res, limit);
        return false;
      }
    }
    return push.call(this, chunk, encoding);
  };
}

/**
 * Wraps an http.Server prototype's emit so every 'request' with a body over `limit` bytes is
 * answered 413 before the server's own listener (Next.js) reads it. Idempotent.
 */
export function limitRequestBodies(
  proto: RequestEmitter & { [installed]?: boolean },
  limit = MAX_REQUEST_BODY_BYTES,
): void {
  if (proto[installed]) return;
  const original = proto.emit;
  proto.emit = function emit(this: RequestEmitter, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const req = args[0] as IncomingMessage | undefined;
      const res = args[1] as ServerResponse | undefined;
      if (req && res && !EXEMPT.has(`${req.method} ${pathOf(req.url)}`)) {
        const declared = declaredLength(req);
        if (declared !== null && declared > limit) {
          refuse(req, res, limit); // Next's listener is never called
          return true;
        }
        if (declared === null) countBody(req, res, limit);
      }
    }
    return original.call(this, event, ...args);
  };
  proto[installed] = true;
}

/** {@link limitRequestBodies} on every http.Server of the process (instrumentation-node.ts). */
export function limitRequestBodiesOnEveryServer(): void {
  limitRequestBodies(http.Server.prototype as unknown as Parameters<typeof limitRequestBodies>[0]);
}
