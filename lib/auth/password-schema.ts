import type { z } from 'zod';

/**
 * The rules for a new password (accepting an invitation, resetting a password, changing it):
 * at least 10 characters, at most 200, not the user's e-mail nor its part before the @
 * (trimmed, case-insensitively), and not one of the 10,000 most common passwords.
 *
 * Shared with the browser, so it imports nothing but zod's types. The browser runs the same checks
 * without the list (`isCommon` absent) and so answers everything but "too common" at once; the server
 * passes `isCommonPassword` from lib/auth/common-passwords.ts (which reads lib/auth/common-passwords.txt)
 * and is the one that decides.
 */

export const PASSWORD_MIN_LENGTH = 10;
// The sign-in form refuses anything longer (loginSchema), so a longer password could never be used.
// bcrypt itself reads only the first 72 bytes; the cap is against huge inputs, not for bcrypt's sake.
export const PASSWORD_MAX_LENGTH = 200;

export const PASSWORD_EMPTY = 'Skriv en adgangskode.';
export const PASSWORD_TOO_SHORT = `Adgangskoden skal være mindst ${PASSWORD_MIN_LENGTH} tegn.`;
export const PASSWORD_TOO_LONG = `Adgangskoden må højst være ${PASSWORD_MAX_LENGTH} tegn.`;
export const PASSWORD_IS_EMAIL = 'Adgangskoden må ikke være din e-mail.';
export const PASSWORD_TOO_COMMON =
  'Adgangskoden er for almindelig. Vælg en, der er sværere at gætte.';
export const REPEAT_EMPTY = 'Gentag adgangskoden.';
export const REPEAT_MISMATCH = 'Adgangskoderne er ikke ens.';

/** Whether a password is on the list of common passwords; the server's is isCommonPassword. */
export type IsCommonPassword = (password: string) => boolean;

/** The password is the e-mail or its part before the @, both trimmed, ignoring case. */
function isEmailOrLocalPart(password: string, email: string): boolean {
  const address = email.trim().toLowerCase();
  if (!address) return false;
  const candidate = password.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  const localPart = at > 0 ? address.slice(0, at) : '';
  return candidate === address || (localPart !== '' && candidate === localPart);
}

/**
 * The Danish reason a new password is refused, or null if it is allowed. The first rule broken wins:
 * empty, too short, too long, the e-mail, too common.
 *
 * The minimum counts characters as a person does (an emoji is one); the maximum counts as zod's
 * `.max()` in loginSchema does (UTF-16 units), so every password allowed here can also sign in.
 */
export function checkNewPassword(
  password: string,
  email: string,
  isCommon?: IsCommonPassword,
): string | null {
  if (password.length === 0) return PASSWORD_EMPTY;
  if (Array.from(password).length < PASSWORD_MIN_LENGTH) return PASSWORD_TOO_SHORT;
  if (password.length > PASSWORD_MAX_LENGTH) return PASSWORD_TOO_LONG;
  if (isEmailOrLocalPart(password, email)) return PASSWORD_IS_EMAIL;
  if (isCommon?.(password)) return PASSWORD_TOO_COMMON;
  return null;
}

/**
 * Adds the issues of a new password and its repetition to a zod refinement, at path ['password']
 * and ['repeat'], so each message shows at its field. Use inside a `.superRefine()` of an object
 * with both fields:
 *
 *   z.object({ password: z.string(), repeat: z.string() })
 *     .superRefine((v, ctx) => addNewPasswordIssues(ctx, { ...v, email }, isCommonPassword));
 *
 * The repetition is checked whatever the password's own fault: empty, or not the same.
 */
export function addNewPasswordIssues(
  ctx: Pick<z.RefinementCtx, 'addIssue'>,
  values: { password: string; repeat: string; email: string },
  isCommon?: IsCommonPassword,
): void {
  const passwordMessage = checkNewPassword(values.password, values.email, isCommon);
  if (passwordMessage)
    ctx.addIssue({ code: 'custom', path: ['password'], message: passwordMessage });
  if (values.repeat.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['repeat'], message: REPEAT_EMPTY });
  } else if (values.repeat !== values.password) {
    ctx.addIssue({ code: 'custom', path: ['repeat'], message: REPEAT_MISMATCH });
  }
}
