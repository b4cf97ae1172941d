import { z } from 'zod';
import { normaliseEmail } from './email-address';

/**
 * The forms of companies, people and order types (docs/people.md). Shared by the browser
 * (react-hook-form) and the server actions: zod only, no server imports.
 */
export const EMAIL_IN_USE = 'E-mailen er allerede i brug.';
export const CVR_IN_USE = 'CVR-nummeret findes allerede.';
export const ORDER_TYPE_NAME_IN_USE = 'Der findes allerede en ordretype med det navn.';

const name = (what: string) =>
  z.string().trim().min(1, `Skriv ${what}.`).max(200, 'Højst 200 tegn.');
const email = z
  .string()
  .trim()
  .min(1, 'Skriv en e-mail.')
  .max(254, 'Højst 254 tegn.')
  .pipe(z.email('Skriv en gyldig e-mailadresse.'))
  .transform(normaliseEmail);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Højst ${max} tegn.`)
    .transform((v) => (v === '' ? null : v));
const cvr = z
  .string()
  .trim()
  .regex(/^\d{8}$/, 'CVR-nummeret skal være 8 cifre.');
/** A uuid from a hidden field; anything else is answered as not found by the operation. */
export const idField = z.string().trim().max(64);

export const companyRoles = ['admin', 'member'] as const;
export const roleLabel: Record<(typeof companyRoles)[number] | 'support', string> = {
  admin: 'Administrator',
  member: 'Medarbejder',
  support: 'Support',
};
export const userStatusLabel = {
  active: 'Aktiv',
  invited: 'Inviteret',
  deactivated: 'Deaktiveret',
} as const;
const role = z.enum(companyRoles, { message: 'Vælg en rolle.' });

/** Support: Opret virksomhed. */
export const createCompanySchema = z.object({
  name: name('firmanavnet'),
  cvr,
  adminName: name('administratorens navn'),
  adminEmail: email,
});

/** Support: a company's Firmanavn and CVR-nr. */
export const companyIdentitySchema = z.object({
  companyId: idField,
  name: name('firmanavnet'),
  cvr,
});

/** The admin's Firmaoplysninger (CVR is support's). */
export const companyDetailsSchema = z.object({
  name: name('firmanavnet'),
  street: optionalText(200),
  houseNumber: optionalText(20),
  postalCode: z
    .string()
    .trim()
    .refine((v) => v === '' || /^\d{4}$/.test(v), 'Postnummeret skal være 4 cifre.')
    .transform((v) => (v === '' ? null : v)),
  city: optionalText(100),
  phone: optionalText(40),
  email: z
    .string()
    .trim()
    .max(254, 'Højst 254 tegn.')
    .refine((v) => v === '' || z.email().safeParse(v).success, 'Skriv en gyldig e-mailadresse.')
    .transform((v) => (v === '' ? null : normaliseEmail(v))),
});

/** An admin's Inviter bruger. */
export const inviteUserSchema = z.object({ name: name('navnet'), email, role });
/** A user's Rolle. */
export const userRoleSchema = z.object({ userId: idField, role });
/** Deaktiver, Genaktiver, Send invitation igen: the user's id alone. */
export const userIdSchema = z.object({ userId: idField });

/** Support: Inviter supportbruger. */
export const inviteSupportUserSchema = z.object({ name: name('navnet'), email });

/** Ny ordretype and Omdøb til. */
const orderTypeName = z.string().trim().min(1, 'Skriv et navn.').max(60, 'Højst 60 tegn.');
export const newOrderTypeSchema = z.object({ name: orderTypeName });
export const renameOrderTypeSchema = z.object({ orderTypeId: idField, name: orderTypeName });
export const orderTypeIdSchema = z.object({ orderTypeId: idField });
export const companyIdSchema = z.object({ companyId: idField });
