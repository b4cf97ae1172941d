import fs from 'node:fs';
import path from 'node:path';

/**
 * WORKAROUND: a patched database driver, patches/postgres+3.4.9.patch (applied by patch-package on
 * `npm install`/`npm ci`, the `postinstall` script). Its code lives in node_modules/postgres; this
 * file says why, and checks that the installed driver carries it.
 *
 * What it works around: postgres.js 3.4.9 and a connection that closes under a query
 * (docs/resilience.md, "The database driver when a connection dies"):
 * - a write scheduled for the closed socket throws from a timer and ends the process
 *   (porsager/postgres#1208, #1154): the patch settles the waiting queries with CONNECTION_CLOSED;
 * - the closed socket's unsent bytes, pending write and unfinished FATAL error reach the next
 *   connection: the patch drops them when the socket closes (porsager/postgres#1199);
 * - a reserved connection released after it closed is put back as if open: the patch leaves it
 *   closed (porsager/postgres#1199).
 * `postgres` is pinned to 3.4.9 in package.json so the patch always applies.
 *
 * When it can go: when a postgres.js release fixes porsager/postgres#1208 and #1199 — check on
 * each upgrade: unpin `postgres`, delete the patch, and the behavioural test below must still pass.
 * The server checks it at every start and refuses without it (`assertPostgresPatched()` in
 * instrumentation-node.ts): that call goes with the patch.
 *
 * Pinned by: tests/unit/postgres-patch.test.ts, "the installed postgres.js carries every line of
 * the patch" (fails when the patch is not applied, e.g. `npm ci --ignore-scripts`, or no longer
 * fits); behaviourally by tests/integration/row-level-security.test.ts, "a connection lost
 * mid-transaction is an error worth a retry, and the pool serves the next transaction" (without
 * the patch it ends with an uncaught exception).
 */

/** The patch, relative to the repository. */
export const POSTGRES_PATCH = 'patches/postgres+3.4.9.patch';
/** The version it is for: patch-package names the file after it. */
export const PATCHED_POSTGRES_VERSION = '3.4.9';

/**
 * What is missing for the patch to hold in `root`'s node_modules: a line the patch adds that a
 * patched file does not have, or another postgres.js version. Empty when it holds.
 */
export function postgresPatchGaps(root: string = process.cwd()): string[] {
  const gaps: string[] = [];
  const installed = path.join(root, 'node_modules', 'postgres');
  const version = (
    JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')) as {
      version?: string;
    }
  ).version;
  if (version !== PATCHED_POSTGRES_VERSION)
    gaps.push(
      `postgres ${version} is installed, ${POSTGRES_PATCH} is for ${PATCHED_POSTGRES_VERSION}`,
    );
  for (const [file, added] of addedLines(
    fs.readFileSync(path.join(root, POSTGRES_PATCH), 'utf8'),
  )) {
    const target = path.join(installed, file);
    const text = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
    for (const line of added) if (!text.includes(line)) gaps.push(`${file}: missing "${line}"`);
  }
  return gaps;
}

/** Throws, naming every gap, when the installed postgres.js does not carry the patch. */
export function assertPostgresPatched(root?: string): void {
  const gaps = postgresPatchGaps(root);
  if (gaps.length)
    throw new Error(
      `postgres.js is not patched (${POSTGRES_PATCH}; run npm install):\n${gaps.join('\n')}`,
    );
}

/** Each patched file (relative to node_modules/postgres) and the lines the patch adds to it. */
function addedLines(patch: string): Map<string, string[]> {
  const files = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of patch.split('\n')) {
    const header = /^\+\+\+ b\/node_modules\/postgres\/(.+)$/.exec(line);
    if (header) files.set(header[1]!, (current = []));
    else if (current && line.startsWith('+') && line.slice(1).trim())
      current.push(line.slice(1).trim());
  }
  return files;
}
