import { z } from 'zod';

/**
 * Shapes a connection form can share with its server action. Pure zod, no Node imports, so a client
 * component may import it (hosts.ts re-exports these for server code).
 */

export type ScalepointEnvironment = 'sandbox' | 'production';

export const SCALEPOINT_ENVIRONMENTS = [
  'sandbox',
  'production',
] as const satisfies readonly ScalepointEnvironment[];
export const scalepointEnvironmentSchema = z.enum(
  SCALEPOINT_ENVIRONMENTS,
  'Vælg Sandbox eller Produktion.',
);

/** The insurer tenant as it appears in Scalepoint's URLs, e.g. `tryg`. */
export const TENANT_PATTERN = /^[a-z0-9-]{1,63}$/;

export const tenantSchema = z
  .string()
  .trim()
  .regex(
    TENANT_PATTERN,
    'Tenant må kun indeholde små bogstaver, tal og bindestreg (1–63 tegn), fx tryg.',
  );
