import { z } from 'zod';
import { addNewPasswordIssues, type IsCommonPassword } from '@/lib/auth/password-schema';

/** Min konto's forms (docs/people.md, "Min konto"). No server imports: the browser checks them too. */
export const accountNameSchema = z.object({
  name: z.string().trim().min(1, 'Skriv dit navn.').max(200, 'Højst 200 tegn.'),
});

export function changePasswordSchema(email: string, isCommon?: IsCommonPassword) {
  return z
    .object({
      current: z.string().min(1, 'Skriv din nuværende adgangskode.').max(200),
      password: z.string(),
      repeat: z.string(),
    })
    .superRefine((v, ctx) => {
      addNewPasswordIssues(ctx, { password: v.password, repeat: v.repeat, email }, isCommon);
      if (v.password && v.password === v.current)
        ctx.addIssue({
          code: 'custom',
          path: ['password'],
          message: 'Vælg en anden adgangskode end den nuværende.',
        });
    });
}
