/** The module's state in Danish (the admin page and support's list). */
export type IntegrationStatus = 'disabled' | 'awaiting_access' | 'active';

export const statusLabel: Record<IntegrationStatus, string> = {
  disabled: 'Ikke aktiveret',
  awaiting_access: 'Afventer adgang fra Scalepoint',
  active: 'Aktiv',
};

/** `hasAccess`: credentials for direct delivery stored, or at least one Events API connection. */
export function integrationStatus(enabled: boolean, hasAccess: boolean): IntegrationStatus {
  if (!enabled) return 'disabled';
  return hasAccess ? 'active' : 'awaiting_access';
}

/** What Gem on the module's page answers. */
export const settingsAnswers = {
  orderTypeNotOwn: 'Vælg en af virksomhedens egne, aktive ordretyper.',
  saved: 'Gemt. Indstillingerne gælder for alle nye sager fra Scalepoint.',
};
