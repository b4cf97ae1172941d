import type { OrderStatus } from '@/db/schema/orders';
import type { OrderStepKind } from '@/db/schema/order-steps';

/**
 * The words of a case's steps after it arrived (docs/drafts.md, "After Godkend: the job"): the
 * kinds, their labels in Forløb, the milestone buttons, and every answer and field error of the
 * job's actions (lib/orders/job-actions.ts). No server imports: client components use it.
 */

export const stepKinds = [
  'approved',
  'rejected',
  'restored',
  'customer_contacted',
  'inspection_scheduled',
  'work_started',
  'work_completed',
  'reopened',
] as const satisfies readonly OrderStepKind[];
export type StepKind = (typeof stepKinds)[number];
/** The table's kinds (db/schema/order-steps.ts) and these are the same: a kind missing here is a type error. */
export const stepKindsMatchTable: [OrderStepKind] extends [StepKind] ? true : never = true;

/** The steps an admin or member records on an order with status Ny or I gang. */
export const milestoneKinds = [
  'customer_contacted',
  'inspection_scheduled',
  'work_started',
  'work_completed',
] as const satisfies readonly StepKind[];
export type MilestoneKind = (typeof milestoneKinds)[number];

export function isMilestone(kind: StepKind): kind is MilestoneKind {
  return (milestoneKinds as readonly StepKind[]).includes(kind);
}

/** A step as Forløb names it. */
export const stepLabel: Record<StepKind, string> = {
  approved: 'Godkendt',
  rejected: 'Afvist',
  restored: 'Gendannet',
  customer_contacted: 'Kunde kontaktet',
  inspection_scheduled: 'Besigtigelse aftalt',
  work_started: 'Arbejde startet',
  work_completed: 'Arbejde færdigt',
  reopened: 'Genåbnet',
};

/** The buttons in Forløb, each opening its dialog (Tidspunkt, Bemærkning, Gem). */
export const milestoneButton: Record<MilestoneKind, string> = {
  customer_contacted: 'Kunde kontaktet',
  inspection_scheduled: 'Besigtigelse aftalt',
  work_started: 'Arbejde startet',
  work_completed: 'Arbejde færdigt',
};

/** Genåbn: an admin's button on an Afsluttet order. */
export const REOPEN_BUTTON = 'Genåbn';

/** What the dialog's Tidspunkt means for each milestone (its hint under the field). */
export const milestoneTimeHint: Record<MilestoneKind, string> = {
  customer_contacted: 'Hvornår kunden blev kontaktet (dansk tid).',
  inspection_scheduled:
    'Hvornår besigtigelsen skal finde sted (dansk tid). Må ligge ude i fremtiden.',
  work_started: 'Hvornår arbejdet blev startet (dansk tid).',
  work_completed: 'Hvornår arbejdet blev færdigt (dansk tid).',
};

/** The field errors of Tidspunkt (`fieldErrors.at`) and Bemærkning (`fieldErrors.note`). */
export const TIME_ERROR = {
  missing: 'Skriv et tidspunkt.',
  unreadable: 'Tidspunktet kan ikke læses. Skriv dato og klokkeslæt.',
  /** A wall time in the spring night when the clocks go from 02:00 to 03:00. */
  nonexistent:
    'Tidspunktet findes ikke i dansk tid: uret stilles en time frem den nat. Vælg et andet klokkeslæt.',
  tooFarAhead: 'Tidspunktet må højst ligge 10 minutter ude i fremtiden.',
  inspectionTooFarAhead: 'Besigtigelsen må højst ligge to år ude i fremtiden.',
  /** `arrived` is the case's arrival, formatted in Danish time. */
  beforeArrival: (arrived: string) => `Tidspunktet ligger før sagen kom ind (${arrived}).`,
} as const;

export const NOTE_TOO_LONG = 'Bemærkningen må højst være 1.000 tegn.';

/** The job's answers: a step recorded, a repeat (nothing new stored), a refusal. */
export const JOB_ANSWER = {
  recorded: (kind: MilestoneKind) => `${stepLabel[kind]} er registreret.`,
  inspectionMoved: 'Besigtigelsen er flyttet.',
  /** A second click, a second tab or a colleague: the step is there once. */
  alreadyRecorded: (kind: MilestoneKind) => `${stepLabel[kind]} er allerede registreret.`,
  notApproved: 'Forløbet kan først registreres, når kladden er godkendt.',
  closed: 'Ordren er afsluttet. En administrator kan genåbne den.',
  reopened: 'Ordren er genåbnet.',
  reopenOnlyClosed: 'Kun en afsluttet ordre kan genåbnes.',
} as const;

/**
 * The milestones recorded since the last Genåbn, from an order's steps oldest first; Besigtigelse
 * aftalt is among them once it has been recorded (it stays open: it can be moved).
 */
export function recordedMilestones(steps: readonly { kind: StepKind }[]): MilestoneKind[] {
  const last = steps.findLastIndex((s) => s.kind === 'reopened');
  const since = new Set(steps.slice(last + 1).map((s) => s.kind));
  return milestoneKinds.filter((k) => since.has(k));
}

/**
 * The milestone buttons Forløb shows: none unless the order is Ny or I gang; then each not yet
 * recorded since the last Genåbn, and Besigtigelse aftalt always (recording it again moves the
 * appointment). Arbejde færdigt makes the order Afsluttet, which ends them all.
 */
export function openMilestones(
  status: OrderStatus,
  steps: readonly { kind: StepKind }[],
): MilestoneKind[] {
  if (status !== 'new' && status !== 'in_progress') return [];
  const recorded = new Set(recordedMilestones(steps));
  // Each milestone at most once per round (Genåbn starts a new one); an appointment can be moved.
  return milestoneKinds.filter((k) => k === 'inspection_scheduled' || !recorded.has(k));
}
