import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TENANT_PATTERN } from '@/lib/scalepoint/events/hosts';
import { Authorization } from './authorization';
import { EventLog, sequenceOf, type StoredEvent } from './event-log';
import { HttpError, parseJsonBody, preferredWaitMs, readBody, sendJson } from './http';
import { readState, writeState, type StateFile } from './state-file';

/**
 * A local Scalepoint for development and tests: the token endpoint, the events "receive" endpoint and "send"
 * as Scalepoint's pages describe them, plus sandbox-only admin endpoints under `/_stand-in/` to register
 * a certificate and publish events (Scalepoint has no such endpoints). docs/events-api.md says what is
 * published and what is assumed (hold time, batch size, retention, status codes).
 */

export type StandInOptions = {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** How long a receive call is held open when there is nothing to send (default 30 s). */
  holdMs?: number;
  /** Most events in one answer (default 100). */
  batchSize?: number;
  /** `expires_in` of issued access tokens (default 3600 s). */
  tokenLifetimeSeconds?: number;
  /** The sandbox's notion of now (token expiry, assertion checks). */
  clock?: () => Date;
  /** Keep registrations and events in this JSON file across restarts. */
  stateFile?: string;
};

export type PublishedEvent = {
  id: string;
  type: string;
  timestamp: string;
  attributes: Record<string, unknown>;
};
/** What `publish` accepts: the event's attributes (with `eventType`), or `{ type, attributes }`. */
export type EventInput = Record<string, unknown>;

/** One event a client sent to `send` (what Kladde sends: docs/events-api.md). */
export type SentEvent = {
  tenant: string;
  clientId: string;
  /** The request headers, names in lower case (the bearer token left out). */
  headers: Record<string, string>;
  body: Record<string, unknown>;
  at: string;
};
export type StandInEndpoint = 'token' | 'receive' | 'send';

export type ScalepointStandIn = {
  url: string;
  accountsUrl: string;
  apiUrl: string;
  tokenUrl: string;
  registerCertificate(
    clientId: string,
    tenant: string,
    certificatePem: string,
  ): { thumbprint: string };
  unregisterCertificate(clientId: string, thumbprint: string): boolean;
  publish(tenant: string, events: EventInput | EventInput[]): PublishedEvent[];
  /** Forget every issued access token: the next receive call answers 401. */
  revokeTokens(): void;
  /** Answer the next `times` calls to an endpoint with `status` (a Scalepoint outage). */
  fail(endpoint: StandInEndpoint, status: number, times?: number): void;
  /** Every event accepted by `send`, in order. */
  readonly sent: readonly SentEvent[];
  /** Every call to `send`, accepted or not: its tenant, the status answered, the body's correlationId. */
  readonly sendCalls: readonly { tenant: string; status: number; correlationId: string | null }[];
  readonly tokensIssued: number;
  readonly tokenRequests: readonly { clientId?: string; thumbprint?: string; outcome: string }[];
  readonly receiveCalls: number;
  close(): Promise<void>;
};

const RECEIVE_PATH = /^\/api\/events\/v1\/dk\/external\/([^/]+)\/receive$/;
const SEND_PATH = /^\/api\/events\/v1\/dk\/external\/([^/]+)\/send$/;
/** The header Kladde names the event type in (assumed; lib/scalepoint/outbound/event.ts). */
const EVENT_TYPE_HEADER = 'event-type';

export async function startScalepointStandIn(
  options: StandInOptions = {},
): Promise<ScalepointStandIn> {
  const clock = options.clock ?? (() => new Date());
  const holdMs = options.holdMs ?? 30_000;
  const batchSize = options.batchSize ?? 100;
  const auth = new Authorization(clock, options.tokenLifetimeSeconds ?? 3600);
  const saved = options.stateFile ? readState(options.stateFile) : undefined;
  const log = new EventLog(saved ? { lastSeq: saved.lastSeq, events: saved.events } : undefined);
  for (const client of saved?.clients ?? []) {
    for (const tenant of client.tenants)
      for (const pem of client.certificates) auth.register(client.clientId, tenant, pem);
  }
  const failures: Record<StandInEndpoint, { status: number; times: number } | undefined> = {
    token: undefined,
    receive: undefined,
    send: undefined,
  };
  const sent: SentEvent[] = [];
  const sendCalls: { tenant: string; status: number; correlationId: string | null }[] = [];
  const open = new Set<() => void>();
  let receiveCalls = 0;
  let base = '';

  const persist = () => {
    if (!options.stateFile) return;
    const state: StateFile = {
      clients: [...auth.clients.values()].map((c) => ({
        clientId: c.clientId,
        tenants: [...c.tenants],
        certificates: [...c.certificates.values()],
      })),
      ...log.snapshot(),
    };
    writeState(options.stateFile, state);
  };

  const tenantKnown = (tenant: string) =>
    log.hasTenant(tenant) || [...auth.clients.values()].some((c) => c.tenants.has(tenant));

  const register = (clientId: string, tenant: string, certificatePem: string) => {
    if (!clientId.trim()) throw new HttpError(400, 'clientId is required');
    if (!TENANT_PATTERN.test(tenant)) throw new HttpError(400, 'tenant must match [a-z0-9-]{1,63}');
    let result;
    try {
      result = auth.register(clientId, tenant, certificatePem);
    } catch {
      throw new HttpError(400, 'certificatePem is not an X.509 certificate in PEM');
    }
    persist();
    return result;
  };

  const publish = (tenant: string, input: EventInput | EventInput[]): PublishedEvent[] => {
    if (!TENANT_PATTERN.test(tenant)) throw new HttpError(400, 'tenant must match [a-z0-9-]{1,63}');
    const items = (Array.isArray(input) ? input : [input]).map(toEventItem);
    const stored = log.append(tenant, items, clock());
    persist();
    return stored.map(toEnvelopeEvent);
  };

  const takeFailure = (endpoint: StandInEndpoint) => {
    const failure = failures[endpoint];
    if (!failure) return undefined;
    failure.times -= 1;
    if (failure.times <= 0) failures[endpoint] = undefined;
    return failure.status;
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', base);
    const path = url.pathname;

    if (path === '/connect/token') {
      if (req.method !== 'POST')
        return sendJson(res, 405, { error: 'invalid_request', error_description: 'POST only' });
      const body = await readBody(req);
      const failed = takeFailure('token');
      if (failed) return sendJson(res, failed, { error: 'temporarily_unavailable' });
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/x-www-form-urlencoded') {
        return sendJson(res, 400, {
          error: 'invalid_request',
          error_description: 'the body must be application/x-www-form-urlencoded',
        });
      }
      // The token URL as this client reaches it (127.0.0.1 or localhost): that is what `aud` must name.
      const audiences = [`${base}/connect/token`];
      if (req.headers.host) audiences.push(`http://${req.headers.host}/connect/token`);
      const result = await auth.token(new URLSearchParams(body.toString('utf8')), audiences);
      if ('error' in result)
        return sendJson(res, result.status, {
          error: result.error,
          error_description: result.error_description,
        });
      res.setHeader('cache-control', 'no-store');
      return sendJson(res, 200, result);
    }

    const receive = RECEIVE_PATH.exec(path);
    if (receive) {
      if (req.method !== 'GET') return sendJson(res, 405, { error: 'method not allowed' });
      receiveCalls += 1;
      const failed = takeFailure('receive');
      if (failed) return sendJson(res, failed, { error: 'unavailable' });
      const token = auth.bearer(req.headers.authorization);
      if (!token) {
        res.setHeader('www-authenticate', 'Bearer error="invalid_token"');
        return sendJson(res, 401, { error: 'invalid_token' });
      }
      if (!token.scope.includes('events'))
        return sendJson(res, 403, { error: 'insufficient_scope' });
      const tenant = receive[1]!;
      // Unknown tenant, or a tenant this client is not registered on: 404 either way (assumed).
      const client = auth.clients.get(token.clientId);
      if (!TENANT_PATTERN.test(tenant) || !tenantKnown(tenant) || !client?.tenants.has(tenant))
        return sendJson(res, 404, { error: 'tenant not found' });
      const lastEventId = url.searchParams.get('lastEventId');
      const afterSeq = lastEventId ? sequenceOf(lastEventId) : undefined;
      if (lastEventId && afterSeq === undefined)
        return sendJson(res, 400, { error: 'lastEventId is not an event id' });

      let events = log.after(tenant, afterSeq, batchSize);
      if (events.length === 0) {
        const hold = Math.min(holdMs, preferredWaitMs(String(req.headers.prefer ?? '')) ?? holdMs);
        if (hold !== holdMs) res.setHeader('preference-applied', `wait=${Math.round(hold / 1000)}`);
        let cancelWait = () => {};
        await log.wait(tenant, hold, (cancel) => {
          cancelWait = cancel;
          res.on('close', cancel);
          open.add(cancel);
        });
        open.delete(cancelWait);
        if (res.destroyed) return;
        events = log.after(tenant, afterSeq, batchSize);
      }
      const cursor = events.at(-1)?.id ?? lastEventId;
      const next = new URL(`${base}${path}`);
      if (cursor) next.searchParams.set('lastEventId', cursor);
      return sendJson(res, 200, {
        links: { next: next.toString() },
        meta: {},
        data: events.map(toEnvelopeEvent),
      });
    }

    const send = SEND_PATH.exec(path);
    if (send) {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'method not allowed' });
      const body = await readBody(req);
      const call = { tenant: send[1]!, status: 0, correlationId: correlationIdOf(body) };
      sendCalls.push(call);
      const answer = (status: number, json: unknown) => {
        call.status = status;
        sendJson(res, status, json);
      };
      const failed = takeFailure('send');
      if (failed) return answer(failed, { error: 'unavailable' });
      const token = auth.bearer(req.headers.authorization);
      if (!token) {
        res.setHeader('www-authenticate', 'Bearer error="invalid_token"');
        return answer(401, { error: 'invalid_token' });
      }
      if (!token.scope.includes('events')) return answer(403, { error: 'insufficient_scope' });
      const tenant = send[1]!;
      const client = auth.clients.get(token.clientId);
      if (!TENANT_PATTERN.test(tenant) || !client?.tenants.has(tenant))
        return answer(404, { error: 'tenant not found' });
      const eventType = req.headers[EVENT_TYPE_HEADER];
      if (typeof eventType !== 'string' || eventType === '')
        return answer(400, { error: 'the Event-Type header is required' });
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json')
        return answer(415, { error: 'the body must be application/json' });
      const json = parseJsonBody(body);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers))
        if (name !== 'authorization' && typeof value === 'string') headers[name] = value;
      sent.push({
        tenant,
        clientId: token.clientId,
        headers,
        body: json,
        at: clock().toISOString(),
      });
      return answer(202, { accepted: true, correlationId: json.correlationId ?? null });
    }

    if (path.startsWith('/_stand-in/')) {
      if (path === '/_stand-in/state' && req.method === 'GET') {
        return sendJson(res, 200, {
          clients: [...auth.clients.values()].map((c) => ({
            clientId: c.clientId,
            tenants: [...c.tenants],
            thumbprints: [...c.certificates.keys()],
          })),
          events: log.counts(),
          tokensIssued: auth.issued,
          sent,
        });
      }
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'method not allowed' });
      const json = parseJsonBody(await readBody(req));
      if (path === '/_stand-in/clients') {
        const { clientId, tenant, certificatePem } = json;
        if (
          typeof clientId !== 'string' ||
          typeof tenant !== 'string' ||
          typeof certificatePem !== 'string'
        ) {
          throw new HttpError(400, 'send { clientId, tenant, certificatePem }');
        }
        return sendJson(res, 201, {
          clientId,
          tenant,
          ...register(clientId, tenant, certificatePem),
        });
      }
      if (path === '/_stand-in/fail') {
        const { endpoint, status, times } = json;
        if (
          (endpoint !== 'token' && endpoint !== 'receive' && endpoint !== 'send') ||
          typeof status !== 'number' ||
          !Number.isInteger(status) ||
          status < 100 ||
          status > 599
        )
          throw new HttpError(400, 'send { endpoint: token|receive|send, status, times? }');
        const n = typeof times === 'number' && Number.isInteger(times) && times > 0 ? times : 1;
        failures[endpoint] = { status, times: n };
        return sendJson(res, 201, { endpoint, status, times: n });
      }
      if (path === '/_stand-in/events') {
        const { tenant, events } = json;
        if (typeof tenant !== 'string' || !events || typeof events !== 'object')
          throw new HttpError(400, 'send { tenant, events: [...] }');
        return sendJson(res, 201, { data: publish(tenant, events as EventInput | EventInput[]) });
      }
    }
    return sendJson(res, 404, { error: 'not found' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      if (error instanceof HttpError) return sendJson(res, error.status, { error: error.message });
      sendJson(res, 500, { error: 'sandbox error', detail: (error as Error).message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  base = `http://${host}:${address.port}`;

  return {
    url: base,
    accountsUrl: base,
    apiUrl: base,
    tokenUrl: `${base}/connect/token`,
    registerCertificate: (clientId, tenant, pem) => register(clientId, tenant, pem),
    unregisterCertificate: (clientId, thumbprint) => {
      const removed = auth.unregister(clientId, thumbprint);
      persist();
      return removed;
    },
    publish,
    revokeTokens: () => auth.revokeAll(),
    fail: (endpoint, status, times = 1) => {
      failures[endpoint] = { status, times };
    },
    get tokensIssued() {
      return auth.issued;
    },
    get tokenRequests() {
      return auth.requests;
    },
    get receiveCalls() {
      return receiveCalls;
    },
    get sent() {
      return sent;
    },
    get sendCalls() {
      return sendCalls;
    },
    close: async () => {
      for (const cancel of open) cancel();
      log.wakeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function correlationIdOf(body: Buffer): string | null {
  try {
    const json = JSON.parse(body.toString('utf8')) as { correlationId?: unknown };
    return typeof json.correlationId === 'string' ? json.correlationId : null;
  } catch {
    return null;
  }
}

function toEventItem(input: EventInput): { type: string; attributes: Record<string, unknown> } {
  if (!input || typeof input !== 'object' || Array.isArray(input))
    throw new HttpError(400, 'an event must be an object');
  const wrapped =
    typeof input.type === 'string' && input.attributes && typeof input.attributes === 'object';
  const attributes = { ...((wrapped ? input.attributes : input) as Record<string, unknown>) };
  const type = wrapped ? (input.type as string) : attributes.eventType;
  if (typeof type !== 'string' || type === '')
    throw new HttpError(400, 'an event needs eventType (or type)');
  // Fill what every Scalepoint event carries, so a hand-written event looks real.
  attributes.eventType ??= type;
  attributes.payloadVersion ??= '1.0.0';
  attributes.correlationId ??= randomUUID();
  attributes.timestamp ??= new Date().toISOString();
  return { type, attributes };
}

function toEnvelopeEvent(e: StoredEvent): PublishedEvent {
  return { id: e.id, type: e.type, timestamp: e.timestamp, attributes: e.attributes };
}
