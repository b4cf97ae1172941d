import { describe, expect, it } from 'vitest';
import { returnPath } from '@/lib/auth/return-path';
import { sessionState, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '@/lib/auth/sessions';

describe('returnPath: only a page of this site', () => {
  it.each(['/customers', '/orders/drafts?status=all&page=2', '/admin/users/1b2c'])(
    'keeps %s',
    (p) => expect(returnPath(p)).toBe(p),
  );
  it.each([
    'https://evil.example/',
    '//evil.example/x',
    '/\\evil.example',
    'customers',
    '/login?callbackUrl=/x',
    '/password/reset/abc',
    '/invitation/abc',
    '/api/auth/signout',
    '/x\nSet-Cookie: a=b',
    '',
    null,
    `/${'a'.repeat(1001)}`,
  ])('refuses %j', (p) => expect(returnPath(p)).toBeNull());
});

describe('sessionState', () => {
  const at = new Date('2026-12-07T08:00:00Z');
  const row = (created: number, seen: number, ended: Date | null = null) => ({
    createdAt: new Date(at.getTime() - created),
    lastSeenAt: new Date(at.getTime() - seen),
    endedAt: ended,
  });
  it('is open under both limits', () =>
    expect(sessionState(row(1000, 1000), at)).toEqual({ open: true }));
  it('ends at exactly 12 hours', () =>
    expect(sessionState(row(SESSION_ABSOLUTE_MS, 0), at)).toEqual({
      open: false,
      reason: 'expired',
    }));
  it('ends at exactly an idle hour', () =>
    expect(sessionState(row(2 * SESSION_IDLE_MS, SESSION_IDLE_MS), at)).toEqual({
      open: false,
      reason: 'idle',
    }));
  it('an ended row stays ended', () =>
    expect(sessionState(row(0, 0, at), at)).toEqual({ open: false, reason: 'ended' }));
});
