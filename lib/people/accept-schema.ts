import { z } from 'zod';
import { addNewPasswordIssues } from '@/lib/auth/password-schema';

/**
 * The invitation page's form: Navn, Adgangskode, Gentag adgangskode. The browser checks the same
 * rules without the common-password list; the server passes `isCommon` (docs/people.md).
 */
export function acceptInvitationSchema(email: string, isCommon?: (password: string) => boolean) {
  return z
    .object({
      token: z.string().max(100),
      name: z.string().trim().min(1, 'Skriv dit navn.').max(200, 'Højst 200 tegn.'),
      password: z.string(),
      repeat: z.string(),
    })
    .superRefine((v, ctx) =>
      addNewPasswordIssues(ctx, { password: v.password, repeat: v.repeat, email }, isCommon),
    );
}
