import { z } from 'zod';
import { isValidSigningSecret } from '../intake/signing-secret';

/** Support's form for one company's Scalepoint credentials (browser and action share it). */
export const credentialsSchema = z.object({
  companyId: z.string().uuid('Ukendt virksomhed.'),
  accountId: z
    .string()
    .trim()
    .min(1, 'Skriv Scalepoint konto-id.')
    .max(100, 'Konto-id er for langt.')
    .regex(/^[A-Za-z0-9._:-]+$/, 'Konto-id må kun indeholde bogstaver, tal og . _ : -'),
  secret: z
    .string()
    .trim()
    .refine(
      isValidSigningSecret,
      'Signeringsnøglen skal være whsec_ efterfulgt af base64 af 24–64 bytes.',
    ),
});

export type CredentialsInput = z.input<typeof credentialsSchema>;
