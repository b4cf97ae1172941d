/**
 * The Events API room's Danish words (docs/events-api.md): the connection's health, Test forbindelse's
 * answers and the alert mail. Free of imports so client forms stay small.
 */

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

/** What Test forbindelse answers (check.ts). */
export const checkWords = {
  unreachable: 'Scalepoint svarer ikke. Prøv igen om lidt.',
  unknownTenant: (tenant: string) => `Tenant '${tenant}' findes ikke hos Scalepoint.`,
  tokenRefusedOnReceive:
    'Scalepoint gav et token, men afviste det ved hentning af hændelser (401).',
  connected: (tenant: string) => `Forbundet: Scalepoint gav adgang, og tenant '${tenant}' svarer.`,
  unknownCertificate:
    'Scalepoint kender ikke certifikatet (invalid_client). Send certifikatet til Scalepoint og prøv igen.',
  unusableKey: 'Forbindelsens certifikat eller nøgle kan ikke bruges. Lav et nyt certifikat.',
  tokenRefused: (code: string) => `Scalepoint afviste token-forespørgslen (${code}).`,
};

/** The mail to a company's admins when a connection keeps failing (alert-mail.ts sends it). */
export function composeConnectionAlert(input: {
  companyName: string;
  tenant: string;
  environment: string;
  code: string;
  failingSince: Date;
  appUrl: string;
}) {
  const since = new Intl.DateTimeFormat('da-DK', {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: 'Europe/Copenhagen',
  }).format(input.failingSince);
  return {
    subject: `Scalepoint: forbindelsen til ${input.tenant} virker ikke (${input.companyName})`,
    text: [
      'Hej',
      '',
      `Kladde har ikke kunnet hente sager fra Scalepoint for ${input.companyName} siden ${since}.`,
      '',
      `Forbindelse: ${input.tenant} (${environmentLabel[input.environment as ConnectionEnvironment] ?? input.environment})`,
      `Fejl: ${connectionErrorText(input.code)}`,
      '',
      'Nye forsikringssager venter hos Scalepoint og bliver hentet, så snart forbindelsen virker igen — der går ingen sager tabt.',
      'Hvad du kan gøre: kontakt Kladdes support og nævn fejlen ovenfor. Er certifikatet udløbet eller skiftet, skal support sende det nye certifikat til Scalepoint.',
      '',
      `Status for integrationen: ${input.appUrl}/admin/modules/scalepoint`,
      '',
      'Venlig hilsen',
      'Kladde',
    ].join('\n'),
  };
}
