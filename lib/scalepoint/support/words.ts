/**
 * Support's console's Danish words (docs/support-scalepoint.md): what the credential and connection
 * actions answer. No queries and no actions here (docs/architecture.md, "The Scalepoint module's
 * rooms"); the forms' field messages live with their schemas.
 */

/** Gem adgang, Tilbagekald forrige nøgle. */
export const credentialAnswers = {
  accountTaken: 'Konto-id’et bruges allerede af en anden virksomhed.',
  previousStillValid: (until: string) =>
    `Den forrige nøgle virker stadig til ${until}, og Scalepoint kan stadig signere med den. Tilbagekald forrige nøgle først, eller vent til ${until}.`,
  stored: 'Adgangen er gemt. Integrationen er aktiv, når modulet er slået til.',
  noPreviousSecret: 'Der er ingen forrige nøgle, der stadig virker.',
  previousRevoked: 'Den forrige nøgle er tilbagekaldt. Kun den nuværende nøgle virker nu.',
};

/** Gem forbindelse, Slet forbindelse, Nyt certifikat, Tilbagekald forrige certifikat, Test forbindelse. */
export const connectionAnswers = {
  tenantTaken: 'Virksomheden har allerede en forbindelse til denne tenant i dette miljø.',
  // Never which company holds it (docs/events-api.md, "One client id, one connection").
  clientTaken:
    'Dette klient-id med denne tenant og dette miljø bruges allerede af en anden forbindelse.',
  created: 'Forbindelsen er gemt. Hent certifikatet og send det til Scalepoint.',
  unchanged: 'Ingen ændringer.',
  saved: 'Forbindelsen er gemt.',
  deleted: (tenant: string) => `Forbindelsen til ${tenant} er slettet.`,
  previousStillInUse: (until: string) =>
    `Det forrige certifikat bruges stadig til ${until}. Tilbagekald forrige certifikat først, eller vent til ${until}.`,
  renewed: (previousUntil: string) =>
    `Nyt certifikat lavet. Hent det og send det til Scalepoint; det forrige virker til ${previousUntil}.`,
  noPreviousCertificate: 'Der er intet forrige certifikat, der stadig bruges.',
  previousRevoked: 'Det forrige certifikat er tilbagekaldt.',
  keyUnreadable:
    'Forbindelsens private nøgle kan ikke læses med den nuværende krypteringsnøgle. Lav et nyt certifikat.',
};
