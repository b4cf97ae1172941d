import { formatDateTime } from '@/lib/format';
import { TIME_ERROR, type MilestoneKind } from './step-words';

/**
 * A milestone's Tidspunkt (docs/drafts.md, "After Godkend: the job"): the dialog's
 * `<input type="datetime-local">` gives a wall time without a zone, read as Danish time
 * (Europe/Copenhagen) whatever the browser's or the server's zone. Pure: the dialog and the
 * action (lib/orders/job-actions.ts) check with the same rules.
 */

const ZONE = 'Europe/Copenhagen';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const wall = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export type Wall = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
};

/** The Danish calendar day and clock of the instant `t` (also the deadlines' rules). */
export function wallParts(t: number): Wall {
  const p = Object.fromEntries(
    wall.formatToParts(new Date(t)).map((x) => [x.type, x.value]),
  ) as Record<string, string>;
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
  };
}

/** The Danish wall time of the instant `t`, as the UTC milliseconds of the same digits. */
function wallOf(t: number): number {
  const w = wallParts(t);
  const ms = ((t % 1000) + 1000) % 1000;
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, ms);
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

/** The digits of a datetime-local value as UTC milliseconds; null when they are no calendar time. */
function wallDigits(value: string): number | null {
  const m = LOCAL.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1, 6).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = m[6] ? Number(m[6]) : 0;
  const ms = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
  if (year < 1000 || hour > 23 || minute > 59 || second > 59) return null;
  const t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const d = new Date(t);
  // 31 February rolls over into March: not a date.
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return t;
}

/** The instant a Danish wall time names; the first when the autumn hour repeats; null in the spring gap. */
function instantOf(w: number): number | null {
  // The zone's offsets around that wall time (Denmark changes at most twice a year, never twice in 36 hours).
  const offsets = new Set([w - 36 * HOUR, w, w + 36 * HOUR].map((t) => wallOf(t) - t));
  const found = [...offsets].map((o) => w - o).filter((t) => wallOf(t) === w);
  return found.length ? Math.min(...found) : null;
}

/**
 * A datetime-local value `YYYY-MM-DDTHH:mm` (seconds optional) read as Danish time, DST-correct: a
 * wall time that does not exist (the spring night's 02:00–02:59) is null; the repeated autumn hour
 * is its first occurrence (summer time). Anything that is not such a value is null.
 */
export function parseDanishLocal(value: string): Date | null {
  const w = wallDigits(value);
  if (w === null) return null;
  const t = instantOf(w);
  return t === null ? null : new Date(t);
}

/** The instant as a datetime-local value in Danish time (`YYYY-MM-DDTHH:mm`), to fill the field. */
export function toDanishLocal(d: Date): string {
  const w = wallParts(d.getTime());
  const two = (n: number) => String(n).padStart(2, '0');
  return `${String(w.year).padStart(4, '0')}-${two(w.month)}-${two(w.day)}T${two(w.hour)}:${two(w.minute)}`;
}

/** A Tidspunkt as typed: its instant, or the field error that says why it cannot be read. */
export function readDanishLocal(
  value: string,
): { ok: true; at: Date } | { ok: false; error: string } {
  if (value.trim() === '') return { ok: false, error: TIME_ERROR.missing };
  const w = wallDigits(value);
  if (w === null) return { ok: false, error: TIME_ERROR.unreadable };
  const t = instantOf(w);
  if (t === null) return { ok: false, error: TIME_ERROR.nonexistent };
  return { ok: true, at: new Date(t) };
}

const minuteOf = (d: Date) => Math.floor(d.getTime() / MINUTE);
/** How far ahead Besigtigelse aftalt may lie: an appointment, not a typo's year. */
const INSPECTION_AHEAD_DAYS = 731;

/**
 * The rule of a milestone's Tidspunkt (null when it holds), compared at minute precision (the
 * field has minutes; a prefilled "now" in the minute the case arrived is not before it):
 * - every milestone: required, and not before the case arrived (`arrivedAt`: orders.created_at);
 * - Besigtigelse aftalt: the appointment, so it may lie ahead (at most two years);
 * - the others: when it happened, so at most 10 minutes after `now`.
 */
export function milestoneTimeError(
  kind: MilestoneKind,
  at: Date | null,
  { now, arrivedAt }: { now: Date; arrivedAt: Date },
): string | null {
  if (!at) return TIME_ERROR.missing;
  if (Number.isNaN(at.getTime())) return TIME_ERROR.unreadable;
  if (minuteOf(at) < minuteOf(arrivedAt))
    return TIME_ERROR.beforeArrival(formatDateTime(arrivedAt));
  if (kind === 'inspection_scheduled') {
    return minuteOf(at) - minuteOf(now) > INSPECTION_AHEAD_DAYS * 24 * 60
      ? TIME_ERROR.inspectionTooFarAhead
      : null;
  }
  return minuteOf(at) - minuteOf(now) > 10 ? TIME_ERROR.tooFarAhead : null;
}
