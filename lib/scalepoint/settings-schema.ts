import { z } from 'zod';

/** The Scalepoint settings form; the same schema validates in the browser and in the action. */
export const scalepointSettingsSchema = z
  .object({
    enabled: z.boolean(),
    orderTypeId: z.string().trim(),
    customerMode: z.enum(['policyholder', 'insurer'], { message: 'Vælg hvordan kunden skal findes.' }),
    phoneAsCustomerNumber: z.boolean(),
  })
  .superRefine((v, ctx) => {
    if (v.enabled && !v.orderTypeId) {
      ctx.addIssue({ code: 'custom', path: ['orderTypeId'], message: 'Vælg en standard ordretype for at slå modulet til.' });
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
