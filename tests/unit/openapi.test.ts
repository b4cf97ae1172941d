import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { claimSchema, MAX_CONTACTS, parseClaim } from '@/lib/scalepoint/contract/claim';
import { claimJsonSchema } from '@/lib/scalepoint/contract/claim-json-schema';
import { exampleClaim, openApiDocument } from '@/lib/scalepoint/contract/openapi';
import { outcomeCodes, outcomes } from '@/lib/scalepoint/intake/words';

type Json = Record<string, unknown>;

function obj(value: unknown): Json {
  expect(value).toBeTypeOf('object');
  expect(value).not.toBeNull();
  return value as Json;
}

const doc = openApiDocument('https://kladde.example.dk');
const components = obj(doc.components);
const schemas = obj(components.schemas);
const post = obj(obj(obj(doc.paths)['/api/scalepoint/claims']).post);
const responses = obj(post.responses);

/** Follows a local `#/components/...` reference. */
function deref(value: unknown): Json {
  const o = obj(value);
  const ref = o.$ref;
  if (typeof ref !== 'string') return o;
  expect(ref.startsWith('#/components/')).toBe(true);
  let cur: unknown = doc;
  for (const part of ref.slice(2).split('/')) cur = obj(cur)[part];
  return obj(cur);
}

// A real JSON Schema 2020-12 validator, strict: an unknown keyword or format in the document fails.
const DOC_ID = 'urn:kladde:openapi';
const ajv = new Ajv2020({ strict: true, allErrors: true });
ajv.addKeyword('components');
// Only the answers use a format (ids); the claim schema must use none (checked below).
ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
ajv.addSchema({ $id: DOC_ID, components });
const documentValidator: ValidateFunction = ajv.getSchema(`${DOC_ID}#/components/schemas/Claim`)!;

const documentAccepts = (body: unknown) => documentValidator(body) === true;
const validatorAccepts = (body: unknown) => parseClaim(body).ok;

const samplesDir = path.resolve(import.meta.dirname, '../../samples/scalepoint');
const sampleFiles = readdirSync(samplesDir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const readSample = (file: string): unknown =>
  JSON.parse(readFileSync(path.join(samplesDir, file), 'utf8'));

const clone = <T>(v: T): T => structuredClone(v);
const minimal = () => ({
  caseNumber: 'SP-1',
  insurer: { name: 'Tryg' },
  policyholder: { name: 'Jens Hansen' },
});

/** Sets (or, for undefined, deletes) the value at a dotted path, creating objects on the way. */
function withValue(body: unknown, dotted: string, value: unknown): Json {
  const copy = clone(body) as Json;
  const parts = dotted.split('.');
  let cur: Json = copy;
  for (const part of parts.slice(0, -1)) {
    const next = cur[part];
    if (next === null || typeof next !== 'object') cur[part] = {};
    cur = cur[part] as Json;
  }
  const last = parts.at(-1)!;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return copy;
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with the app URL as server, and plain JSON data', () => {
    expect(String(doc.openapi)).toMatch(/^3\.1\./);
    expect(doc.servers).toEqual([expect.objectContaining({ url: 'https://kladde.example.dk' })]);
    expect(openApiDocument('http://localhost:3000/').servers).toEqual([
      expect.objectContaining({ url: 'http://localhost:3000' }),
    ]);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('documents the four headers, required, with the limits the intake enforces', () => {
    const headers = (post.parameters as unknown[]).map(deref).filter((p) => p.in === 'header');
    expect(headers.map((h) => h.name).sort()).toEqual([
      'scalepoint-account-id',
      'webhook-id',
      'webhook-signature',
      'webhook-timestamp',
    ]);
    for (const h of headers) {
      expect(h.required).toBe(true);
      expect(h.description).toBeTypeOf('string');
    }
    const byName = (n: string) => headers.find((h) => h.name === n)!;
    expect(obj(byName('scalepoint-account-id').schema).maxLength).toBe(100);
    expect(obj(byName('webhook-id').schema).maxLength).toBe(200);
    expect(obj(byName('webhook-timestamp').schema).pattern).toBe('^[0-9]{1,10}$');
    const sig = String(byName('webhook-signature').description);
    for (const word of ['HMAC-SHA256', 'whsec_', '300', 'v1,']) expect(sig).toContain(word);
  });

  it('answers every status the direct intake can give, taken from the outcome catalogue', () => {
    const eventsOnly = ['updated', 'ignored', 'invalid_event'];
    const direct = outcomeCodes.filter((c) => !eventsOnly.includes(c));
    expect(Object.keys(responses).sort()).toEqual([
      '200',
      '201',
      '400',
      '401',
      '409',
      '413',
      '415',
      '422',
      '503',
    ]);
    expect(Object.keys(responses).sort()).toEqual(
      [...new Set(direct.map((c) => String(outcomes[c].http)))].sort(),
    );
    for (const code of direct) {
      const media = obj(
        obj(obj(responses[String(outcomes[code].http)]).content)['application/json'],
      );
      expect(Object.keys(obj(media.examples)), code).toContain(code);
    }
    for (const code of eventsOnly) expect(JSON.stringify(responses)).not.toContain(`"${code}"`);
  });

  it('gives each answer a description, and every example matches its schema', () => {
    for (const [status, response] of Object.entries(responses)) {
      const r = obj(response);
      expect(String(r.description).length, status).toBeGreaterThan(10);
      const media = obj(obj(r.content)['application/json']);
      const validate = ajv.compile(obj(media.schema));
      for (const [name, example] of Object.entries(obj(media.examples))) {
        expect(
          validate(obj(example).value),
          `${status} ${name}: ${JSON.stringify(validate.errors)}`,
        ).toBe(true);
      }
    }
    const errorOf = (status: string, body: unknown) =>
      ajv.compile(obj(obj(obj(obj(responses[status]).content)['application/json']).schema))(body);
    expect(errorOf('401', { error: 'unauthorized' })).toBe(true);
    expect(errorOf('401', { error: 'invalid_signature' })).toBe(false);
    expect(
      errorOf('422', {
        error: 'validation_failed',
        issues: [{ path: 'caseNumber', message: 'Required' }],
      }),
    ).toBe(true);
    expect(errorOf('422', { error: 'processing_failed' })).toBe(true);
    expect(errorOf('413', { error: 'payload_too_large' })).toBe(false);
    expect(errorOf('413', { error: 'payload_too_large', limitBytes: 262144 })).toBe(true);
  });

  it('describes the JSON claim body by the generated schema, with the example', () => {
    const body = obj(post.requestBody);
    expect(body.required).toBe(true);
    const media = obj(obj(body.content)['application/json']);
    const claim = deref(media.schema);
    expect(claim.required).toEqual(['caseNumber', 'insurer', 'policyholder']);
    expect(deref(obj(claim.properties).insurer).required).toEqual(['name']);
    expect(deref(obj(claim.properties).policyholder).required).toEqual(['name']);
    expect(Object.keys(obj(claim.properties)).sort()).toEqual(
      Object.keys(claimSchema.shape).sort(),
    );
    expect(media.example).toEqual(exampleClaim);
    expect(JSON.stringify(doc)).toContain('256 KiB');
  });

  it('states the wire forms JSON Schema cannot infer from the preprocessing', () => {
    const props = obj(deref({ $ref: '#/components/schemas/Claim' }).properties);
    expect(obj(props.caseNumber).anyOf).toEqual([
      { type: 'string', maxLength: 64, pattern: '\\S' },
      { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    ]);
    expect(obj(props.policyNumber).anyOf).toEqual([
      { type: 'string', maxLength: 100 },
      { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
      { type: 'null' },
    ]);
    expect(obj(props.caseType).anyOf).toEqual([
      { type: 'string', maxLength: 100 },
      { type: 'null' },
    ]);
    expect(JSON.stringify(props.contacts)).toContain(`"maxItems":${MAX_CONTACTS}`);
    for (const p of Object.values(props))
      expect(obj(p).description ?? deref(p).description, JSON.stringify(p)).toBeTypeOf('string');
    const description = String(deref({ $ref: '#/components/schemas/Claim' }).description);
    for (const rule of [
      'control character',
      'lone UTF-16 surrogate',
      'trimmed',
      'http or https URL',
    ])
      expect(description).toContain(rule);
  });

  it('promises no format the validator does not enforce, and every reference resolves', () => {
    const text = JSON.stringify(schemas);
    expect(text).not.toMatch(/"format"/);
    expect(JSON.stringify(doc)).not.toMatch(/"format":"(email|date|uri)"/);
    expect(text).not.toContain('#/$defs/');
    for (const ref of JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [])
      deref({ $ref: JSON.parse(`{${ref}}`).$ref });
  });

  it('gives the same schema standalone (with $defs) as in the document', () => {
    const standalone = new Ajv2020({ strict: true }).compile(claimJsonSchema());
    expect(standalone(exampleClaim)).toBe(true);
    expect(standalone(withValue(exampleClaim, 'insurer.name', undefined))).toBe(false);
  });
});

describe('the document and the validator agree', () => {
  it('on the example claim', () => {
    expect(documentAccepts(exampleClaim), JSON.stringify(documentValidator.errors)).toBe(true);
    expect(validatorAccepts(exampleClaim)).toBe(true);
  });

  it('has sample claims', () => {
    expect(sampleFiles.length).toBeGreaterThanOrEqual(4);
    const numbers = sampleFiles.map((f) => obj(readSample(f)).caseNumber);
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it.each(sampleFiles)('on the sample %s', (file) => {
    expect(readFileSync(path.join(samplesDir, file)).length).toBeLessThanOrEqual(256 * 1024);
    const body = readSample(file);
    expect(documentAccepts(body), JSON.stringify(documentValidator.errors)).toBe(true);
    expect(validatorAccepts(body)).toBe(true);
  });

  const contacts = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `Kontakt ${i}` }));
  const cases: [string, unknown, boolean][] = [
    ['a numeric caseNumber', { ...minimal(), caseNumber: 104233 }, true],
    ['caseNumber 0', { ...minimal(), caseNumber: 0 }, true],
    ['a 64-character caseNumber', { ...minimal(), caseNumber: 'x'.repeat(64) }, true],
    ['a padded caseNumber', { ...minimal(), caseNumber: '  SP-1  ' }, true],
    // Both count characters (code points), not UTF-16 code units.
    ['a caseNumber of 64 emoji', { ...minimal(), caseNumber: '😀'.repeat(64) }, true],
    ['a caseNumber of 65 emoji', { ...minimal(), caseNumber: '😀'.repeat(65) }, false],
    [
      'numeric postal code, house number and phone',
      withValue(
        withValue(
          withValue(minimal(), 'policyholder.address.postalCode', 8000),
          'policyholder.address.houseNumber',
          12,
        ),
        'policyholder.phone',
        20123456,
      ),
      true,
    ],
    [
      'null for every optional field',
      {
        ...minimal(),
        caseUrl: null,
        caseType: null,
        policyNumber: null,
        damage: null,
        damageAddress: null,
        contacts: null,
        insurer: { name: 'Tryg', email: null, address: null },
      },
      true,
    ],
    [
      'empty strings for optional fields',
      {
        ...minimal(),
        caseUrl: '',
        caseType: '',
        policyholder: { name: 'Jens', email: '', phone: '   ' },
      },
      true,
    ],
    [`${MAX_CONTACTS} contacts`, { ...minimal(), contacts: contacts(MAX_CONTACTS) }, true],
    ['null and empty contacts', { ...minimal(), contacts: [null, {}, { name: 'Mette' }] }, true],
    [
      'an e-mail address that is not one',
      withValue(minimal(), 'insurer.email', 'skade(at)tryg'),
      true,
    ],
    [
      'a damage date that is not a date',
      withValue(minimal(), 'damage.date', 'sidste tirsdag'),
      true,
    ],
    [
      'unknown fields at every level',
      {
        ...withValue(withValue(minimal(), 'insurer.extra', 1), 'damageAddress.x', [1]),
        extra: { a: 1 },
      },
      true,
    ],
    ['a 65-character caseNumber', { ...minimal(), caseNumber: 'x'.repeat(65) }, false],
    [`${MAX_CONTACTS + 1} contacts`, { ...minimal(), contacts: contacts(MAX_CONTACTS + 1) }, false],
    ['no insurer.name', withValue(minimal(), 'insurer.name', undefined), false],
    ['a blank insurer.name', withValue(minimal(), 'insurer.name', '   '), false],
    ['a null policyholder', { ...minimal(), policyholder: null }, false],
    ['no caseNumber', withValue(minimal(), 'caseNumber', undefined), false],
    ['a null caseNumber', { ...minimal(), caseNumber: null }, false],
    ['an empty caseNumber', { ...minimal(), caseNumber: '' }, false],
    ['a negative caseNumber', { ...minimal(), caseNumber: -1 }, false],
    ['a fractional caseNumber', { ...minimal(), caseNumber: 1.5 }, false],
    ['an unsafe integer caseNumber', { ...minimal(), caseNumber: 2 ** 53 }, false],
    ['a boolean caseNumber', { ...minimal(), caseNumber: true }, false],
    ['a numeric city', withValue(minimal(), 'policyholder.address.city', 8000), false],
    ['a numeric e-mail', withValue(minimal(), 'insurer.email', 42), false],
    ['contacts that are not a list', { ...minimal(), contacts: 'Mette' }, false],
    ['damage as text', { ...minimal(), damage: 'Vandskade' }, false],
    ['a list as the body', [minimal()], false],
    ['null as the body', null, false],
  ];
  it.each(cases)('on %s', (_name, body, accepted) => {
    expect(validatorAccepts(body)).toBe(accepted);
    expect(documentAccepts(body), JSON.stringify(documentValidator.errors)).toBe(accepted);
  });

  it('on every field of the example set to each of many values', () => {
    // Every property path of the schema (objects included), with contacts at index 0.
    const paths: string[] = [];
    const walk = (schema: Json, prefix: string) => {
      const s = deref(schema);
      const branches = (s.anyOf as Json[] | undefined)?.map(deref) ?? [s];
      for (const b of branches) {
        if (b.type === 'array') walk(obj(b.items), `${prefix}.0`);
        for (const [key, sub] of Object.entries(obj(b.properties ?? {}))) {
          const p = prefix ? `${prefix}.${key}` : key;
          paths.push(p);
          walk(obj(sub), p);
        }
      }
    };
    walk({ $ref: '#/components/schemas/Claim' }, '');
    expect(paths).toContain('contacts.0.address.postalCode');
    expect(paths.length).toBeGreaterThan(40);

    const lengths = [20, 50, 64, 100, 200, 254, 2000, 10000].flatMap((n) => [n, n + 1]);
    const values: unknown[] = [
      undefined,
      null,
      '',
      '   ',
      'x',
      ' padded ',
      0,
      -0,
      8000,
      -1,
      1.5,
      2 ** 53,
      true,
      [],
      [null],
      {},
      { name: 'x' },
      ...lengths.map((n) => 'x'.repeat(n)),
    ];
    let checked = 0;
    for (const p of paths) {
      for (const value of values) {
        // The one rule only described: caseUrl must parse as an http(s) URL.
        if (p === 'caseUrl' && typeof value === 'string' && value.trim() !== '') continue;
        const body = withValue(exampleClaim, p, value);
        const label = `${p} = ${JSON.stringify(value)?.slice(0, 20)}`;
        expect(documentAccepts(body), label).toBe(validatorAccepts(body));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('except where the document only describes the rule: the validator is stricter there', () => {
    for (const body of [
      { ...minimal(), caseNumber: 'SP-\u0001' },
      { ...minimal(), caseNumber: 'SP-\ud800' },
      withValue(minimal(), 'insurer.name', 'Tryg\u0000'),
      { ...minimal(), caseUrl: 'ftp://scalepoint.com/case/1' },
    ]) {
      expect(documentAccepts(body), JSON.stringify(body)).toBe(true);
      expect(validatorAccepts(body), JSON.stringify(body)).toBe(false);
    }
    // …and where trimming makes the validator more lenient than a length in the document.
    const padded = { ...minimal(), caseNumber: ` ${'x'.repeat(64)} ` };
    expect(validatorAccepts(padded)).toBe(true);
    expect(documentAccepts(padded)).toBe(false);
  });
});
