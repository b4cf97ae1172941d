/**
 * The key two company names are matched on: trimmed, inner whitespace collapsed, and
 * lower-cased by Danish rules (so "TRYG  forsikring A/S" ≡ "Tryg Forsikring A/S", "ÆBLE" ≡ "æble").
 * NFC first so a decomposed "å" (a + ring) matches a composed one.
 */
export function nameKey(name: string): string {
  return name.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('da-DK');
}

/** Escape LIKE wildcards so a search for "50%" means the characters, not a pattern. */
export function likeContains(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

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
