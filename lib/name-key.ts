/**
 * The key two company names are matched on: trimmed, inner whitespace collapsed, and
 * lower-cased by Danish rules (so "TRYG  forsikring A/S" ≡ "Tryg Forsikring A/S", "ÆBLE" ≡ "æble").
 * NFC first so a decomposed "å" (a + ring) matches a composed one.
 */
export function nameKey(name: string): string {
  return name.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('da-DK');
}
