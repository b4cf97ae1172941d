import { createHash, randomBytes } from 'node:crypto';

/**
 * Link tokens (invitations, docs/people.md): 32 random bytes (256 bits) as base64url without
 * padding — letters, digits, `-` and `_` only. Only the SHA-256 of a token is stored, so a copy of
 * the database opens no link.
 */
export function newLinkToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The shape of a token we made; anything else is answered as an expired link without a look-up. */
export function isLinkTokenShape(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}
