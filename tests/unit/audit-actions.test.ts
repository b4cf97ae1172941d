import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, auditDescription } from '@/lib/audit-actions';

describe('the audit catalogue (lib/audit-actions.ts)', () => {
  it('gives every action a Danish description, each its own', () => {
    const descriptions = Object.values(AUDIT_ACTIONS);
    for (const d of descriptions) expect(d).toMatch(/^[A-ZÆØÅ][^.]*$/);
    expect(new Set(descriptions).size).toBe(descriptions.length);
  });
  it('names actions as <area>.<what>', () => {
    for (const action of Object.keys(AUDIT_ACTIONS)) expect(action).toMatch(/^[a-z_]+\.[a-z_]+$/);
  });
  it('never shows a raw code: a retired action reads as an unknown change', () => {
    expect(auditDescription('user.two_factor_reset')).toBe('To-trinsbekræftelse nulstillet');
    expect(auditDescription('user.gone_action')).toBe('Ændring (ukendt handling)');
    expect(auditDescription('toString')).toBe('Ændring (ukendt handling)');
  });
});
