/**
 * The claim body that Scalepoint posts to `POST /api/scalepoint/claims` (docs/intake.md, "Body").
 *
 * - Required: caseNumber (1–64 characters after trimming), insurer.name, policyholder.name.
 * - Everything else is optional; null, absent and '' (after trimming) all become undefined.
 * - Strings are trimmed (inner whitespace and newlines are kept).
 * - Unknown fields are stripped at every level: only the fields below ever reach the output.
 * - Code-like fields (caseNumber, policyNumber, houseNumber, floor, postalCode, phone, mobile, cvr)
 *   also accept a non-negative integer JSON number (8000 → '8000').
 * - An address whose fields are all absent counts as absent (so an empty damageAddress means
 *   the policyholder's address).
 * - contacts: at most 50 entries; null entries and entries with no field at all are dropped;
 *   the output is always an array (possibly empty).
 * - E-mail addresses are kept as given (trimmed), never rejected for their format.
 * - A string holding a control character (U+0000–U+001F other than tab, LF, CR) or a lone UTF-16
 *   surrogate fails with that field's path: PostgreSQL refuses NUL in text, and a driver would
 *   silently turn a lone surrogate into U+FFFD (two different case numbers would become one).
 *
 * The field descriptions (`.meta`) and {@link wireInput} feed the JSON Schema of the OpenAPI
 * document (lib/scalepoint/contract/claim-json-schema.ts); they change nothing in what is accepted.
 *
 * Pure: zod only. parseClaim never throws.
 */
import { z } from 'zod';

/**
 * What a `z.preprocess` field accepts on the wire beyond the schema after it. A JSON Schema is made
 * from that inner schema only, so lib/scalepoint/contract/claim-json-schema.ts reads these marks to describe
 * the input: `null` (counts as absent), `integer` (a non-negative safe integer JSON number, taken as
 * its digits), `nonBlank` (required text: empty or only whitespace counts as missing).
 */
export type WireInput = { null?: true; integer?: true; nonBlank?: true };
export const wireInput = z.registry<WireInput>();

function wire(numeric: boolean, rest: WireInput): WireInput {
  return numeric ? { ...rest, integer: true } : rest;
}

function blankToUndefined(v: unknown, numeric: boolean): unknown {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') {
    const t = v.trim();
    return t === '' ? undefined : t;
  }
  if (numeric && typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  return v;
}

// Control characters other than tab, LF and CR; a high surrogate not followed by a low one; a low
// surrogate not preceded by a high one.
const FORBIDDEN_TEXT =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when a string can be stored and shown as it is (see the list above). */
export function isStorableText(s: string): boolean {
  return !FORBIDDEN_TEXT.test(s);
}

const STORABLE_TEXT_ERROR = 'Control characters and lone surrogates are not allowed';

/** A string schema that refuses what {@link isStorableText} refuses, before any other check. */
function storableString() {
  return z
    .string({ error: textError })
    .refine(isStorableText, { error: STORABLE_TEXT_ERROR, abort: true });
}

function textError(iss: { input?: unknown }) {
  return iss.input === undefined ? 'Required' : 'Expected text';
}

/** Optional trimmed text of at most `max` characters (also the Events API's attributes: lib/scalepoint/events/event-content.ts). */
export function text(max: number, opts: { numeric?: boolean } = {}) {
  const numeric = opts.numeric ?? false;
  return z
    .preprocess(
      (v) => blankToUndefined(v, numeric),
      storableString()
        .max(max, { error: `At most ${max} characters` })
        .optional(),
    )
    .register(wireInput, wire(numeric, { null: true }));
}

/** Required trimmed text of 1..max characters. */
export function requiredText(max: number, opts: { numeric?: boolean } = {}) {
  const numeric = opts.numeric ?? false;
  return z
    .preprocess(
      (v) => blankToUndefined(v, numeric),
      storableString().max(max, { error: `At most ${max} characters` }),
    )
    .register(wireInput, wire(numeric, { nonBlank: true }));
}

// E-mail addresses are kept as text, not checked: a mistyped contact address must not
// block a repair job. They are only ever shown, never sent to.
function email() {
  return z
    .preprocess(
      (v) => blankToUndefined(v, false),
      storableString().max(254, { error: 'At most 254 characters' }).optional(),
    )
    .register(wireInput, { null: true });
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

const caseUrl = z
  .preprocess(
    (v) => blankToUndefined(v, false),
    storableString()
      .max(2000, { error: 'At most 2000 characters' })
      .refine(isHttpUrl, { error: 'Must be an http(s) URL' })
      .optional(),
  )
  .register(wireInput, { null: true });

function objectError(iss: { input?: unknown }) {
  return iss.input === undefined ? 'Required' : 'Expected an object';
}

/** Optional object: null/absent → undefined. */
function optionalObject<T extends z.ZodType>(schema: T) {
  return z
    .preprocess((v) => (v === null ? undefined : v), schema.optional())
    .register(wireInput, { null: true });
}

/** Required object: null counts as missing ('Required'). */
function requiredObject<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === null ? undefined : v), schema);
}

function hasAnyValue(o: Record<string, unknown>): boolean {
  return Object.values(o).some((v) => v !== undefined);
}

const addressObject = z
  .object(
    {
      street: text(200).meta({ description: 'Street name (vejnavn).' }),
      houseNumber: text(20, { numeric: true }).meta({
        description: 'House number with any letter (husnummer), e.g. `12B`.',
      }),
      floor: text(50, { numeric: true }).meta({
        description: 'Floor and door (etage og dør), e.g. `2. th.`.',
      }),
      postalCode: text(20, { numeric: true }).meta({
        description: 'Postal code (postnummer), e.g. `8000`.',
      }),
      city: text(100).meta({ description: 'City (by), e.g. `Aarhus C`.' }),
    },
    { error: objectError },
  )
  .meta({
    id: 'Address',
    description:
      'A Danish address; every part optional. An address with no part at all counts as absent.',
  });

export type ClaimAddress = z.output<typeof addressObject>;

const address = optionalObject(addressObject)
  .transform((a) => (a && hasAnyValue(a) ? a : undefined))
  .optional();

const insurer = requiredObject(
  z
    .object(
      {
        name: requiredText(200).meta({
          description: 'Insurance company name, e.g. `Tryg Forsikring A/S`.',
        }),
        alias: text(100).meta({ description: "Scalepoint's short alias of the insurer." }),
        cvr: text(20, { numeric: true }).meta({ description: 'Danish CVR number.' }),
        phone: text(50, { numeric: true }).meta({ description: 'Phone number.' }),
        email: email().meta({
          description: 'E-mail address; kept as given, its format is not checked.',
        }),
        address,
      },
      { error: objectError },
    )
    .meta({ id: 'Insurer', description: 'The insurance company (forsikringsselskab).' }),
).meta({ description: 'The insurance company. Required; null counts as missing.' });

const policyholder = requiredObject(
  z
    .object(
      {
        name: requiredText(200).meta({ description: 'Policyholder name.' }),
        phone: text(50, { numeric: true }).meta({
          description:
            'Phone number; with the company setting “Brug forsikringstagers telefonnummer som kundenummer” its digits become the customer number.',
        }),
        mobile: text(50, { numeric: true }).meta({
          description: 'Mobile number; used instead of `phone` when that is absent.',
        }),
        email: email().meta({
          description: 'E-mail address; kept as given, its format is not checked.',
        }),
        address,
      },
      { error: objectError },
    )
    .meta({ id: 'Policyholder', description: 'The policyholder (forsikringstager).' }),
).meta({ description: 'The policyholder. Required; null counts as missing.' });

const contact = z
  .object(
    {
      name: text(200).meta({ description: 'Name.' }),
      role: text(100).meta({ description: 'Role on the case, e.g. `Lejer`.' }),
      phone: text(50, { numeric: true }).meta({ description: 'Phone number.' }),
      mobile: text(50, { numeric: true }).meta({ description: 'Mobile number.' }),
      email: email().meta({
        description: 'E-mail address; kept as given, its format is not checked.',
      }),
      address,
    },
    { error: objectError },
  )
  .meta({
    id: 'Contact',
    description:
      'A contact person on the case; becomes a note on the work sheet. A contact with no field at all is dropped.',
  });

export const MAX_CONTACTS = 50;

/** The largest body the intake reads (docs/intake.md); checked before any HMAC is computed. */
export const MAX_BODY_BYTES = 256 * 1024;

const contacts = z
  .preprocess(
    (v) => (v === null ? undefined : v),
    z
      .array(contact.nullable(), {
        error: (iss) => (iss.input === undefined ? 'Required' : 'Expected a list'),
      })
      .max(MAX_CONTACTS, { error: `At most ${MAX_CONTACTS} contacts` })
      .optional(),
  )
  .register(wireInput, { null: true })
  .transform((list) =>
    (list ?? []).filter((c): c is z.output<typeof contact> => c !== null && hasAnyValue(c)),
  )
  .meta({ description: `Contact persons, at most ${MAX_CONTACTS}; null entries are dropped.` });

const damage = optionalObject(
  z
    .object(
      {
        description: text(10000).meta({
          description:
            'Free-text description of the damage; becomes the work description (Arbejdsbeskrivelse).',
        }),
        cause: text(200).meta({ description: 'Cause of the damage, e.g. `Vandskade`.' }),
        date: text(50).meta({
          description: 'Date of the damage as text, e.g. `2026-11-24`; its format is not checked.',
        }),
      },
      { error: objectError },
    )
    .meta({ id: 'Damage', description: 'The damage; every part optional.' }),
)
  .transform((d) => (d && hasAnyValue(d) ? d : undefined))
  .optional()
  .meta({ description: 'The damage: what, why and when.' });

export const claimSchema = z.object(
  {
    caseNumber: requiredText(64, { numeric: true }).meta({
      description:
        'Scalepoint case number; becomes Rekv.nr. and the title `Scalepoint – {caseNumber}`. A second claim with the same number for the same company is a duplicate.',
    }),
    caseUrl: caseUrl.meta({
      description:
        'Link to the case in Scalepoint: an absolute http or https URL. Appended to the work description.',
    }),
    caseType: text(100).meta({ description: 'Scalepoint case type, e.g. `buildingClaim`.' }),
    policyNumber: text(100, { numeric: true }).meta({
      description: 'Insurance policy number (policenummer).',
    }),
    damage,
    insurer,
    policyholder,
    damageAddress: address.meta({
      description:
        "Where the damage is (skadested). Absent means the policyholder's address. Becomes the installation address when it differs from the customer's.",
    }),
    contacts,
  },
  { error: (iss) => (iss.input === undefined ? 'Required' : 'Expected a JSON object') },
);

export type Claim = z.output<typeof claimSchema>;

export type ClaimIssue = { path: string; message: string };

const MAX_ISSUES = 100;

/** zod's issues as the delivery log stores them: a dotted path (under `prefix`) and the message; at most 100. */
export function issuesOf(issues: readonly z.core.$ZodIssue[], prefix?: string): ClaimIssue[] {
  const out = issues.slice(0, MAX_ISSUES).map((iss) => ({
    path: [prefix, ...iss.path.map((p) => String(p))].filter((p) => p !== undefined).join('.'),
    message: iss.message,
  }));
  return out.length ? out : [{ path: prefix ?? '', message: 'Invalid' }];
}

export function parseClaim(
  json: unknown,
): { ok: true; claim: Claim } | { ok: false; issues: ClaimIssue[] } {
  try {
    const result = claimSchema.safeParse(json);
    if (result.success) return { ok: true, claim: result.data };
    return { ok: false, issues: issuesOf(result.error.issues) };
  } catch {
    return { ok: false, issues: [{ path: '', message: 'Invalid claim' }] };
  }
}
