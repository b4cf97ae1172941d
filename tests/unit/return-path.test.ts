import { describe, expect, it } from 'vitest';
import { returnPath } from '@/lib/auth/return-path';
import {
  SECOND_STEP_MS,
  sessionState,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
  SETUP_STEP_MS,
} from '@/lib/auth/sessions';

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
  it('owes its code for 5 minutes after the password, then counts as ended', () => {
    const waiting = { ...row(SECOND_STEP_MS - 1, 0), secondStep: 'code' as const };
    expect(sessionState(waiting, at)).toEqual({ open: false, reason: 'second_step', step: 'code' });
    expect(sessionState({ ...row(SECOND_STEP_MS, 0), secondStep: 'code' as const }, at)).toEqual({
      open: false,
      reason: 'second_step_expired',
    });
  });
  it("a support user's setup waits 15 minutes", () => {
    const setup = (age: number) => ({ ...row(age, 0), secondStep: 'setup' as const });
    expect(sessionState(setup(SECOND_STEP_MS + 1), at)).toEqual({
      open: false,
      reason: 'second_step',
      step: 'setup',
    });
    expect(sessionState(setup(SETUP_STEP_MS), at)).toEqual({
      open: false,
      reason: 'second_step_expired',
    });
  });
  it('an ended row stays ended whatever step it owed', () =>
    expect(sessionState({ ...row(0, 0, at), secondStep: 'code' as const }, at)).toEqual({
      open: false,
      reason: 'ended',
    }));
});
