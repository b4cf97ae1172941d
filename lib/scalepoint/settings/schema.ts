import { z } from 'zod';

const customerResolutionModes = ['policyholder', 'insurer'] as const;

/** The Scalepoint settings form; the same schema validates in the browser and in the action. */
export const scalepointSettingsSchema = z
  .object({
    enabled: z.boolean(),
    orderTypeId: z
      .string()
      .trim()
      .refine((v) => v === '' || z.guid().safeParse(v).success, 'Vælg en ordretype.'),
    customerMode: z.enum(customerResolutionModes, { message: 'Vælg hvordan kunden skal findes.' }),
    phoneAsCustomerNumber: z.boolean(),
  })
  .superRefine((v, ctx) => {
    if (v.enabled && !v.orderTypeId) {
      ctx.addIssue({
        code: 'custom',
        path: ['orderTypeId'],
        message: 'Vælg en standard ordretype for at slå modulet til.',
      });
    }
  })
  .transform((v) => ({
    ...v,
    orderTypeId: v.orderTypeId || null,
    // The phone rule only exists for Forsikringstager.
    phoneAsCustomerNumber: v.customerMode === 'policyholder' && v.phoneAsCustomerNumber,
  }));

export type ScalepointSettingsInput = z.input<typeof scalepointSettingsSchema>;
export type ScalepointSettings = z.output<typeof scalepointSettingsSchema>;

/** The fields as a form posts them: a checkbox is present ("on") only when ticked. */
export type SettingsFields = Omit<ScalepointSettingsInput, 'customerMode'> & {
  customerMode: string;
};

/**
 * The settings form's posted fields as the schema's input, so the form also saves before the page
 * is hydrated. An unknown customer mode is passed on for the schema to refuse.
 */
export function settingsFromFields(fields: Readonly<Record<string, string>>): SettingsFields {
  return {
    enabled: Object.hasOwn(fields, 'enabled'),
    orderTypeId: fields.orderTypeId ?? '',
    customerMode: fields.customerMode ?? '',
    phoneAsCustomerNumber: Object.hasOwn(fields, 'phoneAsCustomerNumber'),
  };
}

/** What the form shows: the refused fields it was handed back, else the saved settings. */
export function shownSettings(
  saved: ScalepointSettingsInput,
  echoed: Readonly<Record<string, string>> | undefined,
): ScalepointSettingsInput {
  if (!echoed) return saved;
  const f = settingsFromFields(echoed);
  const mode = customerResolutionModes.find((m) => m === f.customerMode) ?? saved.customerMode;
  return { ...f, customerMode: mode };
}
