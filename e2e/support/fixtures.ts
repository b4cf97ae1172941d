import fs from 'node:fs';
import path from 'node:path';
import { expect, type Browser, type Page } from '@playwright/test';
import { codeForStep, stepAt, TOTP_PERIOD_SECONDS } from '@/lib/auth/totp';
import { e2eSupport } from './settings';

export type Account = { email: string; password: string; totpKey?: string };

export const accounts = {
  demoAdmin: { email: 'admin@demo-vvs.dk', password: 'demo1234' },
  demoMember: { email: 'montor@demo-vvs.dk', password: 'demo1234' },
  nordAdmin: { email: 'admin@nord-byg.dk', password: 'demo1234' },
  /** The e2e server's own support user, enrolled with a fixed key: most support specs use it. */
  support: { email: e2eSupport.email, password: e2eSupport.password, totpKey: e2eSupport.totpKey },
  /** The demo's support user: e2e/two-factor.spec.ts sets its key up the way a person does. */
  demoSupport: { email: 'support@kladde.dk', password: 'support1234' },
} satisfies Record<string, Account>;

/*
 * Deliberate sign-in failures in one `npm run test:e2e`: 16, kept under 25. 127.0.0.1 is one
 * address for the sign-in throttle (50 failures from it in 15 minutes lock every sign-in from it),
 * so each browser test of a failing sign-in uses its own unknown e-mail, and a new one is added
 * here with its count:
 *   auth.spec              1  a wrong password
 *   security-headers.spec 10  5 with spoofed X-Forwarded-For, 5 without JavaScript (the locked
 *                             6th attempt of each is refused before it is counted)
 *   new-company.spec       1  the demo support user does not exist on the fresh instance
 *   two-factor.spec        4  wrong codes count too: a wrong one, a used one, a used recovery
 *                             code, a wrong one without JavaScript
 */

/**
 * Codes computed here, per e-mail: the key and the last step used (a code is accepted once). Under
 * test-results/, so a worker restarted after a failure still finds a key a spec set up and does
 * not reuse a code; Playwright empties the folder when a run starts.
 */
const KEYS_FILE = path.join('test-results', 'e2e-two-factor-keys.json');
type KeyRecord = { key: string; lastStep: number };

function readKeys(): Record<string, KeyRecord> {
  try {
    return JSON.parse(fs.readFileSync(KEYS_FILE, 'utf8')) as Record<string, KeyRecord>;
  } catch {
    return {};
  }
}

function writeKeys(keys: Record<string, KeyRecord>): void {
  fs.mkdirSync(path.dirname(KEYS_FILE), { recursive: true });
  fs.writeFileSync(KEYS_FILE, JSON.stringify(keys, null, 2));
}

/** Remembers a key a spec read off the setup page (Nøgle). */
export function rememberKey(email: string, key: string, lastStep: number): void {
  writeKeys({ ...readKeys(), [email]: { key: key.replace(/\s+/g, ''), lastStep } });
}

export function knownKey(email: string): string | undefined {
  return readKeys()[email]?.key;
}

/**
 * A code for `email`'s key as an authenticator app shows it now — waiting for the next 30-second
 * step when this step's code was used already — and marked used.
 */
export async function nextCode(email: string, key = knownKey(email)): Promise<string> {
  if (!key) throw new Error(`no two-factor key known for ${email}`);
  const last = readKeys()[email]?.lastStep ?? -1;
  let step = stepAt(new Date());
  if (step <= last) {
    const wait = (last + 1) * TOTP_PERIOD_SECONDS * 1000 - Date.now() + 250;
    await new Promise((r) => setTimeout(r, Math.max(wait, 0)));
    step = stepAt(new Date());
  }
  rememberKey(email, key, step);
  return codeForStep(key, step);
}

/** A code that is right for the key but for a step already used (to show it is refused). */
export function usedCode(email: string): string {
  const record = readKeys()[email];
  if (!record) throw new Error(`no two-factor key known for ${email}`);
  return codeForStep(record.key, record.lastStep);
}

const stateFile = (email: string) =>
  path.join('test-results', 'e2e-sessions', `${email.replace(/[^a-z0-9]/gi, '_')}.json`);

/**
 * Signs `page` in as `account`: e-mail and password, then — for an account with two-step
 * verification — the code from its key. Such an account's session is saved and reused by later
 * calls (its cookies put into the page's context), so the suite signs in with a code rarely; a
 * saved session that has ended (Log ud in some spec) is replaced by a new sign-in.
 */
export async function signIn(page: Page, account: Account) {
  const key = account.totpKey ?? knownKey(account.email);
  if (key && (await reuseSession(page, account.email))) return;
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(account.email);
  await page.getByLabel('Adgangskode').fill(account.password);
  await page.getByRole('button', { name: 'Log ind' }).click();
  if (key) {
    await expect(page.getByLabel('Kode fra din app')).toBeVisible();
    await page.getByLabel('Kode fra din app').fill(await nextCode(account.email, key));
    await page.getByRole('button', { name: 'Bekræft' }).click();
  }
  await expect(page.getByRole('button', { name: 'Log ud' })).toBeVisible();
  if (key) {
    fs.mkdirSync(path.dirname(stateFile(account.email)), { recursive: true });
    await page.context().storageState({ path: stateFile(account.email) });
  }
}

async function reuseSession(page: Page, email: string): Promise<boolean> {
  let cookies;
  try {
    cookies = (
      JSON.parse(fs.readFileSync(stateFile(email), 'utf8')) as {
        cookies: Parameters<ReturnType<Page['context']>['addCookies']>[0];
      }
    ).cookies;
  } catch {
    return false;
  }
  await page.context().addCookies(cookies);
  // Home, as a sign-in lands: a session that has ended goes to /login instead.
  await page.goto('/');
  if (new URL(page.url()).pathname.startsWith('/login')) {
    await page.context().clearCookies();
    return false;
  }
  await expect(page.getByRole('button', { name: 'Log ud' })).toBeVisible();
  return true;
}

/** A page of its own (its own cookies) signed in as `who`. */
export async function asUser(browser: Browser, who: Account): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, who);
  return page;
}

/**
 * The setup page as a person goes through it: reads **Nøgle** (the key an app would scan), types
 * the app's code into **Kode**, **Bekræft**, notes the 10 **Gendannelseskoder**, **Fortsæt**. The key
 * is remembered (test-results/), so later sign-ins compute codes. Returns the recovery codes.
 */
export async function setUpTwoFactor(page: Page, email: string): Promise<string[]> {
  const key = (await page.getByLabel('Nøgle').innerText()).replace(/\s+/g, '');
  expect(key).toMatch(/^[A-Z2-7]{32}$/);
  await expect(page.getByRole('img', { name: 'QR-kode til din godkendelsesapp' })).toBeVisible();
  await page.getByLabel('Kode', { exact: true }).fill(await nextCode(email, key));
  await page.getByRole('button', { name: 'Bekræft' }).click();
  const list = page.getByRole('list', { name: 'Gendannelseskoder' });
  await expect(list.getByRole('listitem')).toHaveCount(10);
  const codes = (await list.getByRole('listitem').allInnerTexts()).map((c) => c.trim());
  for (const code of codes) expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}$/);
  await page.getByRole('button', { name: 'Fortsæt' }).click();
  return codes;
}

/** Forgets a key whose two-step verification was turned off or reset. */
export function forgetKey(email: string): void {
  const keys = readKeys();
  delete keys[email];
  writeKeys(keys);
  fs.rmSync(stateFile(email), { force: true });
}
