/**
 * Every action an audit row can name, with the Danish words a page shows for it (docs/architecture.md,
 * "One copy of each thing"): one catalogue, like the intake's outcomes (lib/scalepoint/intake/words.ts).
 * `writeAudit` and the doors' `audit()` take only these names, so a rename is a type error where
 * the row is written and where it is shown — never a raw code on a page.
 * No server imports: history components use it too.
 */
export const AUDIT_ACTIONS = {
  'company.created': 'Virksomhed oprettet',
  'company.identity_changed': 'Firmanavn/CVR ændret',
  'company.details_saved': 'Firmaoplysninger gemt',
  'company.deactivated': 'Virksomhed deaktiveret',
  'company.reactivated': 'Virksomhed genaktiveret',
  'user.invited': 'Bruger inviteret',
  'user.invitation_resent': 'Invitation sendt igen',
  'user.invitation_accepted': 'Invitation modtaget',
  'user.role_changed': 'Rolle ændret',
  'user.deactivated': 'Bruger deaktiveret',
  'user.reactivated': 'Bruger genaktiveret',
  'user.renamed_self': 'Navn ændret',
  'user.password_changed': 'Adgangskode skiftet',
  'user.password_reset': 'Adgangskode nulstillet via link',
  'user.two_factor_enabled': 'To-trinsbekræftelse slået til',
  'user.two_factor_disabled': 'To-trinsbekræftelse slået fra',
  'user.two_factor_reset': 'To-trinsbekræftelse nulstillet',
  'user.recovery_code_used': 'Gendannelseskode brugt',
  'order_type.created': 'Ordretype oprettet',
  'order_type.renamed': 'Ordretype omdøbt',
  'order_type.deactivated': 'Ordretype deaktiveret',
  'order_type.reactivated': 'Ordretype genaktiveret',
  'order.approve': 'Godkendt',
  'order.reject': 'Afvist',
  'order.restore': 'Gendannet som kladde',
  'order.edit': 'Redigeret',
  'scalepoint.settings_saved': 'Indstillinger ændret',
  'scalepoint.access_mail_started': 'Mail til Scalepoint sendes',
  'scalepoint.access_mail': 'Mail til Scalepoint',
  'scalepoint.credentials_stored': 'Adgang registreret af support',
  'scalepoint.delivery_replayed': 'Sag genbehandlet',
  'scalepoint.previous_secret_revoked': 'Forrige nøgle tilbagekaldt af support',
  'scalepoint.connection_created': 'Events API-forbindelse oprettet',
  'scalepoint.connection_changed': 'Events API-forbindelse ændret',
  'scalepoint.connection_deleted': 'Events API-forbindelse slettet',
  'scalepoint.connection_tested': 'Events API-forbindelse testet',
  'scalepoint.certificate_renewed': 'Nyt certifikat til Events API',
  'scalepoint.previous_certificate_revoked': 'Forrige certifikat tilbagekaldt',
} as const satisfies Record<string, string>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** The Danish words for a stored row's action; a row from a retired action says so plainly. */
export function auditDescription(action: string): string {
  return Object.hasOwn(AUDIT_ACTIONS, action)
    ? AUDIT_ACTIONS[action as AuditAction]
    : 'Ændring (ukendt handling)';
}
