import type { ClockKind } from './rules';

/**
 * The words of Frister (docs/deadlines.md): the settings section, the list column and filter,
 * Forløb's deadlines and the morning mail. No server imports: client components use it.
 */

export const DEADLINE_WORDS = {
  section: 'Frister',
  contactHours: 'Kontakt kunden inden for',
  inspectionHours: 'Besigtigelse inden for',
  hoursUnit: 'timer',
  save: 'Gem frister',
  column: 'Frist',
  filter: 'Forsinkede',
  overdue: 'Overskredet',
  met: 'Overholdt',
  missed: 'Overskredet',
  noLate: 'Ingen forsinkede sager.',
} as const;

/** Each clock as Forløb names it. */
export const clockLabel: Record<ClockKind, string> = {
  contact: 'Kontakt kunden',
  inspection: 'Besigtigelse aftalt',
  work: 'Arbejde færdigt',
};

/** The Frister form's answers and field errors (one schema: lib/scalepoint/deadlines/schema.ts). */
export const DEADLINE_ANSWER = {
  saved: (redated: number) =>
    redated === 1
      ? 'Fristerne er gemt. 1 åben sag har fået nye frister.'
      : `Fristerne er gemt. ${redated.toLocaleString('da-DK')} åbne sager har fået nye frister.`,
  hours: (min: number, max: number) => `Skriv et helt antal timer fra ${min} til ${max}.`,
} as const;

/** The morning mail Forsinkede sager: one per company a day, to its admins, with a link to each case. */
export function composeLateMail(input: {
  companyName: string;
  appUrl: string;
  cases: { id: string; label: string; deadline: string; clock: string }[];
  more: number;
}): { subject: string; text: string } {
  const n = input.cases.length + input.more;
  const subject = `Forsinkede sager hos ${input.companyName}: ${n} ${n === 1 ? 'sag' : 'sager'} har overskredet en frist`;
  const lines = input.cases.map(
    (c) => `- ${c.label}: ${c.clock}, frist ${c.deadline}\n  ${input.appUrl}/orders/${c.id}`,
  );
  const text = [
    'Hej',
    '',
    `Disse Scalepoint-sager hos ${input.companyName} har overskredet en frist:`,
    '',
    ...lines,
    ...(input.more > 0
      ? [
          '',
          `… og ${input.more} mere: ${input.appUrl}/orders/drafts?status=late og ${input.appUrl}/orders?status=late`,
        ]
      : []),
    '',
    `Alle forsinkede sager: ${input.appUrl}/orders/drafts?status=late (kladder) og ${input.appUrl}/orders?status=late (ordrer).`,
    '',
    'Fristerne indstilles under Administration → Scalepoint → Frister.',
    '',
    'Venlig hilsen',
    'Kladde',
  ].join('\n');
  return { subject, text };
}
