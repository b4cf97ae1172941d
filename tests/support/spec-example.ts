/**
 * The example claim body of SPEC.md §4, verbatim: the one fixture the unit and integration
 * tests share. Frozen, so no test can change it for another; spread or clone it to vary it.
 */
export const VESTERGADE_2TH = Object.freeze({ street: 'Vestergade', houseNumber: '12', floor: '2. th.', postalCode: '8000', city: 'Aarhus C' });

export const SPEC_EXAMPLE = Object.freeze({
  caseNumber: 'SP-2026-104233',
  caseUrl: 'https://www.scalepoint.com/dk/case/8f2c1d',
  caseType: 'buildingClaim',
  policyNumber: '641-2231-77',
  damage: { description: 'Vandskade i køkken efter sprunget rør.', cause: 'Vandskade', date: '2026-11-24' },
  insurer: {
    name: 'Tryg Forsikring A/S', alias: 'tryg', cvr: '24260666', phone: '70 11 20 20', email: 'skade@tryg.dk',
    address: { street: 'Klausdalsbrovej', houseNumber: '601', postalCode: '2750', city: 'Ballerup' },
  },
  policyholder: { name: 'Jens Hansen', phone: '+45 20 12 34 56', mobile: null, email: 'jens@example.dk', address: VESTERGADE_2TH },
  damageAddress: VESTERGADE_2TH,
  contacts: [
    {
      name: 'Mette Jensen', role: 'Lejer', phone: '31 22 33 44', mobile: null, email: 'mette@example.dk',
      address: { street: 'Vestergade', houseNumber: '12', floor: '1. tv.', postalCode: '8000', city: 'Aarhus C' },
    },
  ],
});
