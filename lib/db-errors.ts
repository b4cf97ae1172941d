/** PostgreSQL error code of an error from either driver (drizzle may wrap it in `cause`). */
export function pgErrorCode(e: unknown): string | undefined {
  for (
    let cur: unknown = e, depth = 0;
    cur && depth < 4;
    cur = (cur as { cause?: unknown }).cause, depth++
  ) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

export const isUniqueViolation = (e: unknown) => pgErrorCode(e) === '23505';

const SOCKET_CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'ENOTFOUND',
  'EAI_AGAIN',
];

/** The driver's or Node's own error code (ECONNREFUSED, CONNECTION_CLOSED, …) of an error or its causes. */
function socketCode(e: unknown): string | undefined {
  for (
    let cur: unknown = e, depth = 0;
    cur && depth < 4;
    cur = (cur as { cause?: unknown }).cause, depth++
  ) {
    const c = (cur as { code?: unknown }).code;
    if (typeof c === 'string' && SOCKET_CODES.includes(c)) return c;
  }
  return undefined;
}

/**
 * True when the database cannot be reached or went away mid-request (connection refused or
 * reset, admin shutdown, too many connections): the caller answers 503, not 500.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  const code = pgErrorCode(e);
  if (code && (code.startsWith('08') || /^57P0\d$/.test(code) || code === '53300')) return true;
  return socketCode(e) !== undefined;
}

/**
 * True when the same work may well succeed if tried again later: the database is unavailable
 * (above), or it asked for a retry — serialization failure (40001), deadlock (40P01), statement
 * timeout (57014). Everything else (a value refused, class 22/23, a bug) would fail the same
 * way on every retry. See docs/intake.md, "Errors".
 */
export function isWorthRetry(e: unknown): boolean {
  if (isDatabaseUnavailable(e)) return true;
  const code = pgErrorCode(e);
  return code === '40001' || code === '40P01' || code === '57014';
}

/**
 * What a log line may say about an error: its SQLSTATE, else the driver's/Node's code, else the
 * error's class name. Never the message: drizzle's messages carry the query's parameters (a
 * claim's personal data).
 */
export function errorCode(e: unknown): string {
  const code = pgErrorCode(e) ?? socketCode(e);
  if (code) return code;
  if (e instanceof Error) return e.name.slice(0, 60) || 'Error';
  return typeof e;
}
