/**
 * The admin room's Danish words (docs/scalepoint-mail.md): the access mail's text and the answers
 * of Send mail til Scalepoint. No queries and no actions here (docs/architecture.md, "The
 * Scalepoint module's rooms").
 */
import type { OutgoingMail } from '@/lib/email';

export type AccessMail = Omit<OutgoingMail, 'idempotencyKey'>;

/** The access mail (docs/scalepoint-mail.md): what the admin previews is exactly what is sent. */
export function composeAccessMail(input: {
  company: {
    name: string;
    cvr: string;
    address?: string | null;
    phone?: string | null;
    email?: string | null;
  };
  admin: { name: string; email: string };
  appUrl: string;
  to: string;
  from: string;
}): AccessMail {
  const intakeUrl = `${input.appUrl}/api/scalepoint/claims`;
  const text = [
    'Kære Scalepoint',
    '',
    `${input.company.name} (CVR ${input.company.cvr}) bruger ordresystemet Kladde og beder jer sende virksomhedens forsikringssager til Kladde, så de automatisk bliver til ordrekladder.`,
    '',
    `Virksomhed: ${input.company.name}`,
    `CVR: ${input.company.cvr}`,
    // Firmaoplysninger (docs/people.md), where the admin has filled them in.
    ...(input.company.address ? [`Adresse: ${input.company.address}`] : []),
    ...(input.company.phone ? [`Telefon: ${input.company.phone}`] : []),
    ...(input.company.email ? [`Virksomhedens e-mail: ${input.company.email}`] : []),
    `Kontaktperson: ${input.admin.name}`,
    `E-mail: ${input.admin.email}`,
    '',
    'Sagerne skal sendes til:',
    `  POST ${intakeUrl}`,
    '  Signeret efter Standard Webhooks v1 (webhook-id, webhook-timestamp, webhook-signature) med headeren scalepoint-account-id.',
    '',
    'Send venligst konto-id og signeringsnøgle til Kladdes support, så gemmer de adgangen, og integrationen begynder at virke.',
    '',
    'Venlig hilsen',
    input.admin.name,
    input.company.name,
  ].join('\n');
  return {
    from: input.from,
    to: input.to,
    cc: input.admin.email,
    replyTo: input.admin.email,
    subject: `Kladde: adgang til forsikringssager for ${input.company.name} (CVR ${input.company.cvr})`,
    text,
  };
}

/** What Send mail til Scalepoint answers. */
export const accessMailAnswers = {
  moduleOff:
    'Slå modulet til, vælg en standard ordretype og tryk Gem, før du sender mailen til Scalepoint.',
  sentRecently: 'Mail sendt til Scalepoint for under et minut siden. Der er ikke sendt en ny.',
  failedRecently:
    'Mailen blev forsøgt sendt for under et minut siden og gik ikke igennem. Vent et minut, og prøv igen.',
  sent: (to: string) => `Mail sendt til Scalepoint (${to}). Du får selv en kopi.`,
  noMailService:
    'Mailen er ikke sendt: der er ikke sat en mailtjeneste (RESEND_API_KEY) op på serveren. Forsøget er gemt; kontakt Kladdes support.',
  failed: (error: string) => `Mailen kunne ikke sendes (${error}). Prøv igen om et minut.`,
};
