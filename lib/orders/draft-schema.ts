import { z } from 'zod';

/**
 * The forms of a draft (docs/drafts.md). No node imports: the browser form and the server
 * action validate with these same schemas.
 */

const optionalText = (max: number, message: string) => z.string().trim().max(max, message);

const orderId = z.guid('Ukendt ordre.');

export const customerChoices = ['existing', 'new'] as const;

export const draftEditSchema = z
  .object({
    orderId,
    heading: z
      .string()
      .trim()
      .min(1, 'Skriv en ordreoverskrift.')
      .max(200, 'Ordreoverskriften må højst være 200 tegn.'),
    requisitionNumber: optionalText(64, 'Rekv.nr. må højst være 64 tegn.'),
    // An id is checked where it enters: a tampered <option> is a field error, never a query.
    orderTypeId: z.string().trim().min(1, 'Vælg en ordretype.').pipe(z.guid('Vælg en ordretype.')),
    workDescription: optionalText(10000, 'Arbejdsbeskrivelsen må højst være 10.000 tegn.'),
    installation: z.object({
      street: optionalText(200, 'Vejnavn må højst være 200 tegn.'),
      houseNumber: optionalText(20, 'Husnr. må højst være 20 tegn.'),
      floor: optionalText(20, 'Etage må højst være 20 tegn.'),
      postalCode: z
        .string()
        .trim()
        .regex(/^(\d{4})?$/, 'Postnr. skal være fire cifre.'),
      city: optionalText(100, 'By må højst være 100 tegn.'),
    }),
    customerMode: z.enum(customerChoices, { message: 'Vælg en kunde eller opret en ny.' }),
    customerId: z.string().trim(),
    newCustomer: z.object({
      name: optionalText(200, 'Navnet må højst være 200 tegn.'),
      customerNumber: z
        .string()
        .trim()
        .regex(/^[0-9A-Za-z+\-]{0,32}$/, 'Kundenummeret må kun indeholde bogstaver, tal, + og -.'),
      phone: optionalText(40, 'Telefon må højst være 40 tegn.'),
      email: z
        .string()
        .trim()
        .refine(
          (v) => v === '' || z.email().safeParse(v).success,
          'Skriv en gyldig e-mailadresse.',
        ),
      // The new customer's address is the installation address typed above (its fields are not repeated).
      addressFromInstallation: z.boolean().default(false),
    }),
  })
  .superRefine((v, ctx) => {
    if (v.customerMode === 'existing' && !z.guid().safeParse(v.customerId).success) {
      ctx.addIssue({ code: 'custom', path: ['customerId'], message: 'Vælg en kunde.' });
    }
    if (v.customerMode === 'new' && !v.newCustomer.name) {
      ctx.addIssue({
        code: 'custom',
        path: ['newCustomer', 'name'],
        message: 'Skriv kundens navn.',
      });
    }
  });

export type DraftEditInput = z.input<typeof draftEditSchema>;
export type DraftEdit = z.output<typeof draftEditSchema>;

export const approveSchema = z.object({ orderId, confirmed: z.boolean().default(false) });

export const rejectSchema = z.object({
  orderId,
  reason: z
    .string()
    .trim()
    .min(1, 'Skriv en begrundelse.')
    .max(1000, 'Begrundelsen må højst være 1.000 tegn.'),
});

export const restoreSchema = z.object({ orderId });

export const customerLookupSchema = z.object({ q: z.string().trim().max(100) });
