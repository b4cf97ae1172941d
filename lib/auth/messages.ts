/**
 * Sign-in error codes → the Danish message /login shows. next-auth sends every sign-in error to
 * /login?error=<code> (pages.error); the client form gets the same codes from signIn().
 * No server imports: the login form uses this too.
 */
export const TOO_MANY_ATTEMPTS = 'TooManyAttempts';

export const WRONG_CREDENTIALS = 'Forkert e-mail eller adgangskode.';
export const TOO_MANY_MESSAGE = 'For mange forsøg. Vent 15 minutter, og prøv igen.';

export function signInErrorMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  switch (code) {
    case 'CredentialsSignin':
      return WRONG_CREDENTIALS;
    case TOO_MANY_ATTEMPTS:
      return TOO_MANY_MESSAGE;
    case 'SessionRequired':
      return 'Log ind for at fortsætte.';
    default:
      // Configuration, Callback, a missing CSRF token …: nothing the user can fix but to try again.
      return 'Log ind mislykkedes. Prøv igen.';
  }
}

/**
 * Notices other pages send to /login?notice=<code> (accepting an invitation, …): a fixed map, so
 * a link cannot make the login page say anything else. An unknown code shows nothing.
 */
export const INVITATION_ACCEPTED =
  'Adgang oprettet. Log ind med din e-mail og din nye adgangskode.';

export const PASSWORD_CHANGED = 'Adgangskoden er skiftet. Log ind med din nye adgangskode.';
export const SESSION_ENDED =
  'Du blev logget ud, og intet blev gemt. Log ind igen for at vende tilbage til siden.';

const SIGN_IN_NOTICES: Record<string, string> = {
  'invitation-accepted': INVITATION_ACCEPTED,
  'password-changed': PASSWORD_CHANGED,
  'session-ended': SESSION_ENDED,
};

export function signInNoticeMessage(code: string | null | undefined): string | null {
  return code && Object.hasOwn(SIGN_IN_NOTICES, code) ? SIGN_IN_NOTICES[code]! : null;
}
