import fs from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { accounts, asUser } from './support/fixtures';
import { E2E } from './support/settings';

// Support connects Demo VVS to Scalepoint's Events API: finds the company, saves a connection,
// downloads its certificate, Scalepoint (the local stand-in) registers it, and Test forbindelse works.
test.describe.configure({ mode: 'serial' });

const clientId = `kladde-demo-${Date.now()}`;
let certificateHref = '';

async function openDemoVvs(page: Page) {
  await page.goto('/support/scalepoint');
  await expect(page.getByRole('heading', { name: 'Scalepoint-adgange' })).toBeVisible();
  await page.getByRole('search').getByLabel('Søg').fill('demo vvs');
  await page.getByRole('search').getByRole('button', { name: 'Søg' }).click();
  await expect(page).toHaveURL(/q=demo\+vvs/);
  const rows = page.getByRole('table', { name: 'Virksomheder' }).getByRole('row');
  await expect(rows).toHaveCount(2); // header + Demo VVS
  await page.getByRole('link', { name: 'Demo VVS ApS' }).click();
  await expect(page.getByRole('heading', { name: 'Demo VVS ApS', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Scalepoint Events API' })).toBeVisible();
}

test('support saves a connection, downloads the certificate, and Test forbindelse works once Scalepoint has it', async ({
  browser,
  request,
}) => {
  const page = await asUser(browser, accounts.support);
  await openDemoVvs(page);
  await expect(page.getByTestId('integration-status')).toHaveText('Ikke aktiveret');

  const fresh = page.getByRole('form', { name: 'Ny forbindelse' });
  await fresh.getByLabel('Klient-id').fill(clientId);
  await fresh.getByLabel('Tenant').fill('Tryg');
  await fresh.getByLabel('Miljø').selectOption({ label: 'Sandbox' });
  await fresh.getByRole('button', { name: 'Gem forbindelse' }).click();
  await expect(
    fresh.getByText(/Tenant må kun indeholde små bogstaver, tal og bindestreg/),
  ).toBeVisible();
  await expect(fresh.getByLabel('Klient-id')).toHaveValue(clientId);
  await fresh.getByLabel('Tenant').fill('tryg');
  await fresh.getByRole('button', { name: 'Gem forbindelse' }).click();
  await expect(fresh.getByRole('status')).toContainText('Forbindelsen er gemt');

  const card = page.getByRole('form', { name: 'Forbindelse tryg (Sandbox)' });
  await expect(card.getByLabel('Klient-id')).toHaveValue(clientId);
  await expect(fresh.getByLabel('Klient-id')).toHaveValue('');

  // Hent certifikat: a plain GET download of the PEM certificate, and nothing else.
  const link = card.getByRole('link', { name: 'Hent certifikat' });
  certificateHref = (await link.getAttribute('href')) ?? '';
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toBe('kladde-scalepoint-tryg-sandbox.pem');
  const pem = await fs.readFile((await download.path())!, 'utf8');
  expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
  expect(pem.trim()).toMatch(/-----END CERTIFICATE-----$/);
  expect(pem).not.toContain('PRIVATE');

  // Scalepoint does not know it yet.
  await card.getByRole('button', { name: 'Test forbindelse' }).click();
  await expect(card.getByRole('status')).toContainText(
    'Scalepoint kender ikke certifikatet (invalid_client)',
  );

  // Support sends it to Scalepoint; the sandbox's admin endpoint stands in for their registration.
  const registered = await request.post(`${E2E.standInUrl}/_stand-in/clients`, {
    data: { clientId, tenant: 'tryg', certificatePem: pem },
  });
  expect(registered.status()).toBe(201);
  await card.getByRole('button', { name: 'Test forbindelse' }).click();
  await expect(card.getByRole('status')).toContainText('Forbundet');

  const html = await page.content();
  expect(html).not.toContain('PRIVATE KEY');
  await page.reload();
  expect(await page.content()).not.toContain('PRIVATE KEY');
});

test('the certificate link answers 404 to anyone but support', async ({ browser, request }) => {
  expect(certificateHref).toMatch(
    /^\/support\/scalepoint\/[0-9a-f-]{36}\/connections\/[0-9a-f-]{36}\/certificate$/,
  );
  const anonymous = await request.get(certificateHref, { maxRedirects: 0 });
  expect(anonymous.status()).toBe(404);
  expect(await anonymous.text()).not.toContain('CERTIFICATE');
  expect(
    (
      await request.get(certificateHref.replace(/\/connections\/.*$/, ''), { maxRedirects: 0 })
    ).status(),
  ).toBe(404);

  const admin = await asUser(browser, accounts.demoAdmin);
  const asAdmin = await admin.request.get(certificateHref, { maxRedirects: 0 });
  expect(asAdmin.status()).toBe(404);
  expect((await admin.goto(certificateHref.replace(/\/connections\/.*$/, '')))?.status()).toBe(404);

  const support = await asUser(browser, accounts.support);
  const ok = await support.request.get(certificateHref);
  expect(ok.status()).toBe(200);
  expect(ok.headers()['content-type']).toBe('application/x-pem-file');
  expect(ok.headers()['content-disposition']).toMatch(/^attachment;/);
  expect(
    (
      await support.request.get(
        certificateHref.replace(/[0-9a-f]{12}\/certificate$/, '000000000000/certificate'),
      )
    ).status(),
  ).toBe(404);
  expect((await support.goto('/support/scalepoint/not-a-uuid'))?.status()).toBe(404);
  expect(
    (await support.goto('/support/scalepoint/00000000-0000-4000-8000-000000000000'))?.status(),
  ).toBe(404);
});

test('Nyt certifikat keeps the old one working, and Slet forbindelse removes the connection', async ({
  browser,
}) => {
  const page = await asUser(browser, accounts.support);
  await openDemoVvs(page);
  const card = page.getByRole('form', { name: 'Forbindelse tryg (Sandbox)' });
  await card.getByRole('button', { name: 'Nyt certifikat' }).click();
  await expect(card.getByRole('status')).toContainText('Nyt certifikat lavet');
  await expect(card.getByText(/Prøves stadig til/)).toBeVisible();
  // Scalepoint only has the old certificate, which is still tried within its 24 hours.
  await card.getByRole('button', { name: 'Test forbindelse' }).click();
  await expect(card.getByRole('status')).toContainText('Forbundet');
  await card.getByRole('button', { name: 'Nyt certifikat' }).click();
  await expect(card.getByRole('status')).toContainText('Tilbagekald forrige certifikat først');

  // Cancelling the question keeps it; accepting deletes it.
  page.once('dialog', (d) => void d.dismiss());
  await card.getByRole('button', { name: 'Slet forbindelse' }).click();
  await page.reload();
  await expect(page.getByRole('form', { name: 'Forbindelse tryg (Sandbox)' })).toHaveCount(1);
  page.once('dialog', (d) => {
    expect(d.message()).toContain('Slet forbindelsen til tryg?');
    void d.accept();
  });
  await page
    .getByRole('form', { name: 'Forbindelse tryg (Sandbox)' })
    .getByRole('button', { name: 'Slet forbindelse' })
    .click();
  await expect(page.getByRole('form', { name: 'Forbindelse tryg (Sandbox)' })).toHaveCount(0);
  await expect(page.getByText('Ingen forbindelser endnu.')).toBeVisible();
});
