/**
 * What Kladde reads from a Scalepoint event's attributes (docs/events-api.md, "Events → drafts").
 * The attribute names are those of Scalepoint's pages "Service Providers Events Integration API"
 * (repair_service_requested) and "Events API types of events" / "claim_updated". Pure: zod only.
 *
 * Lenient like the claim schema: unknown fields are ignored, empty strings count as absent; a
 * string with a control character or a lone surrogate fails, so a poison event is stored as a
 * delivery with issues instead of reaching the database.
 */
import { z } from 'zod';
import { requiredText, text as claimText } from '../contract/claim';
import { workDueAt } from '../deadlines/rules';

// The claim's text rules (lib/scalepoint/contract/claim.ts): trimmed, blank or null is absent, a
// non-negative integer is taken as its digits, control characters and lone surrogates refused.
const text = (max: number) => requiredText(max, { numeric: true });
const optional = (max: number) => claimText(max, { numeric: true });

const insuranceCompany = z
  .object({ alias: optional(200), subcompanyAlias: optional(200), subcompanyName: optional(200) })
  .optional()
  .catch(undefined);

export const repairServiceRequestedSchema = z.object({
  case: z.object({
    id: optional(100),
    number: text(64),
    damageCause: optional(200),
    damageCategory: optional(200),
    externalId: optional(200),
    policy: z.object({ insuranceCompany }).optional().catch(undefined),
  }),
  service: z
    .object({
      referenceNumber: optional(100),
      id: optional(100),
      startDate: optional(40),
      endDate: optional(40),
    })
    .optional(),
});
export type RepairServiceRequested = z.output<typeof repairServiceRequestedSchema>;

export const claimUpdatedSchema = z.object({
  case: z.object({ number: text(64) }),
  changes: z
    .array(
      z.object({
        property: optional(100),
        isTerminated: z.boolean().optional().catch(undefined),
        terminationReason: optional(100),
      }),
    )
    .max(100)
    .optional()
    .default([]),
});
export type ClaimUpdated = z.output<typeof claimUpdatedSchema>;

const danishDate = new Intl.DateTimeFormat('da-DK', {
  day: 'numeric',
  month: 'numeric',
  year: 'numeric',
  timeZone: 'Europe/Copenhagen',
});

/** `d.m.yyyy` in Danish time; null for a missing or unreadable timestamp. */
export function eventDate(iso: string | undefined): string | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  const parts = Object.fromEntries(danishDate.formatToParts(d).map((p) => [p.type, p.value]));
  return `${Number(parts.day)}.${Number(parts.month)}.${parts.year}`;
}

/** `Serviceopgave {referenceNumber}: {start} – {end}`, leaving out what is missing; null when nothing is known. */
export function serviceLine(service: RepairServiceRequested['service']): string | null {
  if (!service) return null;
  const dates = [eventDate(service.startDate), eventDate(service.endDate)]
    .filter((d): d is string => !!d)
    .join(' – ');
  const head = ['Serviceopgave', service.referenceNumber].filter(Boolean).join(' ');
  if (!service.referenceNumber && !dates) return null;
  return dates ? `${head}: ${dates}` : head;
}

/** What a repair_service_requested event puts on a draft; `ids`: Scalepoint's identifiers of the case, kept with it. */
export function repairServiceDraft(e: RepairServiceRequested): {
  caseNumber: string;
  insurerName: string | null;
  workDescription: string | null;
  serviceLine: string | null;
  /** When the work is due (service.endDate), for its clock (docs/deadlines.md). */
  workDueAt: Date | null;
  ids: {
    caseId: string | null;
    caseExternalId: string | null;
    serviceId: string | null;
    serviceReference: string | null;
  };
} {
  const damage = [e.case.damageCategory, e.case.damageCause].filter(Boolean).join(': ') || null;
  const service = serviceLine(e.service);
  const company = e.case.policy?.insuranceCompany;
  return {
    caseNumber: e.case.number,
    insurerName: company?.subcompanyName ?? company?.alias ?? null,
    workDescription: [damage, service].filter(Boolean).join('\n') || null,
    serviceLine: service,
    workDueAt: workDueAt(e.service?.endDate),
    ids: {
      caseId: e.case.id ?? null,
      caseExternalId: e.case.externalId ?? null,
      serviceId: e.service?.id ?? null,
      serviceReference: e.service?.referenceNumber ?? null,
    },
  };
}

const TERMINATION_REASONS: Record<string, string> = {
  NotCovered: 'Ikke dækket',
  BelowDeductible: 'Under selvrisiko',
  CreatedByMistake: 'Oprettet ved en fejl',
};

/** The Danish reason for a closed case; null for `None` or no reason. Unknown reasons are shown as given. */
export function terminationReasonLabel(reason: string | undefined): string | null {
  if (!reason || reason === 'None') return null;
  return TERMINATION_REASONS[reason] ?? reason;
}

/** The last CaseClosed / CaseReopened change of a claim_updated event, or null when it has neither. */
export function caseClosure(
  e: ClaimUpdated,
): { kind: 'closed'; reason: string | null } | { kind: 'reopened' } | null {
  let out: { kind: 'closed'; reason: string | null } | { kind: 'reopened' } | null = null;
  for (const c of e.changes) {
    if (c.property === 'CaseClosed')
      out = { kind: 'closed', reason: terminationReasonLabel(c.terminationReason) };
    else if (c.property === 'CaseReopened') out = { kind: 'reopened' };
  }
  return out;
}
