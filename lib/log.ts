/**
 * Structured log lines (one JSON object per line) for the things an operator must see:
 * refused actions, rejected deliveries, database errors. Never pass bodies, secrets or error
 * messages (drizzle's carry the query parameters): give an error to {@link errorFields}.
 */
import { errorCode } from './db-errors';

type Fields = Record<string, string | number | boolean | null | undefined>;

function write(
  level: 'debug' | 'info' | 'warn' | 'error',
  event: string,
  fields: Fields,
  at = new Date(),
) {
  if (process.env.KLADDE_LOG === 'silent') return;
  if (level === 'debug' && process.env.KLADDE_LOG !== 'debug') return;
  const line = JSON.stringify({ time: at.toISOString(), level, event, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}

/** The loggable part of an error: its code (SQLSTATE, socket code or class name), and a Next digest if any. */
export function errorFields(e: unknown): { errorCode: string; digest?: string } {
  const digest = (e as { digest?: unknown } | null)?.digest;
  return typeof digest === 'string'
    ? { errorCode: errorCode(e), digest: digest.slice(0, 100) }
    : { errorCode: errorCode(e) };
}

export const log = {
  /** Only with KLADDE_LOG=debug: what happens on every request (the system door's reasons). */
  debug: (event: string, fields: Fields = {}) => write('debug', event, fields),
  info: (event: string, fields: Fields = {}) => write('info', event, fields),
  warn: (event: string, fields: Fields = {}) => write('warn', event, fields),
  error: (event: string, fields: Fields = {}) => write('error', event, fields),
};

/**
 * A path as it may be logged: without its query, and with the secret of a link page (an
 * invitation's token, a password reset's) replaced by the route's placeholder — a logged token
 * would open the link for anyone who reads the log.
 */
export function loggablePath(path: string): string {
  return path
    .split('?')[0]!
    .replace(/^\/(invitation|password\/reset)\/[^/]*/, '/$1/[token]')
    .slice(0, 200);
}

/**
 * The log line of an error that escaped a route, page or server action (Next's `onRequestError`,
 * instrumentation.ts): the error's code and digest, the method, the path without its query (and
 * without a link's token, {@link loggablePath}), and the route — never the message or the query
 * string, which can carry personal data.
 */
export function requestErrorFields(
  error: unknown,
  request: { path: string; method: string },
  context: { routePath: string; routeType: string },
): Fields {
  return {
    ...errorFields(error),
    method: request.method.slice(0, 10),
    path: loggablePath(request.path),
    route: context.routePath.slice(0, 200),
    routeType: context.routeType,
  };
}
