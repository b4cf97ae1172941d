/**
 * What a claim becomes (docs/intake.md, "What a claim becomes"): pure mapping from a parsed {@link Claim}
 * to order draft fields, notes and customer fields. No database, no I/O.
 */
import type { CustomerFields } from '@/lib/customers/numbering';
import type { NoteFields } from '@/lib/orders/create';
import type { Address } from '@/lib/address';
import type { Claim, ClaimAddress } from '../contract/claim';

/** `Scalepoint – {caseNumber}` with an en dash (U+2013) and a space each side. */
export function draftHeading(caseNumber: string): string {
  return `Scalepoint \u2013 ${caseNumber}`;
}

/** damage.description, then a blank line and caseUrl when given; just caseUrl without a description; null if neither. */
export function workDescription(claim: Claim): string | null {
  const description = claim.damage?.description;
  const url = claim.caseUrl;
  if (description && url) return `${description}\n\n${url}`;
  return description ?? url ?? null;
}

function toAddress(a: ClaimAddress | null | undefined): Address | null {
  if (!a) return null;
  return {
    street: a.street ?? null,
    houseNumber: a.houseNumber ?? null,
    floor: a.floor ?? null,
    postalCode: a.postalCode ?? null,
    city: a.city ?? null,
  };
}

/** The damage address: claim.damageAddress, or the policyholder's address when it is absent. */
export function damageAddressOf(claim: Claim): Address | null {
  return toAddress(claim.damageAddress ?? claim.policyholder.address);
}

/**
 * Comparison key of one address part: NFC, lower-cased by Danish rules, with whitespace and the
 * punctuation . , ; : removed (so '2. th.' ≡ '2 th' ≡ '2.TH', '12 A' ≡ '12a').
 */
function part(v: string | null | undefined): string {
  if (!v) return '';
  return v
    .normalize('NFC')
    .toLocaleLowerCase('da-DK')
    .replace(/[\s.,;:]+/g, '');
}

/**
 * Whether two addresses are the same for the Installationsadresse rule: normalised street,
 * house number, floor and postal code are equal (the city is not compared). Absent parts equal
 * empty ones, so two absent addresses are the same.
 */
export function sameAddress(a: Address | null | undefined, b: Address | null | undefined): boolean {
  return (
    part(a?.street) === part(b?.street) &&
    part(a?.houseNumber) === part(b?.houseNumber) &&
    part(a?.floor) === part(b?.floor) &&
    part(a?.postalCode) === part(b?.postalCode)
  );
}

/** The damage address, only when it differs from the customer's address; else null. */
export function installationAddress(claim: Claim, customerAddress: Address): Address | null {
  const damage = damageAddressOf(claim);
  if (!damage) return null;
  return sameAddress(damage, customerAddress) ? null : damage;
}

/** One work-sheet note per contact (the claim parser already dropped empty contacts). */
export function contactNotes(claim: Claim): NoteFields[] {
  return claim.contacts.map((c) => ({
    name: c.name ?? null,
    role: c.role ?? null,
    street: c.address?.street ?? null,
    houseNumber: c.address?.houseNumber ?? null,
    floor: c.address?.floor ?? null,
    postalCode: c.address?.postalCode ?? null,
    city: c.address?.city ?? null,
    phone: c.phone ?? null,
    mobile: c.mobile ?? null,
    email: c.email ?? null,
  }));
}

function addressFields(a: ClaimAddress | undefined) {
  return {
    street: a?.street ?? null,
    houseNumber: a?.houseNumber ?? null,
    floor: a?.floor ?? null,
    postalCode: a?.postalCode ?? null,
    city: a?.city ?? null,
  };
}

/** A new customer made from the insurer: name, address, phone, e-mail, CVR. */
export function customerFromInsurer(claim: Claim): CustomerFields {
  const i = claim.insurer;
  return {
    name: i.name,
    ...addressFields(i.address),
    phone: i.phone ?? null,
    email: i.email ?? null,
    cvr: i.cvr ?? null,
  };
}

/** A new customer made from the policyholder: name, address, phone, mobile, e-mail. */
export function customerFromPolicyholder(claim: Claim): CustomerFields {
  const p = claim.policyholder;
  return {
    name: p.name,
    ...addressFields(p.address),
    phone: p.phone ?? null,
    mobile: p.mobile ?? null,
    email: p.email ?? null,
  };
}
