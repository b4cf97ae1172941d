import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendSocketPeer, clientAddress } from '@/lib/auth/client-address';

describe('clientAddress', () => {
  it('takes the rightmost entry with no trusted proxy', () => {
    expect(clientAddress('6.6.6.6, 10.0.0.5', 0)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', 0)).toBe('10.0.0.5');
  });

  it('steps one entry left per trusted proxy hop', () => {
    expect(clientAddress('6.6.6.6, 203.0.113.9, 10.0.0.2', 1)).toBe('203.0.113.9');
    expect(clientAddress('6.6.6.6, 203.0.113.9, 10.0.0.3, 10.0.0.2', 2)).toBe('203.0.113.9');
  });

  it('takes the leftmost entry when the chain is shorter than the hops', () => {
    expect(clientAddress('203.0.113.9', 3)).toBe('203.0.113.9');
  });

  it('treats IPv4-mapped IPv6 as the IPv4 address, and a missing header as one unknown client', () => {
    expect(clientAddress('::ffff:127.0.0.1', 0)).toBe('127.0.0.1');
    expect(clientAddress('2001:DB8::1', 0)).toBe('2001:db8::1');
    expect(clientAddress(undefined, 0)).toBe('unknown');
    expect(clientAddress(' , ', 0)).toBe('unknown');
  });
});

describe('appendSocketPeer', () => {
  // A real http.Server whose prototype chain gets the wrapper, as instrumentation-node.ts does.
  class Server extends http.Server {}
  appendSocketPeer(Server.prototype as unknown as Parameters<typeof appendSocketPeer>[0]);
  appendSocketPeer(Server.prototype as unknown as Parameters<typeof appendSocketPeer>[0]); // idempotent
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = new Server((req, res) => res.end(String(req.headers['x-forwarded-for'])));
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
