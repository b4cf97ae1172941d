import { describe, expect, it } from 'vitest';
import { parseClaim, type Claim } from '@/lib/scalepoint/contract/claim';
import {
  contactNotes,
  customerFromInsurer,
  customerFromPolicyholder,
  damageAddressOf,
  draftHeading,
  installationAddress,
  sameAddress,
  workDescription,
} from '@/lib/scalepoint/intake/mapping';
import { EXAMPLE_CLAIM, VESTERGADE_2TH } from '@/lib/scalepoint/contract/example-claim';

function claimOf(body: Record<string, unknown>): Claim {
  const r = parseClaim(body);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.claim;
}

const MINIMAL = { caseNumber: 'SP-1', insurer: { name: 'Tryg' }, policyholder: { name: 'Jens' } };

describe('draftHeading', () => {
  it('uses an en dash (U+2013) with a space each side', () => {
    const h = draftHeading('SP-2026-104233');
    expect(h).toBe('Scalepoint \u2013 SP-2026-104233');
    expect(h).toBe('Scalepoint – SP-2026-104233');
    expect(h).not.toContain('-  ');
    expect([...h].map((c) => c.codePointAt(0))).toContain(0x2013);
    expect(h.split(' ')).toEqual(['Scalepoint', '\u2013', 'SP-2026-104233']);
  });
});

describe('workDescription', () => {
  it('gives the description, a blank line and the case URL', () => {
    expect(workDescription(claimOf(EXAMPLE_CLAIM))).toBe(
      'Vandskade i køkken efter sprunget rør.\n\nhttps://www.scalepoint.com/dk/case/8f2c1d',
    );
  });
  it('gives just the description without a URL', () => {
    expect(
      workDescription(claimOf({ ...MINIMAL, damage: { description: 'Vandskade' }, caseUrl: '' })),
    ).toBe('Vandskade');
  });
  it('gives just the URL without a description', () => {
    expect(
      workDescription(
        claimOf({ ...MINIMAL, damage: { cause: 'Vandskade' }, caseUrl: 'https://x.dk/c' }),
      ),
    ).toBe('https://x.dk/c');
    expect(workDescription(claimOf({ ...MINIMAL, damage: null, caseUrl: 'https://x.dk/c' }))).toBe(
      'https://x.dk/c',
    );
  });
  it('gives null when neither is given', () => {
    expect(workDescription(claimOf(MINIMAL))).toBeNull();
    expect(
      workDescription(claimOf({ ...MINIMAL, damage: { description: '  ' }, caseUrl: null })),
    ).toBeNull();
  });
  it('keeps line breaks inside the description', () => {
    expect(
      workDescription(
        claimOf({
          ...MINIMAL,
          damage: { description: 'Linje 1\nLinje 2' },
          caseUrl: 'https://x.dk',
        }),
      ),
    ).toBe('Linje 1\nLinje 2\n\nhttps://x.dk');
  });
});

describe('damageAddressOf', () => {
  it('is the damage address when given', () => {
    const claim = claimOf({
      ...MINIMAL,
      damageAddress: { street: 'Skovvej', houseNumber: '3' },
      policyholder: { name: 'Jens', address: VESTERGADE_2TH },
    });
    expect(damageAddressOf(claim)).toEqual({
      street: 'Skovvej',
      houseNumber: '3',
      floor: null,
      postalCode: null,
      city: null,
    });
  });
  it("falls back on the policyholder's address when absent or empty", () => {
    for (const damageAddress of [undefined, null, {}, { street: '' }]) {
      const claim = claimOf({
        ...MINIMAL,
        damageAddress,
        policyholder: { name: 'Jens', address: VESTERGADE_2TH },
      });
      expect(damageAddressOf(claim)).toEqual(VESTERGADE_2TH);
    }
  });
  it('is null when there is neither', () => {
    expect(damageAddressOf(claimOf(MINIMAL))).toBeNull();
  });
});

describe('sameAddress', () => {
  const base = { street: 'Vestergade', houseNumber: '12', floor: '2. th.', postalCode: '8000' };

  it.each([
    ['identical', base],
    ["'2 th'", { ...base, floor: '2 th' }],
    ["'2.TH'", { ...base, floor: '2.TH' }],
    ["'2., th'", { ...base, floor: '2., th' }],
    ['upper-case street', { ...base, street: 'VESTERGADE' }],
    ['padded and spaced', { ...base, street: '  Vester gade ', houseNumber: ' 12 ' }],
    ["'12 A' vs '12a'", { ...base, houseNumber: '12a' }, { ...base, houseNumber: '12 A' }],
    [
      'Danish letters in any case',
      { ...base, street: 'ÆBLEGÅRDSVEJ' },
      { ...base, street: 'æblegårdsvej' },
    ],
    ['decomposed å', { ...base, street: 'Ha\u030Avej' }, { ...base, street: 'Håvej' }],
    ['a different city only', { ...base, city: 'Aarhus C' }, { ...base, city: 'Århus' }],
  ])('treats %s as the same', (_name, a, b = base) => {
    expect(sameAddress(a, b)).toBe(true);
    expect(sameAddress(b, a)).toBe(true);
  });

  it.each([
    ['another floor', { ...base, floor: '1. th.' }],
    ['another side', { ...base, floor: '2. tv.' }],
    ['no floor', { ...base, floor: null }],
    ['another house number', { ...base, houseNumber: '14' }],
    ['a house letter', { ...base, houseNumber: '12B' }],
    ['another postal code', { ...base, postalCode: '8200' }],
    ['another street', { ...base, street: 'Østergade' }],
    ['an empty address', {}],
  ])('treats %s as different', (_name, other) => {
    expect(sameAddress(base, other)).toBe(false);
    expect(sameAddress(other, base)).toBe(false);
  });

  it('treats absent and empty addresses as the same', () => {
    expect(sameAddress(null, undefined)).toBe(true);
    expect(sameAddress(null, {})).toBe(true);
    expect(sameAddress({ street: null, floor: '' }, undefined)).toBe(true);
    expect(sameAddress(null, base)).toBe(false);
  });
});

describe('installationAddress', () => {
  it('is null when the damage address is the customer address, after normalising', () => {
    const claim = claimOf(EXAMPLE_CLAIM);
    expect(installationAddress(claim, VESTERGADE_2TH)).toBeNull();
    expect(
      installationAddress(claim, {
        street: 'vestergade',
        houseNumber: '12',
        floor: '2 TH',
        postalCode: '8000',
        city: 'Århus',
      }),
    ).toBeNull();
  });

  it('is the damage address when only the floor differs', () => {
    const claim = claimOf(EXAMPLE_CLAIM);
    expect(installationAddress(claim, { ...VESTERGADE_2TH, floor: '1. th.' })).toEqual(
      VESTERGADE_2TH,
    );
  });

  it('is the damage address when the customer is the insurer', () => {
    const claim = claimOf(EXAMPLE_CLAIM);
    const insurer = customerFromInsurer(claim);
    expect(installationAddress(claim, insurer)).toEqual(VESTERGADE_2TH);
  });

  it("uses the policyholder's address when damageAddress is absent: null when the customer is the policyholder", () => {
    const { damageAddress: _omit, ...rest } = EXAMPLE_CLAIM;
    void _omit;
    const claim = claimOf(rest);
    expect(claim.damageAddress).toBeUndefined();
    expect(installationAddress(claim, customerFromPolicyholder(claim))).toBeNull();
    expect(installationAddress(claim, customerFromInsurer(claim))).toEqual(VESTERGADE_2TH);
  });

  it('is null when there is no damage address at all', () => {
    const claim = claimOf(MINIMAL);
    expect(
      installationAddress(claim, { street: 'Klausdalsbrovej', houseNumber: '601' }),
    ).toBeNull();
    expect(installationAddress(claim, {})).toBeNull();
  });

  it('is the damage address when the customer has no address', () => {
    const claim = claimOf({
      ...MINIMAL,
      damageAddress: { street: 'Skovvej', houseNumber: '3', postalCode: '8600', city: 'Silkeborg' },
    });
    expect(installationAddress(claim, {})).toEqual({
      street: 'Skovvej',
      houseNumber: '3',
      floor: null,
      postalCode: '8600',
      city: 'Silkeborg',
    });
  });
});

describe('contactNotes', () => {
  it('gives one note per contact with every field', () => {
    expect(contactNotes(claimOf(EXAMPLE_CLAIM))).toEqual([
      {
        name: 'Mette Jensen',
        role: 'Lejer',
        street: 'Vestergade',
        houseNumber: '12',
        floor: '1. tv.',
        postalCode: '8000',
        city: 'Aarhus C',
        phone: '31 22 33 44',
        mobile: null,
        email: 'mette@example.dk',
      },
    ]);
  });

  it('keeps the order of the contacts and fills absent fields with null', () => {
    const claim = claimOf({
      ...MINIMAL,
      contacts: [
        { name: 'A', mobile: '40 00 00 01' },
        null,
        { role: 'Udlejer', email: 'b@x.dk', address: { city: 'Odense' } },
        {
          name: 'C',
          address: { street: 'Skovvej', houseNumber: '3', floor: 'st.', postalCode: '5000' },
        },
      ],
    });
    const empty = {
      name: null,
      role: null,
      street: null,
      houseNumber: null,
      floor: null,
      postalCode: null,
      city: null,
      phone: null,
      mobile: null,
      email: null,
    };
    expect(contactNotes(claim)).toStrictEqual([
      { ...empty, name: 'A', mobile: '40 00 00 01' },
      { ...empty, role: 'Udlejer', email: 'b@x.dk', city: 'Odense' },
      {
        ...empty,
        name: 'C',
        street: 'Skovvej',
        houseNumber: '3',
        floor: 'st.',
        postalCode: '5000',
      },
    ]);
  });

  it('gives no notes without contacts', () => {
    expect(contactNotes(claimOf(MINIMAL))).toEqual([]);
    expect(contactNotes(claimOf({ ...MINIMAL, contacts: null }))).toEqual([]);
  });
});

describe('customer fields', () => {
  it('takes name, address, phone, e-mail and CVR from the insurer', () => {
    expect(customerFromInsurer(claimOf(EXAMPLE_CLAIM))).toStrictEqual({
      name: 'Tryg Forsikring A/S',
      street: 'Klausdalsbrovej',
      houseNumber: '601',
      floor: null,
      postalCode: '2750',
      city: 'Ballerup',
      phone: '70 11 20 20',
      email: 'skade@tryg.dk',
      cvr: '24260666',
    });
  });

  it('takes name, address, phone, mobile and e-mail from the policyholder', () => {
    expect(customerFromPolicyholder(claimOf(EXAMPLE_CLAIM))).toStrictEqual({
      name: 'Jens Hansen',
      street: 'Vestergade',
      houseNumber: '12',
      floor: '2. th.',
      postalCode: '8000',
      city: 'Aarhus C',
      phone: '+45 20 12 34 56',
      mobile: null,
      email: 'jens@example.dk',
    });
  });

  it('fills absent fields with null', () => {
    const claim = claimOf({ ...MINIMAL, policyholder: { name: 'Jens', mobile: '20 12 34 56' } });
    expect(customerFromInsurer(claim)).toStrictEqual({
      name: 'Tryg',
      street: null,
      houseNumber: null,
      floor: null,
      postalCode: null,
      city: null,
      phone: null,
      email: null,
      cvr: null,
    });
    expect(customerFromPolicyholder(claim)).toStrictEqual({
      name: 'Jens',
      street: null,
      houseNumber: null,
      floor: null,
      postalCode: null,
      city: null,
      phone: null,
      mobile: '20 12 34 56',
      email: null,
    });
  });

  it('never carries unknown fields from the claim', () => {
    const claim = claimOf({
      ...MINIMAL,
      insurer: { name: 'Tryg', companyId: 'evil', customerNumber: '1' },
      policyholder: { name: 'Jens', id: 'x', nameKey: 'y' },
    });
    expect(Object.keys(customerFromInsurer(claim)).sort()).toEqual([
      'city',
      'cvr',
      'email',
      'floor',
      'houseNumber',
      'name',
      'phone',
      'postalCode',
      'street',
    ]);
    expect(Object.keys(customerFromPolicyholder(claim)).sort()).toEqual([
      'city',
      'email',
      'floor',
      'houseNumber',
      'mobile',
      'name',
      'phone',
      'postalCode',
      'street',
    ]);
  });
});

describe('hand-built claims', () => {
  it('only need the required fields and a contact list', () => {
    const claim: Claim = {
      caseNumber: 'SP-9',
      insurer: { name: 'Tryg' },
      policyholder: { name: 'Jens' },
      contacts: [],
    };
    expect(draftHeading(claim.caseNumber)).toBe('Scalepoint – SP-9');
    expect(workDescription(claim)).toBeNull();
    expect(damageAddressOf(claim)).toBeNull();
    expect(contactNotes(claim)).toEqual([]);
  });
});
