import { randomBytes } from 'node:crypto';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { generateSigningSecret } from '@/lib/scalepoint/intake/signature';
import { runCommand, type Run } from './support/commands';
import { accounts, setUpTwoFactor, signIn } from './support/fixtures';
import { claimFor, newCaseNumber, resendStandIn, sendClaim } from './support/scalepoint';
import { E2E, freshDatabaseUrl } from './support/settings';

// A new company's whole way in, on the e2e server's second instance (E2E.freshBaseUrl), whose
// database is migrated and empty — no demo data, no user — as production's is on its first day
// (docs/people.md, docs/deployment.md "First production start"):
//   `npm run support:invite` → the support user accepts the link and signs in → Virksomheder →
//   Opret virksomhed → the admin's invitation mail → the admin accepts on a phone → a new order
//   type → the Scalepoint module on with it → support stores the credentials → a signed claim
//   becomes the company's order draft.
test.describe.configure({ mode: 'serial' });
test.use({ baseURL: E2E.freshBaseUrl });

const rand = randomBytes(4).toString('hex');
const support = {
  email: `support-${rand}@kladde.test`,
  name: 'Første Support',
  password: `Kaffe-Kande-${rand}`,
};
const company = {
  name: `Østjysk Tømrer ${rand} ApS`,
  cvr: String(10_000_000 + (randomBytes(4).readUInt32BE() % 89_999_999)),
  adminName: 'Åse Østergaard',
  adminEmail: `admin-${rand}@oestjysk.test`,
  adminPassword: `Høvl-Og-Save-${rand}`,
  orderType: `Stormskade ${rand}`,
};
const account = { accountId: `oestjysk-${rand}`, secret: generateSigningSecret() };
const LINK = /https?:\/\/\S+\/invitation\/[A-Za-z0-9_-]{43}/;

let supportPage: Page;
let adminPage: Page;
let companyId: string;

/** The real command, as an operator runs it against the production database. */
async function supportInvite(email: string, name: string): Promise<Run> {
  return runCommand('support:invite', [email, name], {
    databaseUrl: await freshDatabaseUrl(),
    appUrl: E2E.freshBaseUrl,
  });
}

/** The invitation link in the last mail the Resend stand-in got for `to`. */
async function mailedLink(to: string): Promise<{ subject: string; link: string }> {
  let found: { subject: string; text: string } | undefined;
  await expect
    .poll(
      async () => {
        found = (await resendStandIn.mails())
          .map((m) => m.body)
          .filter((b) => [b.to].flat().includes(to))
          .at(-1);
        return !!found;
      },
      { message: `an invitation mail to ${to}` },
    )
    .toBe(true);
  const link = found!.text.match(LINK)?.[0];
  expect(link, found!.text).toBeTruthy();
  return { subject: found!.subject, link: link! };
}

async function newPage(
  browser: Browser,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<Page> {
  return (await browser.newContext({ baseURL: E2E.freshBaseUrl, ...options })).newPage();
}

test('npm run support:invite makes the first support user of an empty database, who accepts the link and signs in', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  // Empty: not even the demo support user exists here.
  const probe = await newPage(browser);
  await probe.goto('/login');
  await probe.getByLabel('E-mail').fill(accounts.demoSupport.email);
  await probe.getByLabel('Adgangskode').fill(accounts.demoSupport.password);
  await probe.getByRole('button', { name: 'Log ind' }).click();
  await expect(probe.getByRole('form', { name: 'Log ind' }).getByRole('alert')).toHaveText(
    'Forkert e-mail eller adgangskode.',
  );
  await probe.context().close();

  const run = await supportInvite(support.email, support.name);
  expect(run.code, run.stderr).toBe(0);
  const link = run.stdout.match(LINK)?.[0];
  expect(link, run.stdout).toBeTruthy();
  expect(link!.startsWith(`${E2E.freshBaseUrl}/invitation/`)).toBe(true);
  expect(run.stdout).toMatch(/udløber \d{2}\.\d{2}\.\d{4}, \d{2}\.\d{2}/);
  expect(run.stdout).toContain(`Invitationen er sendt til ${support.email}`);
  const mail = await mailedLink(support.email);
  expect(mail.subject).toContain('Invitation til Kladde');
  expect(mail.subject).toContain('Kladde support');
  expect(mail.link).toBe(link);

  const again = await supportInvite(support.email.toUpperCase(), 'En Anden');
  expect(again.code).toBe(1);
  expect(again.stderr).toContain('E-mailen er allerede i brug');

  // Accepted before hydration (no JavaScript): the form posts to its server action.
  const plain = await newPage(browser, { javaScriptEnabled: false });
  await plain.goto(link!);
  await expect(
    plain.getByRole('heading', { name: 'Velkommen til Kladde', level: 1 }),
  ).toBeVisible();
  await expect(plain.getByText('Kladde support')).toBeVisible();
  await expect(plain.locator('meta[name="robots"]')).toHaveAttribute('content', /noindex/);
  const form = plain.getByRole('form', { name: 'Opret adgang' });
  await expect(form.getByLabel('Navn')).toHaveValue(support.name);
  await form.getByLabel('Adgangskode', { exact: true }).fill('password123');
  await form.getByLabel('Gentag adgangskode').fill('password123');
  await form.getByRole('button', { name: 'Opret adgang' }).click();
  // The server's list of common passwords answers at the field; the name is kept.
  await expect(form.getByText('Adgangskoden er for almindelig')).toBeVisible();
  await expect(form.getByLabel('Navn')).toHaveValue(support.name);
  await expect(form.getByLabel('Adgangskode', { exact: true })).toHaveValue('');
  await form.getByLabel('Adgangskode', { exact: true }).fill(support.password);
  await form.getByLabel('Gentag adgangskode').fill(support.password);
  await form.getByRole('button', { name: 'Opret adgang' }).click();
  await expect(plain).toHaveURL(/\/login\?notice=invitation-accepted$/);
  await expect(plain.getByRole('form', { name: 'Log ind' }).getByRole('status')).toContainText(
    'Adgang oprettet',
  );

  // Used once.
  await plain.goto(link!);
  await expect(
    plain.getByRole('heading', { name: 'Linket er udløbet eller allerede brugt' }),
  ).toBeVisible();
  await expect(plain.getByRole('button', { name: 'Opret adgang' })).toHaveCount(0);
  await plain.context().close();

  // A support user must set up two-step verification before any support page opens.
  supportPage = await newPage(browser);
  await signIn(supportPage, support);
  await expect(supportPage).toHaveURL(/\/account\/two-factor$/);
  await setUpTwoFactor(supportPage, support.email);
  await expect(supportPage).toHaveURL(/\/support\/scalepoint$/);
  await expect(supportPage.getByRole('heading', { name: 'Scalepoint-adgange' })).toBeVisible();
});

test('support creates the company and its admin under Virksomheder', async () => {
  const page = supportPage;
  await page.getByRole('link', { name: 'Virksomheder' }).first().click();
  await expect(page.getByRole('heading', { name: 'Virksomheder', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Opret virksomhed' }).click();
  await expect(page).toHaveURL(/\/support\/companies\/new$/);
  await page.getByLabel('Firmanavn').fill(company.name);
  await page.getByLabel('CVR-nr.').fill(company.cvr);
  await page.getByLabel('Administrators navn').fill(company.adminName);
  await page.getByLabel('Administrators e-mail').fill(company.adminEmail);
  await page.getByRole('button', { name: 'Opret virksomhed' }).click();
  await expect(page.getByText(/Virksomheden er oprettet/)).toBeVisible();
  await expect(page.getByText(company.adminEmail).first()).toBeVisible();

  // The new company is in Scalepoint-adgange too, module off; its view gives its id.
  await page.goto('/support/scalepoint');
  await page.getByRole('searchbox', { name: 'Søg' }).fill(company.name);
  await page.getByRole('searchbox', { name: 'Søg' }).press('Enter');
  const row = page.getByRole('row', { name: new RegExp(company.name) });
  await expect(row).toContainText('Ikke aktiveret');
  await row.getByRole('link', { name: company.name }).click();
  await expect(page).toHaveURL(/\/support\/scalepoint\/[0-9a-f-]{36}$/);
  companyId = page.url().split('/').at(-1)!;
});

test('the admin gets the invitation by mail and accepts it on a phone', async ({ browser }) => {
  const mail = await mailedLink(company.adminEmail);
  expect(mail.subject).toContain('Invitation til Kladde');
  expect(mail.subject).toContain(company.name);
  expect(mail.link.startsWith(`${E2E.freshBaseUrl}/invitation/`)).toBe(true);

  adminPage = await newPage(browser, {
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 3,
  });
  const page = adminPage;
  const problems: string[] = [];
  page.on(
    'console',
    (m) => void (/Content Security Policy/i.test(m.text()) && problems.push(m.text())),
  );
  page.on('pageerror', (e) => problems.push(e.message));
  const response = await page.goto(mail.link);
  // The link's path stays on this site: other sites get the origin alone.
  expect(response!.headers()['referrer-policy']).toBe('strict-origin-when-cross-origin');
  await expect(page.getByRole('heading', { name: 'Velkommen til Kladde', level: 1 })).toBeVisible();
  await expect(page.getByText(company.name)).toBeVisible();
  // Nothing wider than the phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const form = page.getByRole('form', { name: 'Opret adgang' });
  await expect(form.getByLabel('Navn')).toHaveValue(company.adminName);
  // Hydrated, the browser answers the rules it knows at once, at their fields.
  await form.getByLabel('Adgangskode', { exact: true }).fill('kort');
  await form.getByLabel('Gentag adgangskode').fill('kort2');
  await form.getByRole('button', { name: 'Opret adgang' }).click();
  await expect(form.getByText('Adgangskoden skal være mindst 10 tegn.')).toBeVisible();
  await expect(form.getByText('Adgangskoderne er ikke ens.')).toBeVisible();
  await form.getByLabel('Adgangskode', { exact: true }).fill(company.adminEmail.split('@')[0]!);
  await form.getByLabel('Gentag adgangskode').fill(company.adminEmail.split('@')[0]!);
  await form.getByRole('button', { name: 'Opret adgang' }).click();
  await expect(form.getByText('Adgangskoden må ikke være din e-mail.')).toBeVisible();
  await form.getByLabel('Adgangskode', { exact: true }).fill(company.adminPassword);
  await form.getByLabel('Gentag adgangskode').fill(company.adminPassword);
  await form.getByRole('button', { name: 'Opret adgang' }).click();
  await expect(page).toHaveURL(/\/login\?notice=invitation-accepted$/);
  await expect(page.getByRole('form', { name: 'Log ind' }).getByRole('status')).toContainText(
    'Adgang oprettet',
  );
  expect(problems).toEqual([]);

  await signIn(page, { email: company.adminEmail, password: company.adminPassword });
  await expect(page).toHaveURL(/\/orders\/drafts$/);
  await expect(page.getByRole('heading', { name: 'Ordrekladder', level: 1 })).toBeVisible();
  // A new company: nothing yet.
  await expect(page.getByRole('heading', { name: 'Ingen ordrekladder endnu' })).toBeVisible();
});

test('the admin makes an order type and turns the Scalepoint module on with it', async () => {
  const page = adminPage;
  await page.goto('/admin/order-types');
  await expect(page.getByRole('heading', { name: 'Ordretyper', level: 1 })).toBeVisible();
  // The company was created with Service and Skadeservice.
  await expect(page.getByText('Service', { exact: true }).first()).toBeVisible();
  await expect(page.getByText('Skadeservice', { exact: true }).first()).toBeVisible();
  // Ny ordretype: a form of its own (or a button that opens it).
  const opener = page.getByRole('button', { name: 'Ny ordretype' });
  if (await opener.count()) await opener.click();
  await page.getByLabel('Navn', { exact: true }).fill(company.orderType);
  await page.getByRole('button', { name: 'Opret', exact: true }).click();
  await expect(page.getByText(company.orderType, { exact: true }).first()).toBeVisible();

  await page.goto('/admin/modules/scalepoint');
  const form = page.getByRole('form', { name: 'Scalepoint-indstillinger' });
  await form.getByLabel('Slå modul til').check();
  await form.getByLabel('Standard ordretype').selectOption({ label: company.orderType });
  await form.getByRole('button', { name: 'Gem' }).click();
  await expect(form.getByRole('status')).toContainText('Gemt');
  await expect(page.getByTestId('integration-status')).toHaveText('Afventer adgang fra Scalepoint');
});

test("support stores the credentials, and a signed claim becomes the company's draft", async ({
  request,
  playwright,
}) => {
  const page = supportPage;
  await page.goto(`/support/scalepoint/${companyId}`);
  await expect(page.getByRole('heading', { name: company.name, level: 1 })).toBeVisible();
  await expect(page.getByTestId('integration-status')).toHaveText('Afventer adgang fra Scalepoint');
  const form = page.getByRole('form', { name: `Scalepoint-adgang for ${company.name}` });
  await form.getByLabel('Scalepoint konto-id').fill(account.accountId);
  await form.getByLabel('Signeringsnøgle').fill(account.secret);
  await form.getByRole('button', { name: 'Gem adgang' }).click();
  await expect(form.getByRole('status')).toContainText('Adgangen er gemt');
  await expect(page.getByTestId('integration-status')).toHaveText('Aktiv');

  // The claim goes to the fresh instance (the request fixture's baseURL); the other instance's
  // database has no such account.
  const caseNumber = newCaseNumber();
  const res = await sendClaim(request, account, claimFor(caseNumber));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.status).toBe('created');
  const other = await playwright.request.newContext({ baseURL: E2E.baseUrl });
  expect((await sendClaim(other, account, claimFor(newCaseNumber()))).status).toBe(401);
  await other.dispose();

  const admin = adminPage;
  await admin.goto('/orders/drafts');
  const row = admin.getByRole('row', { name: new RegExp(caseNumber) });
  await expect(row).toContainText('Jens Hansen');
  await expect(row).toContainText(company.orderType);
  await admin.goto('/admin/modules/scalepoint');
  await expect(admin.getByTestId('integration-status')).toHaveText('Aktiv');
});
