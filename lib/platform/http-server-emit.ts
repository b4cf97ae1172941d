import http, { type IncomingMessage } from 'node:http';

/**
 * WORKAROUND: `http.Server.prototype.emit` wrapped, so every request's socket peer is appended to
 * `x-forwarded-for` before Next.js sees it (docs/security.md, "The client address and
 * `TRUSTED_PROXY_HOPS`").
 *
 * What it works around: Next.js 16 (`next start`, base-server) fills `x-forwarded-for` from the
 * socket only when the request has none (`req.headers['x-forwarded-for'] ??= …remoteAddress`), and
 * offers neither a hook before that nor a trusted-proxy setting. Taken as is, a client could name
 * its own address for the sign-in throttle (`clientAddress` in lib/auth/client-address.ts).
 * Installed once at start-up by instrumentation-node.ts.
 *
 * When it can go: when Next.js appends the socket peer to a client-sent `x-forwarded-for` itself,
 * or gives the socket's address to a route or server action (then read that instead) — check on
 * each Next.js upgrade, in base-server's handling of `x-forwarded-for`.
 *
 * Pinned by: tests/unit/http-server-emit.test.ts, "instrumentation-node.ts installs it on every
 * http.Server" (and the wrapper's own tests there); end to end by e2e/security-headers.spec.ts,
 * "after 5 failures for one e-mail the 6th is refused …, whatever X-Forwarded-For says".
 */

type RequestEmitter = { emit(event: string | symbol, ...args: unknown[]): boolean };

const installed = Symbol.for('kladde.appendSocketPeer');

/**
 * Wraps an http.Server prototype's emit so every 'request' gets its socket peer appended to
 * `x-forwarded-for` before Next.js sees it. Idempotent.
 */
export function appendSocketPeer(proto: RequestEmitter & { [installed]?: boolean }): void {
  if (proto[installed]) return;
  const original = proto.emit;
  proto.emit = function emit(this: RequestEmitter, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const req = args[0] as IncomingMessage | undefined;
      const peer = req?.socket?.remoteAddress;
      if (req && peer) {
        const prior = req.headers['x-forwarded-for'];
        const chain = Array.isArray(prior) ? prior.join(', ') : prior;
        req.headers['x-forwarded-for'] = chain ? `${chain}, ${peer}` : peer;
      }
    }
    return original.call(this, event, ...args);
  };
  proto[installed] = true;
}

/** {@link appendSocketPeer} on every http.Server of the process (instrumentation-node.ts). */
export function appendSocketPeerOnEveryServer(): void {
  appendSocketPeer(http.Server.prototype as unknown as Parameters<typeof appendSocketPeer>[0]);
}
