/**
 * E-mail addresses are kept trimmed and lower-cased, so "Anne@Firma.dk " and "anne@firma.dk" are
 * one user in all of Kladde (the unique index is on lower(email), docs/people.md). No server
 * imports: forms use it too.
 */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
