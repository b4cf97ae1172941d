import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddress } from '@/lib/auth/client-address';
import { appendSocketPeer } from '@/lib/platform/http-server-emit';

/** What a server answers: the `x-forwarded-for` its handler saw, for a request with `headers`. */
async function seenForwardedFor(server: http.Server, headers: Record<string, string> = {}) {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    return await (await fetch(url, { headers })).text();
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const echo = (req: http.IncomingMessage, res: http.ServerResponse) =>
  res.end(String(req.headers['x-forwarded-for']));

// lib/platform/http-server-emit.ts: the socket peer appended to X-Forwarded-For (docs/security.md).
describe('appendSocketPeer', () => {
  // A real http.Server whose prototype chain gets the wrapper, as instrumentation-node.ts does.
  class Server extends http.Server {}
  appendSocketPeer(Server.prototype as unknown as Parameters<typeof appendSocketPeer>[0]);
  appendSocketPeer(Server.prototype as unknown as Parameters<typeof appendSocketPeer>[0]); // idempotent
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = new Server(echo);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('puts the socket peer in X-Forwarded-For when the client sent none', async () => {
    expect(await (await fetch(url)).text()).toBe('127.0.0.1');
  });

  it('appends the socket peer to a client-sent X-Forwarded-For, so the client cannot choose its address', async () => {
    const text = await (await fetch(url, { headers: { 'x-forwarded-for': '6.6.6.6' } })).text();
    expect(text).toBe('6.6.6.6, 127.0.0.1');
    expect(clientAddress(text, 0)).toBe('127.0.0.1');
  });
});

describe('at start-up', () => {
  it('instrumentation-node.ts installs it on every http.Server', async () => {
    // Before: a plain Node server passes a client-sent X-Forwarded-For on unchanged.
    expect(await seenForwardedFor(http.createServer(echo), { 'x-forwarded-for': '6.6.6.6' })).toBe(
      '6.6.6.6',
    );
    // The start-up file as the server runs it, without its background work (as in `next build`).
    const phase = process.env.NEXT_PHASE;
    process.env.NEXT_PHASE = 'phase-production-build';
    try {
      await import('@/instrumentation-node');
    } finally {
      if (phase === undefined) delete process.env.NEXT_PHASE;
      else process.env.NEXT_PHASE = phase;
    }
    expect(await seenForwardedFor(http.createServer(echo), { 'x-forwarded-for': '6.6.6.6' })).toBe(
      '6.6.6.6, 127.0.0.1',
    );
  });
});
