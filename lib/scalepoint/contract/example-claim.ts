/**
 * The example claim body of the intake contract (docs/intake.md), verbatim: the one fixture the
 * unit and integration tests, the scripts (bench, faults) and the Playwright specs share.
 * Frozen, so no caller can change it for another; use {@link exampleClaimWith} (a mutable deep
 * copy) to vary it. (lib/scalepoint/contract/openapi.ts still holds its own copy for the OpenAPI example.)
 */
export const VESTERGADE_2TH = Object.freeze({
  street: 'Vestergade',
  houseNumber: '12',
  floor: '2. th.',
  postalCode: '8000',
  city: 'Aarhus C',
});

export const EXAMPLE_CLAIM = Object.freeze({
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
    mobile: null,
    email: 'jens@example.dk',
    address: VESTERGADE_2TH,
  },
  damageAddress: VESTERGADE_2TH,
  contacts: [
    {
      name: 'Mette Jensen',
      role: 'Lejer',
      phone: '31 22 33 44',
      mobile: null,
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

/** A mutable deep copy of the example claim with another case number. */
export function exampleClaimWith(caseNumber: string) {
  return { ...structuredClone(EXAMPLE_CLAIM), caseNumber };
}
