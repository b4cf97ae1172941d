/**
 * The one address shape of Kladde: a customer's address, an order's Installationsadresse, a
 * work-sheet note's address and a claim's addresses all have these five parts (the columns come
 * from db/schema/address.ts). No server imports: pages and components format with it too.
 */
export type Address = {
  street?: string | null;
  houseNumber?: string | null;
  floor?: string | null;
  postalCode?: string | null;
  city?: string | null;
};

/** "Vestergade 12, 2. th., 8000 Aarhus C" */
export function formatAddress(a: Address): string {
  const line1 = [a.street, a.houseNumber].filter(Boolean).join(' ');
  const line2 = [a.postalCode, a.city].filter(Boolean).join(' ');
  return [line1, a.floor, line2].filter((p) => p && p.trim()).join(', ');
}
