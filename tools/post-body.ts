import http from 'node:http';

/** What a server answered to `postBody`. */
export type PostAnswer = { status: number; headers: http.IncomingHttpHeaders; text: string };

/**
 * POSTs `body` to 127.0.0.1 in 64 KiB writes, with `Content-Length` or chunked, and resolves with
 * the answer as soon as it has come, however much of the body the server took (writes after a
 * refusal may fail, which is the point). The one client of the request-body limit's test and of
 * `npm run test:faults`, scenario 6 (docs/security.md, "Request bodies: 1 MiB").
 */
export function postBody(
  port: number,
  path: string,
  body: Buffer,
  { chunked = false, headers = {} }: { chunked?: boolean; headers?: Record<string, string> } = {},
): Promise<PostAnswer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request({
      host: '127.0.0.1',
      port,
      path,
      method: 'POST',
      agent: false,
      headers: { ...(chunked ? {} : { 'content-length': String(body.length) }), ...headers },
      signal: AbortSignal.timeout(60_000),
    });
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', () => {});
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', (e) => {
      if (!answered) reject(e);
    });
    void (async () => {
      // Connected first: until then every write would be buffered in this process.
      await new Promise<void>((connected) =>
        req.once('socket', (s) =>
          s.connecting ? s.once('connect', () => connected()) : connected(),
        ),
      );
      for (let at = 0; at < body.length && !answered && !req.destroyed; at += 64 * 1024) {
        if (!req.write(body.subarray(at, at + 64 * 1024)))
          await new Promise<void>((done) => {
            const go = () => {
              req.off('drain', go);
              req.off('close', go);
              done();
            };
            req.on('drain', go);
            req.on('close', go);
          });
      }
      if (!req.destroyed) req.end();
    })();
  });
}
