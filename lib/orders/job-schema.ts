import { z } from 'zod';
import { milestoneKinds, NOTE_TOO_LONG, TIME_ERROR } from './step-words';

/**
 * The forms of the job after Godkend (docs/drafts.md, "After Godkend: the job"). No node imports:
 * the dialog and the server action (lib/orders/job-actions.ts) validate with these same schemas.
 * Tidspunkt stays text here: the action reads it as Danish time (lib/orders/job-time.ts) against
 * the order's arrival and the clock, and answers its rule at `fieldErrors.at`.
 */

const orderId = z.uuid('Ukendt ordre.');

export const milestoneSchema = z.object({
  orderId,
  kind: z.enum(milestoneKinds, { message: 'Ukendt trin.' }),
  at: z.string({ message: TIME_ERROR.missing }).max(40, TIME_ERROR.unreadable),
  // Bemærkning: optional; blank is none.
  note: z
    .string()
    .trim()
    .max(1000, NOTE_TOO_LONG)
    .optional()
    .transform((v) => (v ? v : null)),
});
export type MilestoneInput = z.input<typeof milestoneSchema>;
export type Milestone = z.output<typeof milestoneSchema>;

export const reopenSchema = z.object({ orderId });
