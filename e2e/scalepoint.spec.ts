import { expect, test, type Page } from '@playwright/test';
import { generateSigningSecret } from '@/lib/scalepoint/intake/signature';
import { accounts, asUser } from './support/fixtures';
import { claimFor, newCaseNumber, resendStandIn, sendClaim } from './support/scalepoint';
import { E2E } from './support/settings';

// The article's whole flow, in order, for Nord Byg ApS: module off → Afventer adgang → mail →
// support stores credentials → Aktiv → claims become drafts → a rejected claim is replayed.
test.describe.configure({ mode: 'serial' });

const account = { accountId: `nordbyg-${Date.now()}`, secret: generateSigningSecret() };

async function openScalepoint(page: Page) {
  await page.goto('/orders/drafts');
  await page.getByRole('link', { name: 'Indstillinger' }).click();
  await expect(page.getByRole('heading', { name: 'Administration' })).toBeVisible();
  await page.getByRole('link', { name: 'Scalepoint' }).click();
  await expect(page.getByRole('heading', { name: 'Scalepoint', exact: true })).toBeVisible();
}

test('the admin turns the module on, and cannot without a standard order type', async ({
  browser,
}) => {
  const page = await asUser(browser, accounts.nordAdmin);
  await openScalepoint(page);
  await expect(page.getByTestId('integration-status')).toHaveText('Ikke aktiveret');
  await expect(page.getByRole('button', { name: 'Send mail til Scalepoint' })).toBeDisabled();

  const form = page.getByRole('form', { name: 'Scalepoint-indstillinger' });
  await form.getByLabel('Slå modul til').check();
  await form.getByRole('button', { name: 'Gem' }).click();
  await expect(form.getByText('Vælg en standard ordretype for at slå modulet til.')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('integration-status')).toHaveText('Ikke aktiveret');
  await expect(form.getByLabel('Slå modul til')).not.toBeChecked();

  await form.getByLabel('Slå modul til').check();
  await form.getByLabel('Standard ordretype').selectOption({ label: 'Forsikring' });
  await form.getByLabel('Forsikringsselskab').check();
  await expect(form.getByLabel('Brug forsikringstagers telefonnummer som kundenummer')).toHaveCount(
    0,
  );
  await form.getByLabel('Forsikringstager', { exact: true }).check();
  await expect(
    form.getByLabel('Brug forsikringstagers telefonnummer som kundenummer'),
  ).toBeVisible();
  await form.getByRole('button', { name: 'Gem' }).click();
  await expect(form.getByRole('status')).toContainText('Gemt');
  await expect(page.getByTestId('integration-status')).toHaveText('Afventer adgang fra Scalepoint');
  await page.reload();
  await expect(form.getByLabel('Standard ordretype')).toHaveValue(/.+/);
  await expect(form.getByLabel('Slå modul til')).toBeChecked();
});

test('the admin sends the mail to Scalepoint through Resend, once', async ({ browser }) => {
  await resendStandIn.clear();
  const page = await asUser(browser, accounts.nordAdmin);
  await openScalepoint(page);
  await page.getByText('Se mailen, før den sendes').click();
  await expect(page.locator('pre.mail')).toContainText(`${E2E.baseUrl}/api/scalepoint/claims`);
  await page.getByRole('button', { name: 'Send mail til Scalepoint' }).click();
  await expect(page.getByText(/Mail sendt/).first()).toBeVisible();
  await page.getByRole('button', { name: 'Send mail til Scalepoint' }).click();
  await expect(page.getByText(/for under et minut siden/)).toBeVisible();

  const mails = await resendStandIn.mails();
  expect(mails).toHaveLength(1);
  const mail = mails[0]!.body;
  expect([mail.to].flat()).toEqual([E2E.scalepointEmail]);
  expect([mail.cc].flat()).toEqual([accounts.nordAdmin.email]);
  expect(mail.subject).toContain('Nord Byg ApS');
  expect(mail.subject).toContain('87654321');
  expect(mail.text).toContain('Nord Byg ApS');
  expect(mail.text).toContain('87654321');
  expect(mail.text).toContain(`${E2E.baseUrl}/api/scalepoint/claims`);
  expect(mail.text).toContain(accounts.nordAdmin.email);
});

test('support stores the credentials; the admin sees Aktiv; the secret appears nowhere', async ({
  browser,
}) => {
  const support = await asUser(browser, accounts.support);
  await expect(support).toHaveURL(/\/support\/scalepoint$/);
  await expect(support.getByRole('heading', { name: 'Scalepoint-adgange' })).toBeVisible();
  await expect(support.getByRole('row', { name: /Nord Byg ApS/ })).toContainText(
    'Afventer adgang fra Scalepoint',
  );
  await expect(support.getByRole('row', { name: /Demo VVS ApS/ })).toContainText('Ikke aktiveret');

  await support
    .getByRole('navigation', { name: 'Filter' })
    .getByRole('link', { name: 'Afventer adgang' })
    .click();
  await expect(support).toHaveURL(/filter=awaiting/);
  await expect(support.getByRole('row', { name: /Demo VVS ApS/ })).toHaveCount(0);
  await support.getByRole('link', { name: 'Nord Byg ApS' }).click();
  await expect(support.getByRole('heading', { name: 'Nord Byg ApS', level: 1 })).toBeVisible();
  await expect(support.getByTestId('integration-status')).toHaveText(
    'Afventer adgang fra Scalepoint',
  );

  const form = support.getByRole('form', { name: 'Scalepoint-adgang for Nord Byg ApS' });
  await form.getByLabel('Scalepoint konto-id').fill(account.accountId);
  await form.getByLabel('Signeringsnøgle').fill('whsec_for-kort');
  await form.getByRole('button', { name: 'Gem adgang' }).click();
  await expect(form.getByText(/Signeringsnøglen skal være whsec_/)).toBeVisible();
  await form.getByLabel('Signeringsnøgle').fill(account.secret);
  await form.getByRole('button', { name: 'Gem adgang' }).click();
  await expect(form.getByRole('status')).toContainText('Adgangen er gemt');
  await expect(support.getByTestId('integration-status')).toHaveText('Aktiv');
  await support.getByRole('link', { name: 'Scalepoint-adgange' }).first().click();
  await expect(support.getByRole('row', { name: /Nord Byg ApS/ })).toContainText('Aktiv');
  await expect(support.getByRole('row', { name: /Nord Byg ApS/ })).toContainText(
    `…${account.secret.slice(-4)}`,
  );
  await support.reload();
  expect(await support.content()).not.toContain(account.secret);
  expect(await support.content()).not.toContain(account.secret.slice(6, 30));

  const admin = await asUser(browser, accounts.nordAdmin);
  await openScalepoint(admin);
  await expect(admin.getByTestId('integration-status')).toHaveText('Aktiv');
  await expect(admin.getByText('Seneste sag modtaget: ingen sager endnu')).toBeVisible();
  expect(await admin.content()).not.toContain(account.secret);
});

test('a signed claim shows up in Ordrekladder and its page matches the claim', async ({
  browser,
  request,
}) => {
  const caseNumber = newCaseNumber();
  const res = await sendClaim(request, account, claimFor(caseNumber));
  expect(res.status).toBe(201);
  expect(res.body.status).toBe('created');

  const page = await asUser(browser, accounts.nordAdmin);
  await page.goto('/orders/drafts');
  const heading = `Scalepoint – ${caseNumber}`;
  const row = page.getByRole('row', { name: new RegExp(caseNumber) });
  await expect(row).toContainText('Jens Hansen');
  await expect(row).toContainText('Forsikring');
  await row.getByRole('link', { name: heading }).click();
  await expect(page.getByRole('heading', { name: heading })).toBeVisible();
  const field = (label: string) =>
    page
      .locator('.fieldrow', {
        has: page
          .getByRole('term')
          .filter({ hasText: new RegExp(`^${label.replace('.', '\\.')}$`) }),
      })
      .getByRole('definition');
  await expect(field('Rekv.nr.')).toHaveText(caseNumber);
  await expect(field('Ordretype')).toHaveText('Forsikring');
  await expect(field('Arbejdsbeskrivelse')).toContainText('Vandskade i køkken efter sprunget rør.');
  await expect(field('Arbejdsbeskrivelse')).toContainText(
    `https://www.scalepoint.com/dk/case/${caseNumber.toLowerCase()}`,
  );
  await expect(field('Kunde')).toContainText('Jens Hansen');
  await expect(field('Installationsadresse')).toHaveText('Havnegade 3, 8000 Aarhus C');
  await expect(page.getByRole('listitem').filter({ hasText: 'Mette Jensen' })).toContainText(
    '31 22 33 44',
  );

  await page.goto('/admin/modules/scalepoint');
  await expect(page.getByText(/Seneste sag modtaget: \d/)).toBeVisible();
  await expect(
    page
      .getByRole('table', { name: 'Modtagne sager' })
      .getByRole('row', { name: new RegExp(caseNumber) }),
  ).toContainText('Oprettet');
});

test('a claim sent while the module is off is shown in Modtagne sager, and Genbehandl makes it a draft', async ({
  browser,
  request,
}) => {
  const page = await asUser(browser, accounts.nordAdmin);
  await page.goto('/admin/modules/scalepoint');
  const form = page.getByRole('form', { name: 'Scalepoint-indstillinger' });
  await form.getByLabel('Slå modul til').uncheck();
  await form.getByRole('button', { name: 'Gem' }).click();
  await expect(form.getByRole('status')).toContainText('Gemt');
  await expect(page.getByTestId('integration-status')).toHaveText('Ikke aktiveret');

  const caseNumber = newCaseNumber();
  const res = await sendClaim(request, account, claimFor(caseNumber));
  expect(res).toEqual({ status: 409, body: { error: 'module_disabled' } });

  await page.reload();
  const log = page.getByRole('table', { name: 'Modtagne sager' });
  const row = log.getByRole('row', { name: new RegExp(caseNumber) });
  await expect(row).toContainText('Modul slået fra');
  await expect(row).toContainText('slået fra');

  await form.getByLabel('Slå modul til').check();
  await form.getByRole('button', { name: 'Gem' }).click();
  await expect(form.getByRole('status')).toContainText('Gemt');
  await row.getByRole('button', { name: /Genbehandl/ }).click();
  await expect(page.getByText('Genbehandlet: sagen er nu en ordrekladde.')).toBeVisible();
  await expect(row).toContainText('Oprettet');
  await expect(row.getByRole('button', { name: /Genbehandl/ })).toHaveCount(0);

  await page.goto(`/orders/drafts?q=${caseNumber}`);
  await expect(page.getByRole('row')).toHaveCount(2);
  await expect(page.getByRole('link', { name: `Scalepoint – ${caseNumber}` })).toBeVisible();
});
