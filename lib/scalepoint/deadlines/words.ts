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
  dueBy: 'frist',
  stopped: 'stoppet',
} as const;

/** Each clock as Forløb names it. */
export const clockLabel: Record<ClockKind, string> = {
  contact: 'Kontakt kunden',
  inspection: 'Besigtigelse',
  work: 'Arbejdet færdigt',
};

/** The Frister form's answers and field errors (one schema: lib/scalepoint/deadlines/schema.ts). */
export const DEADLINE_ANSWER = {
  saved: (redated: number) =>
    redated === 1
      ? 'Fristerne er gemt. 1 åben sag har fået nye frister.'
      : `Fristerne er gemt. ${redated.toLocaleString('da-DK')} åbne sager har fået nye frister.`,
  hours: (min: number, max: number) => `Skriv et helt antal timer fra ${min} til ${max}.`,
} as const;

/** A case as the morning mail lists it: a draft by its heading, an order by its number too; its customer after. */
export function lateCaseLabel(c: {
  orderNumber: number | null;
  heading: string;
  customerName: string;
}): string {
  const head =
    c.orderNumber === null ? `Kladde: ${c.heading}` : `Ordre ${c.orderNumber}: ${c.heading}`;
  return `${head} (${c.customerName})`;
}

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
          `… og ${input.more.toLocaleString('da-DK')} ${input.more === 1 ? 'sag' : 'sager'} mere.`,
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
