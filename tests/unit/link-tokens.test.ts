import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashLinkToken, isLinkTokenShape, newLinkToken } from '@/lib/people/tokens';

// Link tokens (lib/people/tokens.ts): the contract (docs/people.md) asks for at least 128 random bits as base64url
// without padding, stored only as a hash.
describe('link tokens', () => {
  it('are 43 base64url characters (32 random bytes), without padding, and have their shape', () => {
    for (let i = 0; i < 50; i++) {
      const { token } = newLinkToken();
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
      expect(isLinkTokenShape(token)).toBe(true);
    }
  });

  it('do not repeat over 1,000 tokens, nor do their hashes', () => {
    const made = Array.from({ length: 1000 }, () => newLinkToken());
    expect(new Set(made.map((m) => m.token)).size).toBe(1000);
    expect(new Set(made.map((m) => m.hash)).size).toBe(1000);
  });

  it('use every base64url character over many tokens (no bias to a smaller alphabet)', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => newLinkToken().token).join(''));
    expect(seen.size).toBe(64);
  });

  it('are stored as the hex SHA-256 of the token, which is what newLinkToken returns', () => {
    const { token, hash } = newLinkToken();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(createHash('sha256').update(token, 'utf8').digest('hex'));
    expect(hashLinkToken(token)).toBe(hash);
    expect(hash).not.toContain(token);
  });

  it('refuse anything of another shape: 42 or 44 characters, padding, the other base64 alphabet, space, unicode', () => {
    const { token } = newLinkToken();
    expect(isLinkTokenShape(token.slice(0, 42))).toBe(false);
    expect(isLinkTokenShape(`${token}A`)).toBe(false);
    expect(isLinkTokenShape('')).toBe(false);
    for (const bad of ['+', '/', '=', ' ', '.', 'æ', '\u0000']) {
      expect(isLinkTokenShape(`${token.slice(0, 42)}${bad}`), JSON.stringify(bad)).toBe(false);
    }
    expect(isLinkTokenShape(`${token.slice(0, 41)}==`)).toBe(false);
    expect(isLinkTokenShape(`${token}\n`)).toBe(false);
    expect(isLinkTokenShape(`\n${token}`)).toBe(false);
  });
});
