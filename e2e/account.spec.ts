import { randomBytes, randomInt } from 'node:crypto';
import { expect, test, type Browser, type Page } from '@playwright/test';
import postgres from 'postgres';
import { throwawayUrl } from '@/db/throwaway';
import { hashPassword } from '@/lib/auth/password';
import { signIn } from './support/fixtures';
import { resendStandIn } from './support/scalepoint';
import { E2E } from './support/settings';

// Signing in safely (docs/security.md, "Sessions"; docs/people.md, "Forgotten password" and
// "Min konto"): Glemt adgangskode?, the reset page, Min konto, Log ud with a copied cookie, and a
// page left by an ended session. Everything happens to people of this spec's own company (made in
// the database below), so the demo accounts keep their passwords for the other specs. No sign-in
// here fails on purpose (the throttle's budget is kept in e2e/support/fixtures.ts).
test.describe.configure({ mode: 'serial' });

const sql = postgres(throwawayUrl(E2E.database), { max: 1, onnotice: () => {} });
const suffix = randomBytes(3).toString('hex');
const person = (who: string) => ({
  email: `${who}-${suffix}@e2e-account.test`,
  password: `e2e-${who}-${suffix}`,
  name: `${who[0]!.toUpperCase()}${who.slice(1)} ${suffix}`,
});
const people = { anna: person('anna'), bo: person('bo'), carl: person('carl') };

test.beforeAll(async () => {
  const cvr = String(randomInt(10_000_000, 99_999_999));
  await sql.begin(async (tx) => {
    const [company] = await tx<
      { id: string }[]
    >`insert into companies (name, cvr) values (${`E2E Konto ${suffix} ApS`}, ${cvr}) returning id`;
    await tx`insert into order_types (company_id, name) values (${company!.id}, 'Service')`;
    await tx`insert into scalepoint_settings (company_id) values (${company!.id})`;
    for (const p of Object.values(people)) {
      const hash = await hashPassword(p.password);
      await tx`insert into users (email, name, role, company_id, password_hash) values (${p.email}, ${p.name}, 'member', ${company!.id}, ${hash})`;
    }
  });
});
test.afterAll(() => sql.end());

async function signedInPage(browser: Browser, who: { email: string; password: string }) {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, who);
  return page;
}

async function resetLinkFor(email: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const mail = (await resendStandIn.mails())
      .filter((m) => [m.body.to].flat().includes(email))
      .at(-1);
    const link = mail && /\/password\/reset\/[A-Za-z0-9_-]+/.exec(mail.body.text)?.[0];
    if (link) {
      expect(mail!.body.subject).toContain('Nulstil adgangskode');
      return link;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no reset mail to ${email}`);
}

const answer = 'Hvis der findes en bruger med den e-mail, har vi sendt et link.';

test('Glemt adgangskode?: the same answer for anyone, a link for a user, a new password, and the old sessions end', async ({
  page,
  browser,
}) => {
  const p = people.anna;
  const before = await signedInPage(browser, p);

  await page.goto('/login');
  await page.getByRole('link', { name: 'Glemt adgangskode?' }).click();
  await expect(page).toHaveURL(/\/password\/forgot$/);
  const form = page.getByRole('form', { name: 'Glemt adgangskode' });
  await form.getByLabel('E-mail').fill(`nobody-${suffix}@e2e-account.test`);
  await form.getByRole('button', { name: 'Send link' }).click();
  await expect(form.getByRole('status')).toHaveText(answer);

  await page.reload();
  await form.getByLabel('E-mail').fill(`  ${p.email.toUpperCase()} `);
  await form.getByRole('button', { name: 'Send link' }).click();
  await expect(form.getByRole('status')).toHaveText(answer);

  await page.goto(await resetLinkFor(p.email));
  await expect(page.getByRole('heading', { level: 1, name: 'Ny adgangskode' })).toBeVisible();
  const reset = page.getByRole('form', { name: 'Ny adgangskode' });
  await reset.getByLabel('Ny adgangskode').fill('kort');
  await reset.getByLabel('Gentag adgangskode').fill('kort');
  await reset.getByRole('button', { name: 'Gem adgangskode' }).click();
  await expect(reset.getByRole('alert').first()).toBeVisible();
  const fresh = `ny-${p.password}-1`;
  await reset.getByLabel('Ny adgangskode').fill(fresh);
  await reset.getByLabel('Gentag adgangskode').fill(fresh);
  await reset.getByRole('button', { name: 'Gem adgangskode' }).click();
  await expect(page).toHaveURL(/\/login\?notice=password-changed/);
  await expect(page.getByRole('status')).toContainText('Adgangskoden er skiftet');

  // The session opened before the reset has ended.
  await before.goto('/orders/drafts');
  await expect(before).toHaveURL(/\/login/);

  await signIn(page, { email: p.email, password: fresh });
  p.password = fresh;

  // The link worked once.
  await page.goto(await resetLinkFor(p.email));
  await expect(
    page.getByRole('heading', { name: 'Linket er udløbet eller allerede brugt' }),
  ).toBeVisible();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('Glemt adgangskode? answers as a plain form', async ({ page }) => {
    await page.goto('/password/forgot');
    const form = page.getByRole('form', { name: 'Glemt adgangskode' });
    await form.getByLabel('E-mail').fill(`nobody-nojs-${suffix}@e2e-account.test`);
    await form.getByRole('button', { name: 'Send link' }).click();
    await expect(page.getByRole('status').filter({ hasText: answer })).toBeVisible();
  });
});

test('Min konto: the name in the header leads there; a new name and a new password, other sessions end, this one goes on', async ({
  page,
  browser,
}) => {
  const p = people.bo;
  const elsewhere = await signedInPage(browser, p);
  await signIn(page, p);
  await page.getByRole('link', { name: p.name }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Min konto' })).toBeVisible();

  const nameForm = page.getByRole('form', { name: 'Dit navn' });
  await nameForm.getByLabel('Navn').fill(`Bo Nyt Navn ${suffix}`);
  await nameForm.getByRole('button', { name: 'Gem' }).click();
  await expect(nameForm.getByRole('status')).toHaveText('Gemt.');
  await expect(page.getByRole('link', { name: `Bo Nyt Navn ${suffix}` })).toBeVisible();

  const change = page.getByRole('form', { name: 'Skift adgangskode' });
  await change.getByLabel('Nuværende adgangskode').fill('ikke-den-rigtige-kode');
  await change.getByLabel('Ny adgangskode').fill(`ny-${p.password}`);
  await change.getByLabel('Gentag adgangskode').fill(`ny-${p.password}`);
  await change.getByRole('button', { name: 'Skift adgangskode' }).click();
  await expect(change.getByText('Adgangskoden er forkert.')).toBeVisible();

  await change.getByLabel('Nuværende adgangskode').fill(p.password);
  await change.getByLabel('Ny adgangskode').fill(`ny-${p.password}`);
  await change.getByLabel('Gentag adgangskode').fill(`ny-${p.password}`);
  await change.getByRole('button', { name: 'Skift adgangskode' }).click();
  await expect(change.getByRole('status')).toContainText('Adgangskoden er skiftet');
  p.password = `ny-${p.password}`;

  // This session goes on; the other one has ended.
  await page.goto('/orders/drafts');
  await expect(page.getByRole('heading', { level: 1, name: 'Ordrekladder' })).toBeVisible();
  await elsewhere.goto('/orders/drafts');
  await expect(elsewhere).toHaveURL(/\/login/);
});

test('Log ud ends the session: a cookie saved before opens nothing afterwards', async ({
  page,
  browser,
}) => {
  await signIn(page, people.carl);
  const saved = await page.context().storageState();
  await page.getByRole('button', { name: 'Log ud' }).click();
  await expect(page).toHaveURL(/\/login/);

  const copy = await (await browser.newContext({ storageState: saved })).newPage();
  await copy.goto('/orders/drafts');
  await expect(copy).toHaveURL(/\/login/);
  await expect(copy.getByRole('heading', { name: 'Log ind' })).toBeVisible();
});

test('a page left by an ended session sends the person back to it after signing in, saying nothing was saved', async ({
  page,
  browser,
}) => {
  const p = people.carl;
  await signIn(page, p);
  await page.goto('/customers?q=abc');
  // Ended from another device: a new password there ends this session.
  const other = await signedInPage(browser, p);
  await other.goto('/account');
  const change = other.getByRole('form', { name: 'Skift adgangskode' });
  await change.getByLabel('Nuværende adgangskode').fill(p.password);
  await change.getByLabel('Ny adgangskode').fill(`ny-${p.password}`);
  await change.getByLabel('Gentag adgangskode').fill(`ny-${p.password}`);
  await change.getByRole('button', { name: 'Skift adgangskode' }).click();
  await expect(change.getByRole('status')).toContainText('Adgangskoden er skiftet');
  p.password = `ny-${p.password}`;

  await page.reload();
  await expect(page).toHaveURL(/\/login\?notice=session-ended&callbackUrl=/);
  await expect(page.getByRole('status')).toContainText('intet blev gemt');
  await page.getByLabel('E-mail').fill(p.email);
  await page.getByLabel('Adgangskode').fill(p.password);
  await page.getByRole('button', { name: 'Log ind' }).click();
  await expect(page).toHaveURL(/\/customers\?q=abc$/);
});

test.describe('at a phone’s width', () => {
  test.use({ viewport: { width: 390, height: 844 } });
  test('the reset request and Min konto fit the screen', async ({ page }) => {
    const check = async (p: Page) => {
      const { scrollWidth, clientWidth } = await p.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      }));
      expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    };
    await page.goto('/password/forgot');
    await check(page);
    await signIn(page, people.anna);
    await page.goto('/account');
    await expect(page.getByRole('heading', { level: 1, name: 'Min konto' })).toBeVisible();
    await check(page);
  });
});
