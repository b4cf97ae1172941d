import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The 10,000 most common passwords (lib/auth/common-passwords.txt; its header names the source and
 * licence), for the server's check of a new password: pass isCommonPassword to checkNewPassword or
 * addNewPasswordIssues (lib/auth/password-schema.ts). Server code only, as it reads a file; no
 * 'server-only' marker, because tests and CLI scripts import it too.
 */

let passwords: Set<string> | undefined;

function load(): Set<string> {
  if (!passwords) {
    // Resolved here and not at module level: Turbopack traces a dynamic path at module level as
    // "the whole project". The file is read from the working directory, which is the repository
    // root under vitest, tsx and `next start`.
    const file = path.join(process.cwd(), 'lib/auth/common-passwords.txt');
    const set = new Set<string>();
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const entry = line.trim();
      if (entry && !entry.startsWith('#')) set.add(entry.toLowerCase());
    }
    passwords = set;
  }
  return passwords;
}

/** Whether the password, trimmed and ignoring case, is one of the 10,000 most common. */
export function isCommonPassword(password: string): boolean {
  return load().has(password.trim().toLowerCase());
}

/** How many passwords the list holds (10,000), for tests. */
export function commonPasswordCount(): number {
  return load().size;
}
