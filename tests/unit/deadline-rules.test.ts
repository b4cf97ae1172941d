import { describe, expect, it } from 'vitest';
import { formatDateTime } from '@/lib/format';
import {
  clocksOf,
  danishClock,
  dueAfter,
  earliestOpen,
  lateMailMorning,
  isOverdue,
  workDueAt,
  type ClockColumns,
} from '@/lib/scalepoint/deadlines/rules';
import { deadlinesSchema } from '@/lib/scalepoint/deadlines/schema';
import { DEADLINE_ANSWER } from '@/lib/scalepoint/deadlines/words';

/** The rules of docs/deadlines.md, in Danish time whatever zone the process runs in. */

const at = (iso: string) => new Date(iso);
const H = 3_600_000;

describe('dueAfter: elapsed hours from Oprettet', () => {
  it('24 hours from 20.00 the evening before summer time begins end at 21.00 the next evening', () => {
    // 2027-03-28 02:00 CET becomes 03:00 CEST. 20.00 CET on the 27th is 19:00Z.
    const created = at('2027-03-27T19:00:00Z');
    expect(formatDateTime(created)).toBe('27.03.2027, 20.00');
    const due = dueAfter(created, 24);
    expect(due.getTime() - created.getTime()).toBe(24 * H);
    expect(formatDateTime(due)).toBe('28.03.2027, 21.00');
  });

  it('24 hours from 20.00 the evening before summer time ends end at 19.00 the next evening', () => {
    // 2027-10-31 03:00 CEST becomes 02:00 CET. 20.00 CEST on the 30th is 18:00Z.
    const created = at('2027-10-30T18:00:00Z');
    expect(formatDateTime(created)).toBe('30.10.2027, 20.00');
    expect(formatDateTime(dueAfter(created, 24))).toBe('31.10.2027, 19.00');
  });

  it('72 hours across a change are 72 elapsed hours', () => {
    const created = at('2027-03-26T09:30:00Z');
    expect(dueAfter(created, 72).getTime() - created.getTime()).toBe(72 * H);
  });
});

describe('workDueAt: service.endDate', () => {
  it('a date alone is the whole Danish day: due at the next Danish midnight', () => {
    expect(workDueAt('2026-12-20')?.toISOString()).toBe('2026-12-20T23:00:00.000Z');
    // Summer: midnight is 22:00Z.
    expect(workDueAt('2027-06-15')?.toISOString()).toBe('2027-06-15T22:00:00.000Z');
    // The day summer time begins: the next midnight is in summer time.
    expect(workDueAt('2027-03-28')?.toISOString()).toBe('2027-03-28T22:00:00.000Z');
    // The last of a month rolls into the next.
    expect(workDueAt('2026-12-31')?.toISOString()).toBe('2026-12-31T23:00:00.000Z');
  });

  it('a time is taken as given', () => {
    expect(workDueAt('2026-12-20T12:00:00Z')?.toISOString()).toBe('2026-12-20T12:00:00.000Z');
    expect(workDueAt('2026-12-20T12:00:00+01:00')?.toISOString()).toBe('2026-12-20T11:00:00.000Z');
  });

  it('absent or unreadable is no work deadline', () => {
    expect(workDueAt(undefined)).toBeNull();
    expect(workDueAt('')).toBeNull();
    expect(workDueAt('snart')).toBeNull();
    expect(workDueAt('2026-02-31')).toBeNull();
  });
});

describe('danishClock', () => {
  it('07:00 in Copenhagen is 06:00Z in winter and 05:00Z in summer', () => {
    expect(danishClock(at('2026-12-08T06:00:00Z'))).toEqual({
      day: '2026-12-08',
      hour: 7,
      minute: 0,
    });
    expect(danishClock(at('2027-06-15T05:00:00Z'))).toEqual({
      day: '2027-06-15',
      hour: 7,
      minute: 0,
    });
    // 23:30Z on 31 December is already New Year's Day in Denmark.
    expect(danishClock(at('2026-12-31T23:30:00Z')).day).toBe('2027-01-01');
  });
});

describe('lateMailMorning', () => {
  it('is 07:00 Danish time of the same Danish day, winter and summer', () => {
    expect(lateMailMorning(at('2026-12-08T13:45:12.345Z')).toISOString()).toBe(
      '2026-12-08T06:00:00.000Z',
    );
    expect(lateMailMorning(at('2027-06-15T05:00:00Z')).toISOString()).toBe(
      '2027-06-15T05:00:00.000Z',
    );
    // The evening of the day summer time began.
    expect(lateMailMorning(at('2027-03-28T20:00:00Z')).toISOString()).toBe(
      '2027-03-28T05:00:00.000Z',
    );
  });
});

const created = at('2026-12-01T09:00:00Z');
const base: ClockColumns = {
  status: 'draft',
  scalepointClosedAt: null,
  contactDueAt: dueAfter(created, 24),
  inspectionDueAt: dueAfter(created, 72),
  workDueAt: null,
  contactStoppedAt: null,
  inspectionStoppedAt: null,
  workStoppedAt: null,
};

describe('clocksOf and earliestOpen', () => {
  it('a new case: both clocks open, the contact deadline first, overdue once passed', () => {
    const before = at('2026-12-01T12:00:00Z');
    expect(clocksOf(base, before).map((c) => [c.kind, c.state])).toEqual([
      ['contact', 'open'],
      ['inspection', 'open'],
    ]);
    expect(earliestOpen(base)).toEqual(base.contactDueAt);
    expect(isOverdue(earliestOpen(base), before)).toBe(false);
    const after = at('2026-12-02T09:00:01Z');
    expect(clocksOf(base, after)[0]).toMatchObject({ kind: 'contact', overdue: true });
    expect(isOverdue(earliestOpen(base), after)).toBe(true);
  });

  it('Kunde kontaktet before the deadline is Overholdt, after it Overskredet; the visit is then the Frist', () => {
    const met = { ...base, status: 'new', contactStoppedAt: at('2026-12-02T08:59:00Z') };
    expect(clocksOf(met, at('2026-12-03T00:00:00Z'))[0]).toMatchObject({ state: 'met' });
    expect(earliestOpen(met)).toEqual(base.inspectionDueAt);
    const late = { ...met, contactStoppedAt: at('2026-12-02T09:00:01Z') };
    expect(clocksOf(late, at('2026-12-03T00:00:00Z'))[0]).toMatchObject({ state: 'missed' });
    // Exactly at the deadline is in time.
    const onTime = { ...met, contactStoppedAt: at('2026-12-02T09:00:00Z') };
    expect(clocksOf(onTime, at('2026-12-03T00:00:00Z'))[0]).toMatchObject({ state: 'met' });
  });

  it('the work clock runs to service.endDate until Arbejde færdigt', () => {
    const work = {
      ...base,
      status: 'in_progress',
      contactStoppedAt: at('2026-12-01T10:00:00Z'),
      inspectionStoppedAt: at('2026-12-01T11:00:00Z'),
      workDueAt: at('2026-12-10T23:00:00Z'),
    };
    expect(earliestOpen(work)).toEqual(work.workDueAt);
    const done = { ...work, status: 'closed', workStoppedAt: at('2026-12-09T15:00:00Z') };
    expect(earliestOpen(done)).toBeNull();
    expect(clocksOf(done, at('2026-12-20T00:00:00Z')).map((c) => c.state)).toEqual([
      'met',
      'met',
      'met',
    ]);
  });

  it('Afvist, Afsluttet and Sag lukket hos Scalepoint have no open deadline; a stopped clock still says how it went', () => {
    const now = at('2026-12-05T00:00:00Z');
    for (const c of [
      { ...base, status: 'rejected' },
      { ...base, status: 'closed' },
      { ...base, scalepointClosedAt: at('2026-12-01T10:00:00Z') },
    ]) {
      expect(earliestOpen(c)).toBeNull();
      expect(clocksOf(c, now)).toEqual([]);
    }
    const closed = { ...base, status: 'closed', contactStoppedAt: at('2026-12-03T00:00:00Z') };
    expect(clocksOf(closed, now)).toEqual([
      expect.objectContaining({ kind: 'contact', state: 'missed' }),
    ]);
  });

  it('a case without clocks (from before Frister, or not from Scalepoint) has none', () => {
    const none = { ...base, contactDueAt: null, inspectionDueAt: null };
    expect(earliestOpen(none)).toBeNull();
    expect(clocksOf(none, created)).toEqual([]);
  });
});

describe('deadlinesSchema', () => {
  it('takes whole hours within the limits, as the form posts them', () => {
    expect(deadlinesSchema.parse({ contactHours: '24', inspectionHours: '72' })).toEqual({
      contactHours: 24,
      inspectionHours: 72,
    });
    expect(deadlinesSchema.parse({ contactHours: 168, inspectionHours: 720 })).toEqual({
      contactHours: 168,
      inspectionHours: 720,
    });
  });

  it('refuses what is outside them, in Danish', () => {
    for (const [contactHours, inspectionHours] of [
      ['0', '72'],
      ['169', '72'],
      ['1.5', '72'],
      ['abc', '72'],
      ['', '72'],
      ['24', '721'],
      ['24', '0'],
    ]) {
      const r = deadlinesSchema.safeParse({ contactHours, inspectionHours });
      expect(r.success).toBe(false);
      const messages = r.error!.issues.map((i) => i.message);
      expect(messages).toContain(
        contactHours === '24' ? DEADLINE_ANSWER.hours(1, 720) : DEADLINE_ANSWER.hours(1, 168),
      );
    }
  });
});
