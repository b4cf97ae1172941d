import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, receiveClaimRequest } from '@/lib/scalepoint/intake/http';
import { MAX_REQUEST_BODY_BYTES } from '@/lib/platform/request-body-limit';
import { postBody } from '@/tools/post-body';

// lib/platform/request-body-limit.ts: a body over 1 MiB refused with 413 before the server's own
// listener (Next.js) reads it (docs/security.md, "Request bodies: 1 MiB").

const MiB = 1024 * 1024;

/** What the stand-in for Next saw of one request: its path and how many body bytes it read. */
type Seen = { path: string; bytes: number; closed: Promise<void> };
const seen: Seen[] = [];

/** Stands in for Next.js: reads the whole body, answers its size and SHA-256. */
async function standInForNext(req: http.IncomingMessage, res: http.ServerResponse) {
  const entry: Seen = { path: req.url ?? '', bytes: 0, closed: Promise.resolve() };
  entry.closed = new Promise((resolve) => req.once('close', () => resolve()));
  seen.push(entry);
  if (req.url === '/api/scalepoint/claims') {
    // The intake's own rules, as its route handler runs them (app/api/scalepoint/claims).
    const result = await receiveClaimRequest(
      new Request(`http://localhost${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
        duplex: 'half',
      } as RequestInit),
      () => Promise.reject(new Error('no database in this test')),
    );
    res.writeHead(result.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(result.body));
    return;
  }
  const hash = createHash('sha256');
  try {
    for await (const chunk of req) {
      entry.bytes += (chunk as Buffer).length;
      hash.update(chunk as Buffer);
    }
  } catch {
    return; // the connection went away mid-body
  }
  res.end(JSON.stringify({ bytes: entry.bytes, sha256: hash.digest('hex') }));
}

/** postBody (tools/post-body.ts), as JSON unless the test says otherwise. */
const post = (
  port: number,
  path: string,
  body: Buffer,
  { chunked = false, headers = {} }: { chunked?: boolean; headers?: Record<string, string> } = {},
) =>
  postBody(port, path, body, {
    chunked,
    headers: { 'content-type': 'application/json', ...headers },
  });

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('a request body over 1 MiB (the production installation)', () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    // The start-up file as the server runs it, without its background work (as in `next build`).
    const phase = process.env.NEXT_PHASE;
    process.env.NEXT_PHASE = 'phase-production-build';
    try {
      await import('@/instrumentation-node');
    } finally {
      if (phase === undefined) delete process.env.NEXT_PHASE;
      else process.env.NEXT_PHASE = phase;
    }
    server = http.createServer((req, res) => void standInForNext(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is 1 MiB', () => expect(MAX_REQUEST_BODY_BYTES).toBe(1048576));

  it('with a Content-Length of 2 MiB: 413 at once, JSON for /api/*, and Next is never called', async () => {
    const before = seen.length;
    const answer = await post(port, '/api/auth/callback/credentials', Buffer.alloc(2 * MiB, 'a'));
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
    expect(JSON.parse(answer.text)).toEqual({ error: 'payload_too_large', limitBytes: 1048576 });
    expect(seen.length).toBe(before);
  });

  it('a page or server action: 413 with a Danish text, and Next is never called', async () => {
    const before = seen.length;
    const answer = await post(port, '/login', Buffer.alloc(2 * MiB, 'a'), {
      headers: { 'next-action': 'abc', 'content-type': 'text/plain;charset=UTF-8' },
    });
    expect(answer.status).toBe(413);
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(answer.text).toContain('Forespørgslen er for stor');
    expect(seen.length).toBe(before);
  });

  it('chunked, 2 MiB: 413 as soon as 1 MiB is passed; Next read at most 1 MiB', async () => {
    const before = seen.length;
    const answer = await post(port, '/api/auth/callback/credentials', Buffer.alloc(2 * MiB, 'b'), {
      chunked: true,
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.text)).toEqual({ error: 'payload_too_large', limitBytes: 1048576 });
    expect(seen.length).toBe(before + 1);
    await seen.at(-1)!.closed;
    expect(seen.at(-1)!.bytes).toBeLessThanOrEqual(MAX_REQUEST_BODY_BYTES);
  });

  it('512 KiB (and exactly 1 MiB), with Content-Length or chunked, pass through intact', async () => {
    for (const size of [512 * 1024, MiB])
      for (const chunked of [false, true]) {
        const body = Buffer.alloc(size);
        for (let i = 0; i < size; i++) body[i] = (i * 31) & 0xff;
        const answer = await post(port, '/api/auth/callback/credentials', body, { chunked });
        expect(answer.status).toBe(200);
        expect(JSON.parse(answer.text)).toEqual({ bytes: size, sha256: sha256(body) });
      }
  });

  it('the intake keeps its own limit and answer (docs/intake.md): 256 KiB, limitBytes 262144', async () => {
    expect(MAX_BODY_BYTES).toBe(256 * 1024);
    for (const size of [300 * 1024, 2 * MiB])
      for (const chunked of [false, true]) {
        const before = seen.length;
        const answer = await post(port, '/api/scalepoint/claims', Buffer.alloc(size, 'c'), {
          chunked,
        });
        expect(answer.status).toBe(413);
        expect(JSON.parse(answer.text)).toEqual({ error: 'payload_too_large', limitBytes: 262144 });
        expect(seen.length).toBe(before + 1); // answered by the intake's own rules, not the wrapper
      }
  });
});
