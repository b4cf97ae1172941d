import { hash, verify } from '@node-rs/bcrypt';

/**
 * bcrypt in native code on libuv's thread pool (@node-rs/bcrypt), so a compare (~50–100 ms of CPU)
 * never holds the event loop the way pure-JS bcryptjs did. Reads the $2a$/$2b$ hashes bcryptjs
 * wrote; writes $2b$.
 */
const ROUNDS = 10;
// A real hash to compare against when the user does not exist, so the answer takes as long
// whether or not the e-mail is known.
const DUMMY_HASH = '$2b$10$RPHxys5P37JZ2GNkh1/yTuCkECPrFVb.d5FHdE0cXGJjxVVOle8/O';

export function hashPassword(password: string): Promise<string> {
  return hash(password, ROUNDS);
}

export async function verifyPassword(
  password: string,
  passwordHash: string | null | undefined,
): Promise<boolean> {
  const ok = await verify(password, passwordHash ?? DUMMY_HASH);
  return ok && !!passwordHash;
}
