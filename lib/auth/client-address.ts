/**
 * The client address of a request, for the sign-in throttle (docs/security.md).
 *
 * Next.js 16 reports the client in `x-forwarded-for`, but it only fills that header from the
 * socket when the request has none: a client that sends its own `x-forwarded-for` would choose
 * its own address. So the server appends the socket peer to the chain on every request
 * (`appendSocketPeer`: a workaround, in lib/platform/http-server-emit.ts), exactly as a proxy would. The
 * rightmost entry is then always the peer that connected to us, and with TRUSTED_PROXY_HOPS = n
 * we step n entries to the left: each trusted proxy appended the address it saw.
 */
export function clientAddress(
  forwardedFor: string | null | undefined,
  trustedHops: number,
): string {
  const chain = (forwardedFor ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (chain.length === 0) return 'unknown';
  const at = Math.max(0, chain.length - 1 - trustedHops);
  return normalise(chain[at]!);
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are one client. */
function normalise(address: string): string {
  const a = address.toLowerCase();
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}
