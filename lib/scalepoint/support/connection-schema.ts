import { z } from 'zod';
import { scalepointEnvironmentSchema, tenantSchema } from '../events/connection-schema';

/**
 * Support's forms for Events API connections (docs/events-api.md), checked on the server; the
 * client forms import only connection-labels.ts, so neither zod nor crypto reaches the browser.
 */

const companyId = z.string().uuid('Ukendt virksomhed.');
const connectionId = z.string().uuid('Ukendt forbindelse.');

export const connectionFieldsSchema = z.object({
  clientId: z
    .string()
    .trim()
    .min(1, 'Skriv det klient-id, Scalepoint har udstedt.')
    .max(200, 'Klient-id er for langt.')
    .regex(/^[\x21-\x7e]+$/, 'Klient-id må ikke indeholde mellemrum eller specialtegn.'),
  tenant: tenantSchema,
  environment: scalepointEnvironmentSchema,
});

/** Save: without `id` a new connection (with a new key pair), with `id` a change of that one. */
export const saveConnectionSchema = connectionFieldsSchema.extend({
  companyId,
  id: z.preprocess((v) => (v === '' ? undefined : v), connectionId.optional()),
});

/** Delete, new certificate, test, revoke: one connection of one company. */
export const connectionRefSchema = z.object({ companyId, id: connectionId });

export const companyRefSchema = z.object({ companyId });

export type SaveConnectionInput = z.input<typeof saveConnectionSchema>;
