/**
 * When `npm run db:seed` may plant the demo data, and with which passwords (docs/security.md).
 * The demo passwords (demo1234 / support1234) are public, so they must never open a reachable
 * database: the seed refuses in production, needs `--demo` for any DATABASE_URL database, and there
 * uses the fixed passwords only while the app's address (APP_URL) is this machine.
 * Pure: scripts/seed.ts hands it the raw settings and its arguments.
 */

export type SeedPolicyInput = {
  nodeEnv: string | undefined;
  /** The URL the seed would write to (MIGRATION_DATABASE_URL ?? DATABASE_URL); unset: the embedded database. */
  databaseUrl: string | undefined;
  appUrl: string | undefined;
  /** The CLI's own arguments (process.argv.slice(2)). */
  argv: readonly string[];
};

export type SeedPolicy = { refuse: string } | { passwords: 'fixed' | 'random' };

export const DEMO_FLAG = '--demo';

const blank = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);

/** localhost, 127.0.0.0/8 or [::1]; anything unparseable is not. */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    // The WHATWG parser canonicalises the host: 127.1 and 2130706433 become 127.0.0.1,
    // [0:0::1] becomes [::1], LOCALHOST becomes localhost; userinfo (localhost@evil) is not the host.
    host = new URL(url.trim()).hostname;
  } catch {
    return false;
  }
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function seedPolicy(input: SeedPolicyInput): SeedPolicy {
  if (blank(input.nodeEnv) === 'production') {
    return {
      refuse:
        'Refusing to seed demo data with NODE_ENV=production: its sign-ins and passwords are public.',
    };
  }
  // A literal `--` (npx tsx scripts/seed.ts -- --demo) ends the options; npm run strips its own.
  const unknown = input.argv.filter((a) => a !== DEMO_FLAG && a !== '--');
  if (unknown.length) {
    return {
      refuse: `Unknown argument ${unknown.map((a) => JSON.stringify(a)).join(', ')}. Usage: npm run db:seed [-- ${DEMO_FLAG}]`,
    };
  }
  if (!blank(input.databaseUrl)) return { passwords: 'fixed' }; // the embedded database in .data/
  if (!input.argv.includes(DEMO_FLAG)) {
    return {
      refuse:
        'Refusing to seed demo data into the DATABASE_URL database without --demo: it adds demo companies and sign-ins ' +
        'to whatever database that is. If you mean to, run: npm run db:seed -- --demo ' +
        '(the public demo passwords only while APP_URL is unset or a loopback address; random ones, printed once, otherwise). ' +
        'Unset DATABASE_URL to seed the embedded database instead. A production database gets its first user from npm run support:invite.',
    };
  }
  const appUrl = blank(input.appUrl);
  return { passwords: !appUrl || isLoopbackUrl(appUrl) ? 'fixed' : 'random' };
}
