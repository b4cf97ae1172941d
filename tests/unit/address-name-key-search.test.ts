import { describe, expect, it } from 'vitest';
import { formatAddress } from '@/lib/address';
import { nameKey } from '@/lib/name-key';
import { likeContains } from '@/lib/search';

describe('nameKey', () => {
  it.each([
    ['TRYG  forsikring a/s', 'Tryg Forsikring A/S'],
    ['  Tryg\tForsikring\nA/S ', 'tryg forsikring a/s'],
    ['ÆBLE ØKO ÅEN', 'æble øko åen'],
    ['A\u030Arhus Forsikring', 'Århus forsikring'], // decomposed å
  ])('%j matches %j', (a, b) => {
    expect(nameKey(a)).toBe(nameKey(b));
  });

  it('keeps different names apart', () => {
    expect(nameKey('Tryg Forsikring A/S')).not.toBe(nameKey('Topdanmark Forsikring A/S'));
    expect(nameKey('Aa')).not.toBe(nameKey('Å'));
  });
});

describe('likeContains', () => {
  it('escapes wildcards', () => {
    expect(likeContains('50%_x\\')).toBe('%50\\%\\_x\\\\%');
  });
});

describe('formatAddress', () => {
  it('formats a Danish address', () => {
    expect(
      formatAddress({
        street: 'Vestergade',
        houseNumber: '12',
        floor: '2. th.',
        postalCode: '8000',
        city: 'Aarhus C',
      }),
    ).toBe('Vestergade 12, 2. th., 8000 Aarhus C');
    expect(formatAddress({ postalCode: '8000', city: 'Aarhus C' })).toBe('8000 Aarhus C');
    expect(formatAddress({})).toBe('');
  });
});
