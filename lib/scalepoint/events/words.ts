/** The Events API room's Danish words (docs/events-api.md); free of imports so client forms stay small. */

/** A connection's environments. */
export const environmentLabel = { sandbox: 'Sandbox', production: 'Produktion' } as const;
export type ConnectionEnvironment = keyof typeof environmentLabel;

/**
 * A connection's health in Danish, for the status card, support's company view and the alert
 * mail. The poller stores machine codes (lib/scalepoint/events/poller.ts, errorCodeOf).
 */
const ERROR_TEXTS: Record<string, string> = {
  invalid_client:
    'Scalepoint kender ikke certifikatet (invalid_client). Certifikatet skal registreres hos Scalepoint.',
  token_refused: 'Scalepoint afviste at udstede en adgangsnøgle.',
  unauthorized: 'Scalepoint afviste adgangsnøglen.',
  unknown_tenant: 'Scalepoint kender ikke forbindelsens tenant.',
  unreachable: 'Scalepoint svarer ikke.',
  bad_response: 'Scalepoint svarede med noget, Kladde ikke kunne læse.',
  database_unavailable: 'Kladdes database svarede ikke.',
  internal_error: 'En fejl i Kladde. Kladdes support er underrettet via loggen.',
};

export function connectionErrorText(code: string | null | undefined): string {
  if (!code) return '';
  return ERROR_TEXTS[code] ?? `Ukendt fejl (${code}).`;
}
