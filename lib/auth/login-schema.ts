import { z } from 'zod';
import { WRONG_CREDENTIALS } from './messages';

/**
 * The sign-in form's fields: the login form (react-hook-form) and checkCredentials parse with
 * this one schema. No server imports, so the client bundle stays small.
 */
export const loginSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, 'Skriv din e-mail.')
    .toLowerCase()
    .email('Skriv en gyldig e-mailadresse.'),
  // No password is longer: one that is can only be wrong.
  password: z.string().min(1, 'Skriv din adgangskode.').max(200, WRONG_CREDENTIALS),
});

export type LoginValues = z.infer<typeof loginSchema>;
