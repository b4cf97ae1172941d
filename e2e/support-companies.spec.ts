import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { accounts, asUser, signIn } from './support/fixtures';
import { resendStandIn } from './support/scalepoint';
import { E2E } from './support/settings';

// Support's Virksomheder and Supportbrugere (docs/people.md). Everything here is made by this spec
// (a random CVR, random e-mails); the demo companies and support@kladde.dk are only looked at.
test.describe.configure({ mode: 'serial' });

const tag = randomBytes(3).toString('hex');
const cvr = () => String(10_000_000 + Math.floor(Math.random() * 89_999_999));
const company = {
  name: `E2E Tømrer ${tag} ApS`,
  cvr: cvr(),
  adminName: `Mette ${tag}`,
  adminEmail: `mette-${tag}@tomrer.test`,
};
const renamed = `E2E Tømrer og Snedker ${tag} ApS`;
const supportInvitee = { name: `Sofie ${tag}`, email: `sofie-${tag}@kladde.test` };
let companyPath = '';

const mailsTo = async (email: string) =>
  (await resendStandIn.mails()).filter((m) =>
    (Array.isArray(m.body.to) ? m.body.to : [m.body.to]).includes(email),
  );

async function searchCompanies(page: Page, q: string) {
  const search = page.getByRole('search');
  await search.getByLabel('Søg').fill(q);
  await search.getByRole('button', { name: 'Søg' }).click();
  await expect(page).toHaveURL(new RegExp(`q=${q}`));
}

test('support creates a company with the keyboard alone, and its admin gets the invitation by mail', async ({
  browser,
}) => {
  const page = await asUser(browser, accounts.support);
  await page
    .getByRole('navigation', { name: 'Hovedmenu' })
    .getByRole('link', { name: 'Virksomheder' })
    .click();
  await expect(page.getByRole('heading', { name: 'Virksomheder', level: 1 })).toBeVisible();
  const table = page.getByRole('table', { name: 'Virksomheder' });
  await expect(table.getByRole('columnheader')).toHaveText([
    'Firmanavn',
    'CVR-nr.',
    'Brugere',
    'Oprettet',
  ]);
  await expect(table.getByRole('row', { name: /Demo VVS ApS/ })).toBeVisible();

  await page.getByRole('link', { name: 'Opret virksomhed' }).click();
  await expect(page).toHaveURL(/\/support\/companies\/new$/);
  await expect(page.getByRole('heading', { name: 'Opret virksomhed', level: 1 })).toBeVisible();
  const form = page.getByRole('form', { name: 'Opret virksomhed' });

  // Tab to Firmanavn, then Tab from field to field, and Enter to send.
  const first = form.getByLabel('Firmanavn');
  for (let i = 0; i < 40 && !(await first.evaluate((el) => el === document.activeElement)); i++)
    await page.keyboard.press('Tab');
  await expect(first).toBeFocused();
  await page.keyboard.type(company.name);
  await page.keyboard.press('Tab');
  await expect(form.getByLabel('CVR-nr.')).toBeFocused();
  await page.keyboard.type(company.cvr);
  await page.keyboard.press('Tab');
  await expect(form.getByLabel('Administrators navn')).toBeFocused();
  await page.keyboard.type(company.adminName);
  await page.keyboard.press('Tab');
  await expect(form.getByLabel('Administrators e-mail')).toBeFocused();
  await page.keyboard.type(company.adminEmail);
  await page.keyboard.press('Enter');

  await expect(form.getByRole('status')).toContainText('Virksomheden er oprettet');
  await expect(form.getByRole('status')).toContainText(company.adminEmail);
  // Ready for the next company.
  await expect(form.getByLabel('Firmanavn')).toHaveValue('');
  const next = form.getByRole('link', { name: 'Gå til den nye virksomhed' });
  companyPath = (await next.getAttribute('href')) ?? '';
  expect(companyPath).toMatch(/^\/support\/companies\/[0-9a-f-]{36}$/);

  await expect.poll(async () => (await mailsTo(company.adminEmail)).length).toBe(1);
  const [mail] = await mailsTo(company.adminEmail);
  expect(mail!.body.subject).toContain('Invitation til Kladde');
  expect(mail!.body.subject).toContain(company.name);
  expect(mail!.body.text).toMatch(new RegExp(`${E2E.baseUrl}/invitation/[A-Za-z0-9_-]{22,}`));
});

test('a CVR or an e-mail in use is refused at its field, and nothing is created', async ({
  browser,
}) => {
  const page = await asUser(browser, accounts.support);
  await page.goto('/support/companies/new');
  const form = page.getByRole('form', { name: 'Opret virksomhed' });
  const other = `E2E Dublet ${tag} ApS`;

  // The browser's own check first: nothing sent.
  await form.getByRole('button', { name: 'Opret virksomhed' }).click();
  await expect(form.getByRole('status')).toHaveText('Intet er ændret. Ret fejlene herunder.');
  await expect(form.getByText('Skriv firmanavnet.')).toBeVisible();
  await expect(form.getByText('CVR-nummeret skal være 8 cifre.')).toBeVisible();

  await form.getByLabel('Firmanavn').fill(other);
  await form.getByLabel('CVR-nr.').fill(company.cvr);
  await form.getByLabel('Administrators navn').fill('Ole Dublet');
  await form.getByLabel('Administrators e-mail').fill(`ole-${tag}@tomrer.test`);
  await form.getByRole('button', { name: 'Opret virksomhed' }).click();
  await expect(form.getByText('CVR-nummeret findes allerede')).toBeVisible();
  await expect(form.getByLabel('CVR-nr.')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Firmanavn')).toHaveValue(other);

  await form.getByLabel('CVR-nr.').fill(cvr());
  await form.getByLabel('Administrators e-mail').fill(accounts.demoAdmin.email.toUpperCase());
  await form.getByRole('button', { name: 'Opret virksomhed' }).click();
  await expect(form.getByText('E-mailen er allerede i brug')).toBeVisible();
  await expect(form.getByLabel('Administrators e-mail')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByText('CVR-nummeret findes allerede')).toBeHidden();

  await page.goto(`/support/companies?q=${encodeURIComponent(other)}`);
  await expect(page.getByText(`Ingen virksomheder matcher »${other}«.`)).toBeVisible();
});

test('the new company is in Virksomheder (found by its CVR) and in Scalepoint-adgange', async ({
  browser,
}) => {
  const page = await asUser(browser, accounts.support);
  await page.goto('/support/companies');
  await searchCompanies(page, company.cvr);
  const rows = page.getByRole('table', { name: 'Virksomheder' }).getByRole('row');
  await expect(rows).toHaveCount(2); // header + the new company
  await expect(rows.nth(1).getByRole('cell')).toHaveText([
    company.name,
    company.cvr,
    '1',
    /^\d{2}\.\d{2}\.\d{4}/,
  ]);
  await page.getByRole('link', { name: company.name }).click();
  await expect(page).toHaveURL(new RegExp(`${companyPath}$`));
  await expect(page.getByRole('heading', { name: company.name, level: 1 })).toBeVisible();

  await page.goto('/support/scalepoint');
  await searchCompanies(page, company.cvr);
  const spRow = page
    .getByRole('table', { name: 'Virksomheder' })
    .getByRole('row', { name: new RegExp(company.cvr) });
  await expect(spRow).toContainText(company.name);
  await expect(spRow).toContainText('Ikke aktiveret');
});

test('its page: the admin Inviteret with Send invitation igen, Firmanavn changed, deactivated through the dialog and reactivated', async ({
  browser,
}) => {
  const page = await asUser(browser, accounts.support);
  await page.goto(companyPath);
  await expect(page.getByRole('heading', { name: company.name, level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Scalepoint', exact: true })).toHaveAttribute(
    'href',
    companyPath.replace('/companies/', '/scalepoint/'),
  );

  const people = page.getByRole('region', { name: 'Brugere' });
  await expect(people.getByRole('table', { name: 'Brugere' }).getByRole('columnheader')).toHaveText(
    ['Navn', 'E-mail', 'Rolle', 'Status', 'Handlinger'],
  );
  const admin = people.getByRole('row', { name: new RegExp(company.adminEmail) });
  await expect(admin.getByRole('cell').nth(2)).toHaveText('Administrator');
  await expect(admin.getByRole('cell').nth(3)).toContainText('Inviteret');
  await admin.getByRole('button', { name: 'Send invitation igen' }).click();
  await expect(people.getByRole('status')).toContainText(
    `Invitationen er sendt til ${company.adminEmail}`,
  );
  await expect.poll(async () => (await mailsTo(company.adminEmail)).length).toBe(2);

  // Firmanavn: saved, and the page says the new name.
  const identity = page.getByRole('form', { name: 'Firmanavn og CVR-nr.' });
  await expect(identity.getByLabel('CVR-nr.')).toHaveValue(company.cvr);
  await identity.getByLabel('Firmanavn').fill(renamed);
  await identity.getByRole('button', { name: 'Gem' }).click();
  await expect(identity.getByRole('status')).toContainText('Gemt');
  await expect(page.getByRole('heading', { name: renamed, level: 1 })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Ændringslog' })).toContainText(
    'Firmanavn/CVR ændret',
  );

  // Deaktiver virksomhed asks first; Escape cancels and gives focus back.
  const panel = page.getByRole('region', { name: 'Deaktivering' });
  const open = panel.getByRole('button', { name: 'Deaktiver virksomhed' });
  await open.click();
  const dialog = page.getByRole('dialog', { name: `Deaktiver ${renamed}?` });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('logget ud');
  await expect(dialog).toContainText('bliver gemt');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(open).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Deaktiver virksomhed' }).click();
  await expect(dialog).toBeHidden();
  await expect(panel.getByRole('status')).toContainText(`${renamed} er deaktiveret`);
  await expect(page.locator('.pagehead').getByText('Deaktiveret')).toBeVisible();
  await page.goto(`/support/companies?q=${company.cvr}`);
  await expect(page.getByRole('row', { name: new RegExp(company.cvr) })).toContainText(
    'Deaktiveret',
  );

  await page.goto(companyPath);
  await page.getByRole('button', { name: 'Genaktiver virksomhed' }).click();
  await expect(
    page.getByRole('region', { name: 'Deaktivering' }).getByRole('status'),
  ).toContainText(`${renamed} er aktiv igen`);
  await expect(page.getByRole('button', { name: 'Deaktiver virksomhed' })).toBeVisible();
  await expect(page.locator('.pagehead').getByText('Deaktiveret')).toBeHidden();
});

test('Supportbrugere: support@kladde.dk is listed; a support user is invited and deactivated', async ({
  browser,
}) => {
  const page = await asUser(browser, accounts.support);
  await page
    .getByRole('navigation', { name: 'Hovedmenu' })
    .getByRole('link', { name: 'Supportbrugere' })
    .click();
  await expect(page.getByRole('heading', { name: 'Supportbrugere', level: 1 })).toBeVisible();
  const table = page.getByRole('table', { name: 'Supportbrugere' });
  await expect(
    table.getByRole('row', { name: new RegExp(accounts.demoSupport.email) }),
  ).toContainText('Aktiv');

  await expect(
    page.getByRole('heading', { name: 'Inviter supportbruger', level: 2 }),
  ).toBeVisible();
  const invite = page.getByRole('form', { name: 'Inviter supportbruger' });
  await invite.getByLabel('Navn').fill(supportInvitee.name);
  await invite.getByLabel('E-mail').fill(supportInvitee.email);
  await invite.getByRole('button', { name: 'Send invitation', exact: true }).click();
  await expect(invite.getByRole('status')).toContainText(
    `Invitationen er sendt til ${supportInvitee.email}`,
  );
  await expect(invite.getByLabel('E-mail')).toHaveValue('');
  await expect.poll(async () => (await mailsTo(supportInvitee.email)).length).toBe(1);
  expect((await mailsTo(supportInvitee.email))[0]!.body.subject).toContain('Kladde support');

  const row = table.getByRole('row', { name: new RegExp(supportInvitee.email) });
  await expect(row).toContainText('Inviteret');
  await expect(row.getByRole('button', { name: 'Send invitation igen' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Ændringslog' })).toContainText(
    supportInvitee.email,
  );

  // The same e-mail again: refused at the field.
  await invite.getByLabel('Navn').fill('Igen');
  await invite.getByLabel('E-mail').fill(supportInvitee.email.toUpperCase());
  await invite.getByRole('button', { name: 'Send invitation', exact: true }).click();
  await expect(invite.getByText('E-mailen er allerede i brug')).toBeVisible();

  await row.getByRole('button', { name: 'Deaktiver' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'er deaktiveret' })).toContainText(
    `${supportInvitee.name} er deaktiveret`,
  );
  await expect(row).toContainText('Deaktiveret');
  await expect(row.getByRole('button', { name: 'Genaktiver' })).toBeVisible();
  await expect(
    table.getByRole('row', { name: new RegExp(accounts.demoSupport.email) }),
  ).toContainText('Aktiv');
});

test('support pages answer 404 to an admin, a member and the signed out; an unknown company is 404 to support', async ({
  browser,
  request,
}) => {
  const paths = ['/support/companies', '/support/companies/new', companyPath, '/support/users'];
  for (const who of [accounts.demoAdmin, accounts.demoMember]) {
    const page = await asUser(browser, who);
    for (const path of paths) {
      const res = await page.request.get(path, { maxRedirects: 0 });
      expect(res.status(), `${who.email} ${path}`).toBe(404);
      expect(await res.text()).not.toContain(company.adminEmail);
    }
    await page.context().close();
  }
  for (const path of paths)
    expect((await request.get(path, { maxRedirects: 0 })).status()).toBe(404);

  const page = await asUser(browser, accounts.support);
  expect(
    (await page.request.get('/support/companies/00000000-0000-4000-8000-000000000000')).status(),
  ).toBe(404);
  expect((await page.request.get('/support/companies/not-a-company')).status()).toBe(404);
  expect((await page.request.get(companyPath)).status()).toBe(200);
});

test.describe('before hydration (no JavaScript)', () => {
  test.use({ javaScriptEnabled: false });

  test('Opret virksomhed posts itself: the server refuses a taken CVR with the fields kept, and creates', async ({
    page,
  }) => {
    await signIn(page, accounts.support);
    await page.goto('/support/companies/new');
    const form = page.getByRole('form', { name: 'Opret virksomhed' });
    const plain = {
      name: `E2E Uden Script ${tag} ApS`,
      cvr: cvr(),
      adminName: `Per ${tag}`,
      adminEmail: `per-${tag}@tomrer.test`,
    };
    await form.getByLabel('Firmanavn').fill(plain.name);
    await form.getByLabel('CVR-nr.').fill(company.cvr);
    await form.getByLabel('Administrators navn').fill(plain.adminName);
    await form.getByLabel('Administrators e-mail').fill(plain.adminEmail);
    await form.getByRole('button', { name: 'Opret virksomhed' }).click();
    await expect(form.getByText('CVR-nummeret findes allerede')).toBeVisible();
    await expect(form.getByLabel('Firmanavn')).toHaveValue(plain.name);
    await expect(form.getByLabel('Administrators e-mail')).toHaveValue(plain.adminEmail);

    await form.getByLabel('CVR-nr.').fill(plain.cvr);
    await form.getByRole('button', { name: 'Opret virksomhed' }).click();
    await expect(form.getByRole('status')).toContainText('Virksomheden er oprettet');
    await expect(form.getByRole('status')).toContainText(plain.adminEmail);
    await form.getByRole('link', { name: 'Gå til den nye virksomhed' }).click();
    await expect(page.getByRole('heading', { name: plain.name, level: 1 })).toBeVisible();
  });
});
