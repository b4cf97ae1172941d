/**
 * The one catalogue of what can become of a Scalepoint delivery (docs/intake.md, "Outcomes and answers"):
 * each machine code with its HTTP status for the intake endpoint, and the Danish words that the
 * delivery log (Modtagne sager) and a replay (Genbehandl) show. The intake, the replay and the
 * delivery log all read from here, so a code means the same everywhere.
 */
import type { DeliveryStatus } from '@/db/schema/index';
import { REFUSAL } from '@/lib/action-result';

export const outcomeCodes = [
  'created',
  'updated',
  'duplicate_delivery',
  'duplicate_case',
  'validation_failed',
  'module_disabled',
  'processing_failed',
  'invalid_event',
  'ignored',
  'unauthorized',
  'payload_too_large',
  'unsupported_media_type',
  'invalid_json',
  'unreadable_body',
  'database_unavailable',
] as const;
export type OutcomeCode = (typeof outcomeCodes)[number];

type Entry = {
  /** The intake endpoint's answer. */
  http: number;
  /** What a replay of a stored delivery says when it ends here. */
  replay: string;
};

export const outcomes: Record<OutcomeCode, Entry> = {
  created: { http: 201, replay: 'Genbehandlet: sagen er nu en ordrekladde.' },
  updated: { http: 200, replay: 'Genbehandlet: sagen er opdateret.' },
  duplicate_delivery: { http: 200, replay: 'Sagen er allerede behandlet.' },
  duplicate_case: {
    http: 200,
    replay: 'Genbehandlet: sagen fandtes allerede som ordre eller kladde.',
  },
  validation_failed: {
    http: 422,
    replay:
      'Stadig ugyldig: sagens oplysninger mangler eller er ugyldige. Bed Scalepoint sende den igen.',
  },
  module_disabled: {
    http: 409,
    replay: 'Stadig ikke behandlet: Scalepoint-modulet er slået fra. Slå det til og gem først.',
  },
  invalid_event: {
    http: 422,
    replay: 'Stadig ugyldig: hændelsens oplysninger mangler eller er ugyldige.',
  },
  processing_failed: {
    http: 422,
    replay: 'Genbehandlingen fejlede igen. Kontakt Kladdes support, hvis det bliver ved.',
  },
  ignored: { http: 200, replay: 'Hændelsen er ikke en sag til jer; den er ignoreret.' },
  unauthorized: { http: 401, replay: 'Sagen kunne ikke godkendes.' },
  payload_too_large: { http: 413, replay: 'Sagen er for stor.' },
  unsupported_media_type: { http: 415, replay: 'Sagen er ikke JSON.' },
  invalid_json: { http: 400, replay: 'Sagen er ikke gyldig JSON.' },
  unreadable_body: { http: 400, replay: 'Sagen kunne ikke læses.' },
  database_unavailable: { http: 503, replay: REFUSAL.databaseUnavailable },
};

/** How a delivery reached Kladde, in Modtagne sager. */
export const channelLabel = { direct: 'Direkte', events: 'Events API' } as const;

/** The word of a stored delivery in Modtagne sager. */
export type DeliveryWord =
  'Oprettet' | 'Opdateret' | 'Dublet' | 'Ugyldig' | 'Modul slået fra' | 'Fejlet' | 'Ignoreret';

export function deliveryWord(status: DeliveryStatus, reason: string | null): DeliveryWord {
  switch (status) {
    case 'created':
      return 'Oprettet';
    case 'duplicate':
      return 'Dublet';
    case 'updated':
      return 'Opdateret';
    case 'rejected':
      return reason === 'module_disabled' ? 'Modul slået fra' : 'Ugyldig';
    case 'ignored':
      return 'Ignoreret';
    case 'failed':
      return 'Fejlet';
  }
}

/** The delivery log's filters, each a status (and for the two kinds of rejected, a reason). */
export const deliveryFilters = {
  all: { label: 'Alle', status: null, reason: null },
  created: { label: 'Oprettet', status: 'created', reason: null },
  duplicate: { label: 'Dublet', status: 'duplicate', reason: null },
  invalid: { label: 'Ugyldig', status: 'rejected', reason: 'validation_failed' },
  module_disabled: { label: 'Modul slået fra', status: 'rejected', reason: 'module_disabled' },
  failed: { label: 'Fejlet', status: 'failed', reason: null },
  ignored: { label: 'Ignoreret', status: 'ignored', reason: null },
} as const satisfies Record<
  string,
  { label: string; status: DeliveryStatus | null; reason: string | null }
>;
export type DeliveryFilter = keyof typeof deliveryFilters;
export const deliveryFilterKeys = Object.keys(deliveryFilters) as DeliveryFilter[];

/** Whether an admin may replay (Genbehandl) a delivery in this status. */
export const isReplayable = (status: DeliveryStatus) =>
  status === 'rejected' || status === 'failed';

/** The reason of a stored delivery in plain Danish, for the admin. */
export function describeDelivery(d: {
  status: DeliveryStatus;
  reason: string | null;
  issues: { path: string; message: string }[] | null;
  warnings: string[] | null;
}): string {
  switch (d.status) {
    case 'created':
      if (d.warnings?.includes('no_phone'))
        return 'Oprettet som ordrekladde. Forsikringstager havde intet telefonnummer, så kunden fik næste ledige kundenummer.';
      if (d.warnings?.includes('missing_policyholder'))
        return 'Oprettet som ordrekladde med forsikringsselskabet som kunde. Hændelsen nævner ikke forsikringstager: vælg den rigtige kunde på kladden.';
      return 'Oprettet som ordrekladde.';
    case 'updated':
      return d.reason === 'case_reopened'
        ? 'Scalepoint har genåbnet sagen; mærket Sag lukket hos Scalepoint er fjernet.'
        : 'Scalepoint har lukket sagen; kladden eller ordren er mærket Sag lukket hos Scalepoint.';
    case 'duplicate':
      return d.reason === 'duplicate_case'
        ? 'Sagen findes allerede som ordre eller kladde; der er ikke oprettet en ny.'
        : 'Samme levering modtaget igen; der er ikke oprettet noget nyt.';
    case 'ignored':
      if (d.reason === 'unknown_case')
        return 'Hændelsen gjaldt en sag, I ikke har; intet er ændret.';
      if (d.reason === 'no_case_change')
        return 'Hændelsen ændrede intet, Kladde bruger; intet er ændret.';
      return 'Hændelsen var ikke en sag til jer; intet er oprettet.';
    case 'rejected':
      if (d.reason === 'module_disabled')
        return 'Scalepoint-modulet var slået fra. Slå modulet til og genbehandl sagen.';
      return `Sagen manglede eller havde ugyldige oplysninger (${(d.issues ?? [])
        .slice(0, 5)
        .map((i) => `${i.path || 'body'}: ${i.message}`)
        .join('; ')}).`;
    case 'failed':
      if (d.reason === 'invalid_event')
        return `Hændelsen havde ugyldige oplysninger (${(d.issues ?? [])
          .slice(0, 5)
          .map((i) => `${i.path}: ${i.message}`)
          .join('; ')}). Den er sprunget over, så de næste sager kommer igennem.`;
      return 'Fejlede under behandlingen. Prøv at genbehandle sagen; fejler den igen, så kontakt Kladdes support.';
  }
}
