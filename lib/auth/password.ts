import bcrypt from 'bcryptjs';

const ROUNDS = 10;
// A real hash to compare against when the user does not exist, so the answer takes as long
// whether or not the e-mail is known.
const DUMMY_HASH = '$2b$10$RPHxys5P37JZ2GNkh1/yTuCkECPrFVb.d5FHdE0cXGJjxVVOle8/O';

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, ROUNDS);
}

export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  const ok = await bcrypt.compare(password, hash ?? DUMMY_HASH);
  return ok && !!hash;
}
