import { z } from 'zod';
import { DEADLINE_LIMITS } from './rules';
import { DEADLINE_ANSWER } from './words';

const hours = ({ min, max }: { min: number; max: number }) =>
  z.coerce
    .number({ message: DEADLINE_ANSWER.hours(min, max) })
    .int({ message: DEADLINE_ANSWER.hours(min, max) })
    .min(min, { message: DEADLINE_ANSWER.hours(min, max) })
    .max(max, { message: DEADLINE_ANSWER.hours(min, max) });

/** The Frister form; the same schema validates in the browser and in the action. */
export const deadlinesSchema = z.object({
  contactHours: hours(DEADLINE_LIMITS.contactHours),
  inspectionHours: hours(DEADLINE_LIMITS.inspectionHours),
});
export type DeadlinesInput = z.input<typeof deadlinesSchema>;
export type Deadlines = z.output<typeof deadlinesSchema>;
