import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseClaim, type Claim, type ClaimIssue } from '@/lib/scalepoint/contract/claim';
import { EXAMPLE_CLAIM } from '@/lib/scalepoint/contract/example-claim';

const MINIMAL = { caseNumber: 'SP-1', insurer: { name: 'Tryg' }, policyholder: { name: 'Jens' } };

function ok(json: unknown): Claim {
  const r = parseClaim(json);
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.issues)}`);
  return r.claim;
}

function issues(json: unknown): ClaimIssue[] {
  const r = parseClaim(json);
  if (r.ok) throw new Error(`expected issues, got ${JSON.stringify(r.claim)}`);
  return r.issues;
}

function paths(json: unknown): string[] {
  return issues(json)
    .map((i) => i.path)
    .sort();
}

/** Deep-copy without keys whose value is undefined, so toStrictEqual compares what is really there. */
function defined(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v));
}

describe("parseClaim: the contract's example claim", () => {
  it('parses into exactly the expected claim', () => {
    const claim = ok(EXAMPLE_CLAIM);
    expect(defined(claim)).toStrictEqual({
      caseNumber: 'SP-2026-104233',
      caseUrl: 'https://www.scalepoint.com/dk/case/8f2c1d',
      caseType: 'buildingClaim',
      policyNumber: '641-2231-77',
      damage: {
        description: 'Vandskade i køkken efter sprunget rør.',
        cause: 'Vandskade',
        date: '2026-11-24',
      },
      insurer: {
        name: 'Tryg Forsikring A/S',
        alias: 'tryg',
        cvr: '24260666',
        phone: '70 11 20 20',
        email: 'skade@tryg.dk',
        address: {
          street: 'Klausdalsbrovej',
          houseNumber: '601',
          postalCode: '2750',
          city: 'Ballerup',
        },
      },
      policyholder: {
        name: 'Jens Hansen',
        phone: '+45 20 12 34 56',
        email: 'jens@example.dk',
        address: {
          street: 'Vestergade',
          houseNumber: '12',
          floor: '2. th.',
          postalCode: '8000',
          city: 'Aarhus C',
        },
      },
      damageAddress: {
        street: 'Vestergade',
        houseNumber: '12',
        floor: '2. th.',
        postalCode: '8000',
        city: 'Aarhus C',
      },
      contacts: [
        {
          name: 'Mette Jensen',
          role: 'Lejer',
          phone: '31 22 33 44',
          email: 'mette@example.dk',
          address: {
            street: 'Vestergade',
            houseNumber: '12',
            floor: '1. tv.',
            postalCode: '8000',
            city: 'Aarhus C',
          },
        },
      ],
    });
    expect(claim.policyholder.mobile).toBeUndefined();
    expect(claim.contacts[0]?.mobile).toBeUndefined();
  });

  it('parses the minimal claim and gives an empty contact list', () => {
    const claim = ok(MINIMAL);
    expect(defined(claim)).toStrictEqual({
      caseNumber: 'SP-1',
      insurer: { name: 'Tryg' },
      policyholder: { name: 'Jens' },
      contacts: [],
    });
    expect(claim.damageAddress).toBeUndefined();
    expect(claim.damage).toBeUndefined();
    expect(claim.caseUrl).toBeUndefined();
  });
});

describe('parseClaim: strings', () => {
  it('trims every string but keeps inner whitespace and line breaks', () => {
    const claim = ok({
      caseNumber: '  SP-7 \n',
      damage: { description: '  Linje 1\n\nLinje  2  ' },
      insurer: { name: '\tTryg  Forsikring ', email: ' skade@tryg.dk ' },
      policyholder: { name: ' Jens ', address: { street: ' Vestergade ', floor: ' 2. th. ' } },
      contacts: [{ name: ' Mette ', role: ' Lejer ' }],
    });
    expect(claim.caseNumber).toBe('SP-7');
    expect(claim.damage?.description).toBe('Linje 1\n\nLinje  2');
    expect(claim.insurer.name).toBe('Tryg  Forsikring');
    expect(claim.insurer.email).toBe('skade@tryg.dk');
    expect(claim.policyholder.name).toBe('Jens');
    expect(claim.policyholder.address).toEqual({ street: 'Vestergade', floor: '2. th.' });
    expect(claim.contacts).toEqual([{ name: 'Mette', role: 'Lejer' }]);
  });

  it('treats empty and whitespace-only strings as absent', () => {
    const claim = ok({
      ...MINIMAL,
      caseUrl: '',
      caseType: '   ',
      policyNumber: '',
      damage: { description: '', cause: ' ', date: '' },
      insurer: { name: 'Tryg', alias: '', cvr: ' ', phone: '', email: '' },
      policyholder: {
        name: 'Jens',
        phone: ' ',
        mobile: '',
        email: '   ',
        address: { street: '', city: ' ' },
      },
      damageAddress: { street: ' ', houseNumber: '', floor: '', postalCode: '', city: '' },
      contacts: [
        { name: '', phone: '  ' },
        { name: 'Mette', email: '' },
      ],
    });
    expect(defined(claim)).toStrictEqual({
      caseNumber: 'SP-1',
      insurer: { name: 'Tryg' },
      policyholder: { name: 'Jens' },
      contacts: [{ name: 'Mette' }],
    });
    expect(claim.policyholder.address).toBeUndefined();
    expect(claim.damageAddress).toBeUndefined();
    expect(claim.damage).toBeUndefined();
    expect(claim.insurer.email).toBeUndefined();
  });

  it('treats null as absent everywhere it is optional', () => {
    const claim = ok({
      ...MINIMAL,
      caseUrl: null,
      caseType: null,
      policyNumber: null,
      damage: null,
      damageAddress: null,
      contacts: null,
      insurer: { name: 'Tryg', alias: null, cvr: null, phone: null, email: null, address: null },
      policyholder: {
        name: 'Jens',
        phone: null,
        mobile: null,
        email: null,
        address: { street: null, postalCode: '8000' },
      },
    });
    expect(defined(claim)).toStrictEqual({
      caseNumber: 'SP-1',
      insurer: { name: 'Tryg' },
      policyholder: { name: 'Jens', address: { postalCode: '8000' } },
      contacts: [],
    });
  });

  it('accepts integer numbers for code-like fields', () => {
    const claim = ok({
      ...MINIMAL,
      caseNumber: 104233,
      policyNumber: 6412231,
      insurer: { name: 'Tryg', cvr: 24260666, phone: 70112020 },
      policyholder: {
        name: 'Jens',
        phone: 20123456,
        mobile: 31223344,
        address: { houseNumber: 12, floor: 2, postalCode: 8000 },
      },
    });
    expect(claim.caseNumber).toBe('104233');
    expect(claim.policyNumber).toBe('6412231');
    expect(claim.insurer.cvr).toBe('24260666');
    expect(claim.insurer.phone).toBe('70112020');
    expect(claim.policyholder.phone).toBe('20123456');
    expect(claim.policyholder.mobile).toBe('31223344');
    expect(claim.policyholder.address).toEqual({
      houseNumber: '12',
      floor: '2',
      postalCode: '8000',
    });
  });

  it('rejects numbers, booleans, arrays and objects where text is expected', () => {
    expect(issues({ ...MINIMAL, insurer: { name: 42 } })).toEqual([
      { path: 'insurer.name', message: 'Expected text' },
    ]);
    expect(paths({ ...MINIMAL, caseNumber: 1.5 })).toEqual(['caseNumber']);
    expect(paths({ ...MINIMAL, caseNumber: -1 })).toEqual(['caseNumber']);
    expect(paths({ ...MINIMAL, caseType: true })).toEqual(['caseType']);
    expect(paths({ ...MINIMAL, policyholder: { name: ['Jens'] } })).toEqual(['policyholder.name']);
    expect(paths({ ...MINIMAL, damage: { description: { text: 'x' } } })).toEqual([
      'damage.description',
    ]);
    expect(paths({ ...MINIMAL, contacts: [{ name: 'Mette', role: 7 }] })).toEqual([
      'contacts.0.role',
    ]);
  });
});

describe('parseClaim: required fields', () => {
  it('reports every missing required field with its path', () => {
    expect(issues({})).toEqual([
      { path: 'caseNumber', message: 'Required' },
      { path: 'insurer', message: 'Required' },
      { path: 'policyholder', message: 'Required' },
    ]);
    expect(issues({ caseNumber: 'SP-1', insurer: {}, policyholder: {} })).toEqual([
      { path: 'insurer.name', message: 'Required' },
      { path: 'policyholder.name', message: 'Required' },
    ]);
  });

  it('counts null and blank required values as missing', () => {
    expect(issues({ caseNumber: null, insurer: null, policyholder: { name: '  ' } })).toEqual([
      { path: 'caseNumber', message: 'Required' },
      { path: 'insurer', message: 'Required' },
      { path: 'policyholder.name', message: 'Required' },
    ]);
    expect(issues({ ...MINIMAL, caseNumber: '   ' })).toEqual([
      { path: 'caseNumber', message: 'Required' },
    ]);
  });

  it('limits caseNumber to 64 characters after trimming', () => {
    expect(ok({ ...MINIMAL, caseNumber: 'x'.repeat(64) }).caseNumber).toHaveLength(64);
    expect(ok({ ...MINIMAL, caseNumber: `  ${'x'.repeat(64)}  ` }).caseNumber).toHaveLength(64);
    expect(ok({ ...MINIMAL, caseNumber: 'x' }).caseNumber).toBe('x');
    expect(issues({ ...MINIMAL, caseNumber: 'x'.repeat(65) })).toEqual([
      { path: 'caseNumber', message: 'At most 64 characters' },
    ]);
  });

  it('rejects a required object of the wrong type', () => {
    expect(issues({ ...MINIMAL, insurer: 'Tryg' })).toEqual([
      { path: 'insurer', message: 'Expected an object' },
    ]);
    expect(issues({ ...MINIMAL, policyholder: ['Jens'] })).toEqual([
      { path: 'policyholder', message: 'Expected an object' },
    ]);
  });
});

describe('parseClaim: limits and formats', () => {
  it('puts maximum lengths on strings', () => {
    expect(ok({ ...MINIMAL, insurer: { name: 'n'.repeat(200) } }).insurer.name).toHaveLength(200);
    expect(issues({ ...MINIMAL, insurer: { name: 'n'.repeat(201) } })).toEqual([
      { path: 'insurer.name', message: 'At most 200 characters' },
    ]);
    expect(
      paths({ ...MINIMAL, policyholder: { name: 'Jens', address: { street: 's'.repeat(201) } } }),
    ).toEqual(['policyholder.address.street']);
    expect(
      ok({ ...MINIMAL, damage: { description: 'd'.repeat(10_000) } }).damage?.description,
    ).toHaveLength(10_000);
    expect(paths({ ...MINIMAL, damage: { description: 'd'.repeat(10_001) } })).toEqual([
      'damage.description',
    ]);
    const longUrl = `https://scalepoint.com/${'a'.repeat(2000 - 23)}`;
    expect(longUrl).toHaveLength(2000);
    expect(ok({ ...MINIMAL, caseUrl: longUrl }).caseUrl).toBe(longUrl);
    expect(paths({ ...MINIMAL, caseUrl: `${longUrl}a` })).toEqual(['caseUrl']);
  });

  it.each([
    'https://www.scalepoint.com/dk/case/8f2c1d',
    'http://localhost:8080/x?y=1#z',
    ' HTTPS://SCALEPOINT.COM ',
  ])('accepts caseUrl %j', (caseUrl) => {
    expect(ok({ ...MINIMAL, caseUrl }).caseUrl).toBe(caseUrl.trim());
  });

  it.each([
    'javascript:alert(1)',
    'ftp://scalepoint.com/x',
    'www.scalepoint.com/case',
    'data:text/html,hi',
    'mailto:a@b.dk',
    'not a url',
    'https://',
  ])('rejects caseUrl %j', (caseUrl) => {
    expect(issues({ ...MINIMAL, caseUrl })).toEqual([
      { path: 'caseUrl', message: 'Must be an http(s) URL' },
    ]);
  });

  it('keeps e-mail addresses as text and never rejects a claim for their format', () => {
    expect(
      ok({ ...MINIMAL, policyholder: { name: 'Jens', email: 'jørgen.æblegård@eksempel.dk' } })
        .policyholder.email,
    ).toBe('jørgen.æblegård@eksempel.dk');
    expect(
      ok({
        ...MINIMAL,
        contacts: [
          { name: 'A', email: 'a@b.dk' },
          { name: 'B', email: ' not-an-email ' },
        ],
      }).contacts[1]?.email,
    ).toBe('not-an-email');
    expect(paths({ ...MINIMAL, insurer: { name: 'Tryg', email: 'x'.repeat(255) } })).toEqual([
      'insurer.email',
    ]);
  });

  it('allows at most 50 contacts', () => {
    const fifty = Array.from({ length: 50 }, (_, i) => ({ name: `Kontakt ${i}` }));
    expect(ok({ ...MINIMAL, contacts: fifty }).contacts).toHaveLength(50);
    expect(issues({ ...MINIMAL, contacts: [...fifty, { name: 'en for meget' }] })).toEqual([
      { path: 'contacts', message: 'At most 50 contacts' },
    ]);
  });

  it('drops null and empty contacts but keeps indices in issue paths', () => {
    const claim = ok({
      ...MINIMAL,
      contacts: [null, {}, { name: null, email: '' }, { role: 'Lejer' }, { name: 'Mette' }],
    });
    expect(claim.contacts).toEqual([{ role: 'Lejer' }, { name: 'Mette' }]);
    expect(paths({ ...MINIMAL, contacts: [null, {}, { email: 'x'.repeat(255) }] })).toEqual([
      'contacts.2.email',
    ]);
    expect(issues({ ...MINIMAL, contacts: 'Mette' })).toEqual([
      { path: 'contacts', message: 'Expected a list' },
    ]);
    expect(issues({ ...MINIMAL, contacts: ['Mette'] })).toEqual([
      { path: 'contacts.0', message: 'Expected an object' },
    ]);
  });

  it('treats an address with no fields as absent and rejects a non-object address', () => {
    expect(ok({ ...MINIMAL, damageAddress: {} }).damageAddress).toBeUndefined();
    expect(
      ok({ ...MINIMAL, damageAddress: { floor: null, companyId: 'x' } }).damageAddress,
    ).toBeUndefined();
    expect(issues({ ...MINIMAL, damageAddress: 'Vestergade 12' })).toEqual([
      { path: 'damageAddress', message: 'Expected an object' },
    ]);
  });
});

describe('parseClaim: unknown fields', () => {
  it('strips unknown fields at every level', () => {
    const claim = ok({
      ...MINIMAL,
      companyId: 'other-company',
      status: 'sent',
      id: 'x',
      orderId: 'y',
      customerId: 'z',
      __proto__: { admin: true },
      damage: { description: 'Vand', severity: 'high', status: 'open' },
      insurer: {
        name: 'Tryg',
        companyId: 'c',
        customerNumber: '1',
        address: { street: 'Klausdalsbrovej', companyId: 'c', geo: [1, 2] },
      },
      policyholder: {
        name: 'Jens',
        role: 'admin',
        passwordHash: 'x',
        address: { city: 'Aarhus', status: 'x' },
      },
      damageAddress: { street: 'Vestergade', id: 'x' },
      contacts: [{ name: 'Mette', companyId: 'c', position: 99, text: '<script>' }],
    });
    expect(defined(claim)).toStrictEqual({
      caseNumber: 'SP-1',
      damage: { description: 'Vand' },
      insurer: { name: 'Tryg', address: { street: 'Klausdalsbrovej' } },
      policyholder: { name: 'Jens', address: { city: 'Aarhus' } },
      damageAddress: { street: 'Vestergade' },
      contacts: [{ name: 'Mette' }],
    });
    expect(Object.keys(claim)).not.toContain('companyId');
    expect(Object.keys(claim)).not.toContain('status');
    expect(Object.keys(claim.insurer)).not.toContain('companyId');
    expect(Object.keys(claim.contacts[0]!)).not.toContain('companyId');
    expect((claim as Record<string, unknown>).admin).toBeUndefined();
  });

  it('does not pick up a JSON "__proto__" key', () => {
    const claim = ok(
      JSON.parse(
        '{"caseNumber":"SP-1","insurer":{"name":"Tryg"},"policyholder":{"name":"Jens"},"__proto__":{"companyId":"evil"}}',
      ),
    );
    expect((claim as Record<string, unknown>).companyId).toBeUndefined();
    expect(({} as Record<string, unknown>).companyId).toBeUndefined();
  });
});

describe('parseClaim: non-object bodies', () => {
  it.each([[null], [[]], [[MINIMAL]], ['SP-1'], [''], [42], [true], [undefined]])(
    '%j gives one issue at the root',
    (body) => {
      const r = issues(body);
      expect(r).toHaveLength(1);
      expect(r[0]!.path).toBe('');
      expect(r[0]!.message).toMatch(/object|Required/);
    },
  );
});

describe('parseClaim: never throws', () => {
  it('on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = parseClaim(v);
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) {
          expect(r.issues.length).toBeGreaterThan(0);
          for (const i of r.issues) {
            expect(typeof i.path).toBe('string');
            expect(typeof i.message).toBe('string');
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('on anything, including odd prototypes', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withNullPrototype: true,
          withBoxedValues: true,
          withMap: true,
          withSet: true,
          withTypedArray: true,
          withSparseArray: true,
          withDate: true,
          withBigInt: true,
        }),
        (v) => {
          expect(() => parseClaim(v)).not.toThrow();
        },
      ),
      { numRuns: 500 },
    );
  });

  it('on claim-shaped objects with arbitrary field values', () => {
    const field = fc.oneof(fc.jsonValue(), fc.string(), fc.constant(null));
    const address = fc.record(
      { street: field, houseNumber: field, floor: field, postalCode: field, city: field },
      { requiredKeys: [] },
    );
    const claimLike = fc.record(
      {
        caseNumber: field,
        caseUrl: field,
        damage: fc.oneof(
          field,
          fc.record({ description: field, cause: field, date: field }, { requiredKeys: [] }),
        ),
        insurer: fc.oneof(
          field,
          fc.record(
            { name: field, email: field, cvr: field, address: fc.oneof(field, address) },
            { requiredKeys: [] },
          ),
        ),
        policyholder: fc.oneof(
          field,
          fc.record(
            { name: field, phone: field, mobile: field, address: fc.oneof(field, address) },
            { requiredKeys: [] },
          ),
        ),
        damageAddress: fc.oneof(field, address),
        contacts: fc.oneof(
          field,
          fc.array(
            fc.oneof(
              field,
              fc.record({ name: field, email: field, address }, { requiredKeys: [] }),
            ),
            { maxLength: 60 },
          ),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(claimLike, (v) => {
        const r = parseClaim(v);
        if (r.ok) {
          expect(r.claim.caseNumber.length).toBeGreaterThan(0);
          expect(r.claim.caseNumber.length).toBeLessThanOrEqual(64);
          expect(r.claim.insurer.name.length).toBeGreaterThan(0);
          expect(r.claim.policyholder.name.length).toBeGreaterThan(0);
          expect(Array.isArray(r.claim.contacts)).toBe(true);
        } else {
          expect(r.issues.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});

/** Independent oracle: a control character other than tab/LF/CR, or a UTF-16 surrogate without its partner. */
function hasForbidden(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return true;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

// Every text field of a claim, as a dotted path.
const TEXT_PATHS = [
  'caseNumber',
  'caseUrl',
  'caseType',
  'policyNumber',
  'damage.description',
  'damage.cause',
  'damage.date',
  'insurer.name',
  'insurer.alias',
  'insurer.cvr',
  'insurer.phone',
  'insurer.email',
  'insurer.address.street',
  'insurer.address.houseNumber',
  'insurer.address.floor',
  'insurer.address.postalCode',
  'insurer.address.city',
  'policyholder.name',
  'policyholder.phone',
  'policyholder.mobile',
  'policyholder.email',
  'policyholder.address.street',
  'policyholder.address.city',
  'damageAddress.street',
  'damageAddress.houseNumber',
  'damageAddress.floor',
  'damageAddress.postalCode',
  'damageAddress.city',
  'contacts.0.name',
  'contacts.0.role',
  'contacts.0.phone',
  'contacts.0.mobile',
  'contacts.0.email',
  'contacts.0.address.street',
];

function withValue(path: string, value: string): Record<string, unknown> {
  const claim = structuredClone(EXAMPLE_CLAIM) as unknown as Record<string, unknown>;
  const keys = path.split('.');
  let cur = claim;
  for (const k of keys.slice(0, -1)) cur = cur[k] as Record<string, unknown>;
  cur[keys.at(-1)!] = value;
  return claim;
}

// Every UTF-16 code unit (so lone surrogates too), every code point, and the edge cases often.
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const edgeUnit = fc.constantFrom(
  '\u0000',
  '\u0001',
  '\u0007',
  '\u000b',
  '\u000c',
  '\u001b',
  '\u001f',
  '\t',
  '\n',
  '\r',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\ud83d\ude00',
  'a',
  'Æ',
  '\u2028',
  '\ufeff',
);
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: codeUnit, maxLength: 30 }),
  fc.string({ unit: edgeUnit, maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);

describe('parseClaim: control characters and lone surrogates', () => {
  it.each(TEXT_PATHS)(
    '%s: a NUL, a bell or a lone surrogate is an issue at that path; tab, LF and CR are text',
    (path) => {
      for (const bad of ['a\u0000b', 'a\u0007b', 'SP-\ud800', 'SP-\udfff-x', '\u001b[31m']) {
        expect(issues(withValue(path, bad)).map((i) => i.path)).toContain(path);
      }
      const good =
        path === 'caseUrl' ? 'https://example.dk/sag/\u00e6\ud83d\ude00' : 'a\tb\r\nc \ud83d\ude00';
      expect(parseClaim(withValue(path, good)).ok, path).toBe(true);
    },
  );

  it('property: any string in any text field — refused exactly when it holds a forbidden character, stored clean otherwise', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TEXT_PATHS), anyText, (path, value) => {
        const r = parseClaim(withValue(path, value));
        const trimmed = value.trim();
        const bad = trimmed !== '' && hasForbidden(trimmed);
        const atPath = r.ok ? [] : r.issues.filter((i) => i.path === path);
        if (bad) {
          expect(atPath.map((i) => i.message)).toContain(
            'Control characters and lone surrogates are not allowed',
          );
        } else {
          expect(atPath.map((i) => i.message)).not.toContain(
            'Control characters and lone surrogates are not allowed',
          );
        }
        if (r.ok) {
          const strings: string[] = [];
          JSON.stringify(r.claim, (_k, v) => (typeof v === 'string' && strings.push(v), v));
          for (const s of strings) expect(hasForbidden(s)).toBe(false);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('property: a whole claim of arbitrary strings never throws, and an accepted one holds only clean text', () => {
    const field = fc.option(anyText, { nil: undefined });
    const addr = fc.record(
      { street: field, houseNumber: field, floor: field, postalCode: field, city: field },
      { requiredKeys: [] },
    );
    const claim = fc.record({
      caseNumber: anyText,
      caseType: field,
      policyNumber: field,
      damage: fc.record({ description: field, cause: field, date: field }, { requiredKeys: [] }),
      insurer: fc.record(
        { name: anyText, alias: field, cvr: field, phone: field, email: field, address: addr },
        { requiredKeys: ['name'] },
      ),
      policyholder: fc.record(
        { name: anyText, phone: field, mobile: field, email: field, address: addr },
        { requiredKeys: ['name'] },
      ),
      damageAddress: addr,
      contacts: fc.array(
        fc.record(
          { name: field, role: field, phone: field, email: field, address: addr },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
    });
    fc.assert(
      fc.property(claim, (c) => {
        const r = parseClaim(c);
        if (r.ok) {
          const strings: string[] = [];
          JSON.stringify(r.claim, (_k, v) => (typeof v === 'string' && strings.push(v), v));
          for (const s of strings) expect(hasForbidden(s)).toBe(false);
        } else if (hasForbidden(c.caseNumber.trim())) {
          expect(r.issues.map((i) => i.path)).toContain('caseNumber');
        }
      }),
      { numRuns: 1000 },
    );
  });
});
