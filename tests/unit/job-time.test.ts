import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDateTime } from '@/lib/format';
import {
  milestoneTimeError,
  parseDanishLocal,
  readDanishLocal,
  toDanishLocal,
} from '@/lib/orders/job-time';
import {
  milestoneKinds,
  openMilestones,
  recordedMilestones,
  TIME_ERROR,
} from '@/lib/orders/step-words';

/** Tidspunkt read as Danish time (lib/orders/job-time.ts), whatever zone the process runs in. */
const iso = (v: string) => parseDanishLocal(v)?.toISOString() ?? null;

describe('parseDanishLocal', () => {
  it('reads a datetime-local value as Copenhagen wall time, winter and summer', () => {
    expect(iso('2026-01-15T10:30')).toBe('2026-01-15T09:30:00.000Z'); // CET, +01:00
    expect(iso('2026-07-15T10:30')).toBe('2026-07-15T08:30:00.000Z'); // CEST, +02:00
    expect(iso('2026-07-15T10:30:45')).toBe('2026-07-15T08:30:45.000Z');
    expect(iso('2026-07-15T10:30:45.5')).toBe('2026-07-15T08:30:45.500Z');
    expect(iso(' 2026-07-15T10:30 ')).toBe('2026-07-15T08:30:00.000Z');
    expect(iso('2026-12-31T23:59')).toBe('2026-12-31T22:59:00.000Z');
    expect(iso('2028-02-29T00:00')).toBe('2028-02-28T23:00:00.000Z');
  });

  it('spring: the wall times of the skipped hour do not exist', () => {
    // 29 March 2026: 02:00 CET becomes 03:00 CEST.
    expect(iso('2026-03-29T01:59')).toBe('2026-03-29T00:59:00.000Z');
    expect(iso('2026-03-29T02:00')).toBeNull();
    expect(iso('2026-03-29T02:59')).toBeNull();
    expect(iso('2026-03-29T03:00')).toBe('2026-03-29T01:00:00.000Z');
    expect(readDanishLocal('2026-03-29T02:30')).toEqual({
      ok: false,
      error: TIME_ERROR.nonexistent,
    });
  });

  it('autumn: the repeated hour is its first occurrence (still summer time)', () => {
    // 25 October 2026: 03:00 CEST becomes 02:00 CET; 02:00–02:59 happens twice.
    expect(iso('2026-10-25T01:59')).toBe('2026-10-24T23:59:00.000Z');
    expect(iso('2026-10-25T02:00')).toBe('2026-10-25T00:00:00.000Z');
    expect(iso('2026-10-25T02:30')).toBe('2026-10-25T00:30:00.000Z');
    expect(iso('2026-10-25T03:00')).toBe('2026-10-25T02:00:00.000Z');
  });

  it('reads nothing that is not a calendar time', () => {
    for (const v of [
      '',
      'i morgen',
      '2026-07-15',
      '2026-07-15 10:30',
      '2026-07-15T10:30Z',
      '2026-07-15T10:30+02:00',
      '2026-02-29T10:00',
      '2026-04-31T10:00',
      '2026-13-01T10:00',
      '2026-00-10T10:00',
      '2026-07-15T24:00',
      '2026-07-15T10:60',
      '2026-07-15T10:30:60',
      '0999-07-15T10:30',
      '+02026-07-15T10:30',
    ])
      expect(iso(v), v).toBeNull();
  });

  it('tells a missing Tidspunkt from one that cannot be read', () => {
    expect(readDanishLocal('   ')).toEqual({ ok: false, error: TIME_ERROR.missing });
    expect(readDanishLocal('15/7 kl. 10')).toEqual({ ok: false, error: TIME_ERROR.unreadable });
    expect(readDanishLocal('2026-07-15T10:30')).toEqual({
      ok: true,
      at: new Date('2026-07-15T08:30:00Z'),
    });
  });
});

describe('toDanishLocal', () => {
  it('gives the value a datetime-local shows, in Danish time', () => {
    expect(toDanishLocal(new Date('2026-01-15T09:30:59Z'))).toBe('2026-01-15T10:30');
    expect(toDanishLocal(new Date('2026-07-15T08:30:00Z'))).toBe('2026-07-15T10:30');
    expect(toDanishLocal(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01T00:30');
    // Both instants of the repeated autumn hour show 02:30; read back, it is the first.
    expect(toDanishLocal(new Date('2026-10-25T00:30:00Z'))).toBe('2026-10-25T02:30');
    expect(toDanishLocal(new Date('2026-10-25T01:30:00Z'))).toBe('2026-10-25T02:30');
  });

  it('is the inverse of parseDanishLocal to the minute (except the autumn hour’s second occurrence)', () => {
    const from = Date.UTC(2020, 0, 1);
    const to = Date.UTC(2035, 0, 1);
    fc.assert(
      fc.property(fc.integer({ min: from / 60_000, max: to / 60_000 }), (minute) => {
        const d = new Date(minute * 60_000);
        const back = parseDanishLocal(toDanishLocal(d))!;
        const diff = d.getTime() - back.getTime();
        // 0, or one hour for an instant in the repeated hour's second pass.
        expect([0, 3_600_000]).toContain(diff);
        expect(toDanishLocal(back)).toBe(toDanishLocal(d));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('milestoneTimeError', () => {
  const arrivedAt = new Date('2026-07-15T08:00:40Z'); // 10:00:40 Danish time
  const now = new Date('2026-07-20T12:00:30Z');
  const ctx = { now, arrivedAt };
  const at = (v: string) => parseDanishLocal(v);
  const done = milestoneKinds.filter((k) => k !== 'inspection_scheduled');

  it('requires a Tidspunkt for every milestone', () => {
    for (const kind of milestoneKinds) {
      expect(milestoneTimeError(kind, null, ctx)).toBe(TIME_ERROR.missing);
      expect(milestoneTimeError(kind, new Date(Number.NaN), ctx)).toBe(TIME_ERROR.unreadable);
    }
  });

  it('what happened lies at most 10 minutes ahead, to the minute', () => {
    for (const kind of done) {
      expect(milestoneTimeError(kind, now, ctx)).toBeNull();
      expect(milestoneTimeError(kind, at('2026-07-20T14:10'), ctx)).toBeNull(); // 12:10 UTC
      expect(milestoneTimeError(kind, at('2026-07-20T14:10:59'), ctx)).toBeNull();
      expect(milestoneTimeError(kind, at('2026-07-20T14:11'), ctx)).toBe(TIME_ERROR.tooFarAhead);
      expect(milestoneTimeError(kind, at('2026-07-21T09:00'), ctx)).toBe(TIME_ERROR.tooFarAhead);
      expect(milestoneTimeError(kind, at('2026-07-16T09:00'), ctx)).toBeNull();
    }
  });

  it('the appointment may lie ahead, but not years ahead', () => {
    expect(milestoneTimeError('inspection_scheduled', at('2026-07-27T09:00'), ctx)).toBeNull();
    expect(milestoneTimeError('inspection_scheduled', at('2027-06-01T09:00'), ctx)).toBeNull();
    expect(milestoneTimeError('inspection_scheduled', at('2026-07-16T09:00'), ctx)).toBeNull();
    expect(milestoneTimeError('inspection_scheduled', at('2030-01-01T09:00'), ctx)).toBe(
      TIME_ERROR.inspectionTooFarAhead,
    );
  });

  it('nothing lies before the case arrived; the minute it arrived is not before it', () => {
    const before = TIME_ERROR.beforeArrival(formatDateTime(arrivedAt));
    for (const kind of milestoneKinds) {
      expect(milestoneTimeError(kind, at('2026-07-15T09:59'), ctx)).toBe(before);
      expect(milestoneTimeError(kind, at('2026-07-14T12:00'), ctx)).toBe(before);
      // The dialog's prefilled "now" in the minute the case arrived (10:00, before 10:00:40).
      expect(milestoneTimeError(kind, at('2026-07-15T10:00'), ctx)).toBeNull();
      expect(milestoneTimeError(kind, arrivedAt, ctx)).toBeNull();
    }
    expect(before).toMatch(/^Tidspunktet ligger før sagen kom ind \(15\.07\.2026,? 10\.00\)\.$/);
  });
});

describe('the open milestone buttons', () => {
  const steps = (...kinds: Parameters<typeof recordedMilestones>[0][number]['kind'][]) =>
    kinds.map((kind) => ({ kind }));

  it('are all four on a new order, none on a draft, a rejected or a closed one', () => {
    expect(openMilestones('new', steps('approved'))).toEqual([...milestoneKinds]);
    for (const status of ['draft', 'rejected', 'closed'] as const)
      expect(openMilestones(status, steps('approved'))).toEqual([]);
  });

  it('close each milestone once it is recorded, except Besigtigelse aftalt', () => {
    const s = steps('approved', 'customer_contacted', 'inspection_scheduled', 'work_started');
    expect(recordedMilestones(s)).toEqual([
      'customer_contacted',
      'inspection_scheduled',
      'work_started',
    ]);
    expect(openMilestones('in_progress', s)).toEqual(['inspection_scheduled', 'work_completed']);
  });

  it('count from the last Genåbn', () => {
    const s = steps(
      'approved',
      'customer_contacted',
      'work_started',
      'work_completed',
      'reopened',
      'inspection_scheduled',
    );
    expect(recordedMilestones(s)).toEqual(['inspection_scheduled']);
    expect(openMilestones('in_progress', s)).toEqual([...milestoneKinds]);
  });
});
