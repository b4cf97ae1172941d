import http from 'node:http';

/**
 * A local stand-in for the Resend API (POST /emails), so the e2e suite sends real HTTP
 * requests through the real SDK. GET /_test/emails lists what arrived; DELETE clears it.
 * `delayMs` makes every POST /emails answer that much later (a slow Resend); port 0 picks a free port.
 */
export type ReceivedMail = {
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
};

export function startResendStandIn(
  port: number,
  options: { delayMs?: number } = {},
): Promise<http.Server> {
  const received: ReceivedMail[] = [];
  const seenKeys = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/emails' && req.method === 'POST' && options.delayMs)
        setTimeout(answer, options.delayMs);
      else answer();
    });
    const answer = () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url === '/_test/emails' && req.method === 'GET') return send(200, received);
      if (req.url === '/_test/emails' && req.method === 'DELETE') {
        received.length = 0;
        seenKeys.clear();
        return send(200, {});
      }
      if (req.url === '/emails' && req.method === 'POST') {
        if (!String(req.headers.authorization ?? '').startsWith('Bearer re_'))
          return send(401, { name: 'validation_error', message: 'API key is invalid' });
        const key = req.headers['idempotency-key'];
        if (typeof key === 'string' && seenKeys.has(key))
          return send(200, { id: seenKeys.get(key) });
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<
          string,
          unknown
        >;
        if (String(body.subject ?? '').includes('[fail]'))
          return send(422, { name: 'validation_error', message: 'Stand-in refused the mail' });
        const id = `stand-in-${received.length + 1}`;
        if (typeof key === 'string') seenKeys.set(key, id);
        received.push({ headers: req.headers, body });
        return send(200, { id });
      }
      send(404, { message: 'not found' });
    };
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
