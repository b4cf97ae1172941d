/**
 * The claim body as JSON Schema (draft 2020-12), generated from the zod schema in claim.ts, so the
 * OpenAPI document (openapi.ts, docs/intake.md) cannot drift from the validator.
 *
 * zod renders a `z.preprocess` field as the schema after the preprocessing, which is narrower than
 * what the endpoint accepts. The fields mark what they accept beyond it (`wireInput` in claim.ts) and
 * {@link widen} rewrites each marked field to the wire form, e.g. an optional code-like field:
 *   {"anyOf":[{"type":"string","maxLength":64},{"type":"integer","minimum":0,...},{"type":"null"}]}
 *
 * What JSON Schema cannot say, and is only described: strings are trimmed before their length is
 * counted (both count code points), control characters and lone surrogates are refused, `caseUrl`
 * must parse as an http(s) URL.
 */
import { z } from 'zod';
import { claimSchema, MAX_BODY_BYTES, wireInput } from './claim';

export type JsonSchema = { [key: string]: unknown };

const CLAIM_DESCRIPTION = [
  'A Scalepoint claim. Required: `caseNumber`, `insurer.name`, `policyholder.name`; every other field may be absent or null.',
  `The body is at most ${MAX_BODY_BYTES} bytes (256 KiB).`,
  'Strings are trimmed, and a length limit counts the characters (code points) of the trimmed text; an empty string (or only whitespace) counts as absent, and for a required field as missing.',
  'Code-like fields (caseNumber, policyNumber, cvr, phone, mobile, houseNumber, floor, postalCode) also take a non-negative integer, read as its digits.',
  'A string holding a control character (U+0000–U+001F other than tab, line feed and carriage return) or a lone UTF-16 surrogate is refused (422) with the field’s path.',
  '`caseUrl` must be an absolute http or https URL. Unknown fields are ignored.',
].join(' ');

/** A non-negative integer JSON number that the code-like fields accept as text (8000 → "8000"). */
const WIRE_INTEGER: JsonSchema = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER };

/** Rewrites a marked `z.preprocess` field (in place) to what it accepts on the wire. */
function widen({
  zodSchema,
  jsonSchema,
}: {
  zodSchema: z.core.$ZodType;
  jsonSchema: JsonSchema;
}): void {
  const wire = wireInput.get(zodSchema);
  if (!wire) return;
  const { description, ...accepted } = jsonSchema;
  // Required text: at least one character that trimming keeps (JavaScript's \s is exactly what trim() removes).
  if (wire.nonBlank) accepted.pattern = '\\S';
  const branches = [accepted];
  if (wire.integer) branches.push(WIRE_INTEGER);
  if (wire.null) branches.push({ type: 'null' });
  for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
  if (description !== undefined) jsonSchema.description = description;
  if (branches.length === 1) Object.assign(jsonSchema, accepted);
  else jsonSchema.anyOf = branches;
}

/**
 * The claim body's JSON Schema, self-contained: the named parts (Address, Insurer, …) under `$defs`,
 * referenced as `#/$defs/<name>`. Unknown fields are allowed, as the endpoint ignores them.
 */
export function claimJsonSchema(): JsonSchema {
  const schema = z.toJSONSchema(claimSchema, {
    target: 'draft-2020-12',
    io: 'input',
    // claim.ts has no type JSON cannot carry; a new one should fail this loudly, not become `{}`.
    unrepresentable: 'throw',
    override: widen,
  }) as JsonSchema;
  return { ...schema, description: CLAIM_DESCRIPTION };
}
