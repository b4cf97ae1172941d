/**
 * The security headers of every page (docs/security.md), built per request by proxy.ts so they
 * follow the settings at run time (HSTS only when APP_URL is https) and carry a fresh nonce.
 *
 * Next.js reads the nonce from the request's Content-Security-Policy header and puts it on its
 * own inline scripts; 'strict-dynamic' lets those load the rest. Styles: React and Next set
 * inline style attributes, which a nonce cannot cover, hence 'unsafe-inline' for style-src only.
 * React's development build needs eval; production never gets 'unsafe-eval'.
 */
export type SecurityHeaderOptions = { nonce: string; development: boolean; https: boolean };

export function contentSecurityPolicy({
  nonce,
  development,
  https,
}: SecurityHeaderOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}

export function securityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(options),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'DENY',
    ...(options.https
      ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' }
      : {}),
  };
}

/** 128 random bits, base64: a CSP nonce-source. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64');
}
