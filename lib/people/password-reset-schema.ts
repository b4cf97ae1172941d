import { z } from 'zod';
import { addNewPasswordIssues, type IsCommonPassword } from '@/lib/auth/password-schema';
import { normaliseEmail } from './email-address';

/** Glemt adgangskode?: the e-mail only (docs/people.md, "Forgotten password"). No server imports. */
export const forgotPasswordSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, 'Skriv din e-mail.')
    .max(320, 'Højst 320 tegn.')
    .pipe(z.email('Skriv en gyldig e-mail.'))
    .transform(normaliseEmail),
});

/** The reset page: Ny adgangskode, Gentag adgangskode; the server passes the common-password list. */
export function resetPasswordSchema(email: string, isCommon?: IsCommonPassword) {
  return z
    .object({ token: z.string().max(100), password: z.string(), repeat: z.string() })
    .superRefine((v, ctx) =>
      addNewPasswordIssues(ctx, { password: v.password, repeat: v.repeat, email }, isCommon),
    );
}
