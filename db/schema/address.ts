import { text, type PgTextBuilderInitial } from 'drizzle-orm/pg-core';

/** The five parts of an address (lib/address.ts) and their column names. */
const addressParts = {
  street: 'street',
  houseNumber: 'house_number',
  floor: 'floor',
  postalCode: 'postal_code',
  city: 'city',
} as const;
type AddressPart = keyof typeof addressParts;
type Column<Name extends string> = PgTextBuilderInitial<Name, [string, ...string[]]>;

/** The address columns of a table: street, house_number, floor, postal_code, city (all nullable text). */
export function addressColumns(): { [K in AddressPart]: Column<(typeof addressParts)[K]> } {
  return {
    street: text(addressParts.street),
    houseNumber: text(addressParts.houseNumber),
    floor: text(addressParts.floor),
    postalCode: text(addressParts.postalCode),
    city: text(addressParts.city),
  };
}

/** The same five with a prefix: `installation` gives installationStreet → installation_street, and so on. */
export function prefixedAddressColumns<P extends string>(
  prefix: P,
): { [K in AddressPart as `${P}${Capitalize<K>}`]: Column<`${P}_${(typeof addressParts)[K]}`> } {
  const entries = (Object.keys(addressParts) as AddressPart[]).map((part) => [
    `${prefix}${part.charAt(0).toUpperCase()}${part.slice(1)}`,
    text(`${prefix}_${addressParts[part]}`),
  ]);
  return Object.fromEntries(entries) as {
    [K in AddressPart as `${P}${Capitalize<K>}`]: Column<`${P}_${(typeof addressParts)[K]}`>;
  };
}
