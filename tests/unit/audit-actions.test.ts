import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { writeAudit, writeCommandAudit } from '@/lib/audit';
import {
  AUDIT_ACTIONS,
  auditDescription,
  checkAuditDetails,
  readAudit,
  type AuditAction,
} from '@/lib/audit-actions';
import type { Actor } from '@/lib/auth/actor';

const actions = Object.keys(AUDIT_ACTIONS) as AuditAction[];
const orderId = '3f0c2a9e-8d4b-4c7a-9e1f-2b6d5a4c3e21';
const admin: Actor = {
  userId: 'u1',
  email: 'a@firma.dk',
  name: 'Anne',
  role: 'admin',
  companyId: 'c1',
  companyName: 'Firma',
};

/** A transaction that records what would be inserted. */
function recordingTx() {
  const values = vi.fn<(row: Record<string, unknown>) => Promise<void>>(async () => {});
  return { tx: { insert: () => ({ values }) } as unknown as Db, values };
}

describe('the audit catalogue (lib/audit-actions.ts)', () => {
  it('gives every action a Danish description, each its own, and a details schema', () => {
    const descriptions = actions.map((a) => AUDIT_ACTIONS[a].description);
    for (const d of descriptions) expect(d).toMatch(/^[A-ZÆØÅ][^.]*$/);
    expect(new Set(descriptions).size).toBe(descriptions.length);
    for (const a of actions) expect(AUDIT_ACTIONS[a].details, a).toBeInstanceOf(z.ZodObject);
  });
  it('names actions as <area>.<what>', () => {
    for (const action of actions) expect(action).toMatch(/^[a-z_]+\.[a-z_]+$/);
  });
  it('names no secret among any action’s details: a Scalepoint secret is only its last four', () => {
    // A key that names a secret is a yes/no about it (secretChanged) or the last four; never the value.
    for (const a of actions)
      for (const [key, schema] of Object.entries(AUDIT_ACTIONS[a].details.shape))
        if (/secret|password|token|private|link|code$/i.test(key))
          expect(key === 'secretLast4' || schema instanceof z.ZodBoolean, `${a}.${key}`).toBe(true);
    const stored = {
      accountId: 'acc',
      secretLast4: 'abcd',
      replaced: false,
      secretChanged: true,
    } as const;
    expect(() => checkAuditDetails('scalepoint.credentials_stored', stored)).not.toThrow();
    expect(() =>
      checkAuditDetails('scalepoint.credentials_stored', {
        ...stored,
        secretLast4: 'whole-secret',
      }),
    ).toThrow(/secretLast4/);
  });
  it('never shows a raw code: a retired action reads as an unknown change', () => {
    expect(auditDescription('user.two_factor_reset')).toBe('To-trinsbekræftelse nulstillet');
    expect(auditDescription('order.approve')).toBe('Godkendt');
    expect(auditDescription('user.gone_action')).toBe('Ændring (ukendt handling)');
    expect(auditDescription('toString')).toBe('Ændring (ukendt handling)');
  });
});

describe('writing an audit row', () => {
  it('writes details that fit the action’s schema', async () => {
    const { tx, values } = recordingTx();
    await writeAudit(tx, admin, 'c1', 'order.approve', { orderId, orderNumber: 7 });
    expect(values).toHaveBeenCalledWith({
      companyId: 'c1',
      actorUserId: 'u1',
      actorRole: 'admin',
      action: 'order.approve',
      details: { orderId, orderNumber: 7 },
    });
  });
  it('refuses details that do not fit — a missing, a mistyped or an unnamed key — before any insert', async () => {
    const { tx, values } = recordingTx();
    const wrong = [
      ['order.approve', { orderId }],
      ['order.approve', { orderId, orderNumber: '7' }],
      ['order.restore', { orderId: 'not-a-uuid' }],
      ['user.invited', { userId: 'u2', email: 'b@firma.dk', role: 'member', password: 'x' }],
      ['company.deactivated', { note: 'x' }],
    ] as const;
    for (const [action, details] of wrong)
      await expect(writeAudit(tx, admin, 'c1', action, details as never), action).rejects.toThrow(
        `Audit details of ${action} do not match its schema`,
      );
    await expect(
      writeCommandAudit(tx, 'user.two_factor_reset', { userId: 'u2' } as never),
    ).rejects.toThrow(/email/);
    expect(values).not.toHaveBeenCalled();
  });
  it('names the keys in its refusal, never their values', () => {
    expect(() =>
      checkAuditDetails('user.invited', {
        userId: 'u2',
        email: 'b@firma.dk',
        role: 'member',
        token: 'hemmelig-værdi',
      } as never),
    ).toThrow(/^(?!.*hemmelig-værdi).*token/);
  });
});

describe('reading a stored row', () => {
  it('types a row that fits its action’s schema, and forgives a key the schema no longer names', () => {
    expect(readAudit('order.reject', { orderId, reason: 'Dublet' })).toEqual({
      action: 'order.reject',
      details: { orderId, reason: 'Dublet' },
    });
    expect(readAudit('order.restore', { orderId, retired: 1 })?.action).toBe('order.restore');
  });
  it('answers null for a retired action or details that no longer fit, so the page shows the description alone', () => {
    expect(readAudit('user.gone_action', {})).toBeNull();
    expect(readAudit('toString', {})).toBeNull();
    // The first replay rows said status, not outcome (lib/scalepoint/deliveries.ts of old).
    expect(readAudit('scalepoint.delivery_replayed', { deliveryId: 'd1', status: 201 })).toBeNull();
    expect(readAudit('order.approve', null)).toBeNull();
    expect(readAudit('order.approve', 'odd')).toBeNull();
    expect(auditDescription('user.gone_action')).toBe('Ændring (ukendt handling)');
  });
});
