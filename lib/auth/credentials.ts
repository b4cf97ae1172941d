import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { users } from '@/db/schema';
import { asSystem } from '@/lib/tenancy';
import { verifyPassword } from './password';

export const loginSchema = z.object({
  email: z.string().trim().toLowerCase().email('Skriv en gyldig e-mailadresse.'),
  password: z.string().min(1, 'Skriv din adgangskode.').max(200),
});

/** The user id for a correct e-mail and password, else null. */
export async function checkCredentials(db: Db, input: unknown): Promise<string | null> {
  const parsed = loginSchema.safeParse(input);
  if (!parsed.success) return null;
  // Sign-in comes before any company: the system door, released before the slow hash compare.
  const [user] = await asSystem(db, 'sign-in', (tx) =>
    tx.select({ id: users.id, passwordHash: users.passwordHash }).from(users).where(eq(users.email, parsed.data.email)).limit(1),
  );
  const ok = await verifyPassword(parsed.data.password, user?.passwordHash);
  return ok && user ? user.id : null;
}
