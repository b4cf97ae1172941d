/**
 * The rules of a case's deadlines (docs/deadlines.md). Pure — no database, no React — so the
 * lists, Forløb, the morning mail and the tests read them from one place.
 *
 * - A deadline is a number of elapsed hours after Oprettet (orders.created_at): plain instant
 *   arithmetic, so 24 hours from 20.00 the evening before summer time begins end at 21.00 the
 *   next evening on the Danish clock.
 * - Three clocks: contact (stopped by Kunde kontaktet, at its Tidspunkt), visit (stopped when
 *   Besigtigelse aftalt is first recorded, whatever the appointment's Tidspunkt) and the work
 *   (due at the event's service.endDate, stopped by Arbejde færdigt at its Tidspunkt; Genåbn
 *   starts it again).
 * - A clock is open while it runs and the case is a draft, Ny or I gang and not Sag lukket hos
 *   Scalepoint; the database keeps the earliest open one as orders.deadline_at (migration 0020).
 */

import { wallParts } from '@/lib/orders/job-time';

export const DEADLINE_DEFAULTS = { contactHours: 24, inspectionHours: 72 } as const;
/** The hours the Frister form takes (the settings table's checks are the same). */
export const DEADLINE_LIMITS = {
  contactHours: { min: 1, max: 168 },
  inspectionHours: { min: 1, max: 720 },
} as const;

const HOUR = 3_600_000;

/** `hours` elapsed hours after `from`. */
export function dueAfter(from: Date, hours: number): Date {
  return new Date(from.getTime() + hours * HOUR);
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * When the work is due from the event's `service.endDate`: a time as given; a date without a
 * time (`2026-12-20`) is that whole Danish day, so due at the next midnight in Danish time. Our
 * reading: Scalepoint's pages name the field, not its format. Null when absent or unreadable.
 */
export function workDueAt(endDate: string | null | undefined): Date | null {
  if (!endDate) return null;
  const day = DATE_ONLY.exec(endDate.trim());
  if (day) {
    const [y, m, d] = day.slice(1).map(Number) as [number, number, number];
    const check = new Date(Date.UTC(y, m - 1, d));
    if (check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return null;
    return danishMidnight(y, m - 1, d + 1);
  }
  const t = Date.parse(endDate);
  return Number.isNaN(t) ? null : new Date(t);
}

/** The Danish calendar day (`YYYY-MM-DD`) and clock of an instant. */
export function danishClock(at: Date): { day: string; hour: number; minute: number } {
  const w = wallParts(at.getTime());
  const two = (n: number) => String(n).padStart(2, '0');
  return {
    day: `${String(w.year).padStart(4, '0')}-${two(w.month)}-${two(w.day)}`,
    hour: w.hour,
    minute: w.minute,
  };
}

/** 00:00 Danish time of the given calendar day (month 0-based; a day past the month's end rolls over). */
function danishMidnight(year: number, month: number, day: number): Date {
  const utc = Date.UTC(year, month, day);
  // Midnight in Denmark is 23:00 or 22:00 UTC the day before; never in a DST gap (changes are at 02:00/03:00).
  for (const offset of [1, 2]) {
    const t = utc - offset * HOUR;
    const c = danishClock(new Date(t));
    if (c.hour === 0 && c.minute === 0) return new Date(t);
  }
  return new Date(utc - HOUR);
}

export const clockKinds = ['contact', 'inspection', 'work'] as const;
export type ClockKind = (typeof clockKinds)[number];

/** The columns of an order that its clocks are read from. */
export type ClockColumns = {
  status: string;
  scalepointClosedAt: Date | null;
  contactDueAt: Date | null;
  inspectionDueAt: Date | null;
  workDueAt: Date | null;
  contactStoppedAt: Date | null;
  inspectionStoppedAt: Date | null;
  workStoppedAt: Date | null;
};

/**
 * One clock as Forløb shows it: `open` (running, `overdue` once passed), `met` / `missed` once
 * stopped (Overholdt / Overskredet: stopped at or before the deadline, or after it).
 */
export type Clock =
  | { kind: ClockKind; dueAt: Date; state: 'open'; overdue: boolean }
  | { kind: ClockKind; dueAt: Date; state: 'met' | 'missed'; stoppedAt: Date };

/** Whether a case of this status can have an open deadline. */
export function clocksRun(c: Pick<ClockColumns, 'status' | 'scalepointClosedAt'>): boolean {
  return ['draft', 'new', 'in_progress'].includes(c.status) && !c.scalepointClosedAt;
}

/**
 * The case's clocks: each one it has, stopped (met or missed) or open; a clock that has not
 * stopped on a case that is Afvist, Afsluttet or Sag lukket hos Scalepoint is left out (no open
 * deadline). Empty for a case without clocks.
 */
export function clocksOf(c: ClockColumns, now: Date): Clock[] {
  const runs = clocksRun(c);
  const clocks: Clock[] = [];
  for (const [kind, dueAt, stoppedAt] of eachClock(c)) {
    if (!dueAt) continue;
    if (stoppedAt)
      clocks.push({
        kind,
        dueAt,
        state: stoppedAt.getTime() <= dueAt.getTime() ? 'met' : 'missed',
        stoppedAt,
      });
    else if (runs)
      clocks.push({ kind, dueAt, state: 'open', overdue: dueAt.getTime() < now.getTime() });
  }
  return clocks;
}

/** The case's three clocks in their order: kind, deadline, when it stopped. */
function eachClock(c: ClockColumns): [ClockKind, Date | null, Date | null][] {
  return [
    ['contact', c.contactDueAt, c.contactStoppedAt],
    ['inspection', c.inspectionDueAt, c.inspectionStoppedAt],
    ['work', c.workDueAt, c.workStoppedAt],
  ];
}

/** The open clock with the earliest deadline (the first in order on a tie), or null. */
export function earliestOpenClock(c: ClockColumns): { kind: ClockKind; dueAt: Date } | null {
  if (!clocksRun(c)) return null;
  let first: { kind: ClockKind; dueAt: Date } | null = null;
  for (const [kind, dueAt, stoppedAt] of eachClock(c))
    if (dueAt && !stoppedAt && (!first || dueAt.getTime() < first.dueAt.getTime()))
      first = { kind, dueAt };
  return first;
}

/** The earliest open deadline, as orders.deadline_at computes it (migration 0020). */
export const earliestOpen = (c: ClockColumns): Date | null => earliestOpenClock(c)?.dueAt ?? null;

/** A Frist passed at `now`: Overskredet. */
export const isOverdue = (deadlineAt: Date | null, now: Date) =>
  !!deadlineAt && deadlineAt.getTime() < now.getTime();

/** The morning mail goes out from 07:00 Danish time, once per Danish day. */
export const LATE_MAIL_HOUR = 7;

/**
 * 07:00 Danish time on the Danish day of `at` (the clock never changes between 03:00 and the
 * evening, so this is `at` less its Danish hours, minutes and seconds past seven). The morning
 * mail lists what was overdue at that moment: a case that passes its Frist later in the day is in
 * tomorrow's mail, even when the mail itself goes out late (a server that was down at 07:00).
 */
export function lateMailMorning(at: Date): Date {
  const c = danishClock(at);
  const pastSeven = ((c.hour - LATE_MAIL_HOUR) * 60 + c.minute) * 60_000 + (at.getTime() % 60_000);
  return new Date(at.getTime() - pastSeven);
}
