import { expect, test } from '@playwright/test';
import { accounts, asUser } from './support/fixtures';
import { E2E, eventsCompany } from './support/settings';

// Scalepoint's Events API end to end: support connects the company, Scalepoint (the local
// stand-in) knows the certificate, the admin turns the module on, and a published case becomes a
// draft that the running server fetched by itself. Closing the case at Scalepoint marks the draft.
test.describe.configure({ mode: 'serial' });

const admin = { email: eventsCompany.users[0]!.email, password: eventsCompany.users[0]!.password };
const tenant = 'e2e-syd';
const caseNumber = `EV-${Date.now()}`;

async function publish(request: import('@playwright/test').APIRequestContext, events: unknown[]) {
  const res = await request.post(`${E2E.standInUrl}/_stand-in/events`, {
    data: { tenant, events },
  });
  expect(res.status()).toBe(201);
}

test('support connects the company and the admin turns the module on', async ({
  browser,
  request,
}) => {
  const support = await asUser(browser, accounts.support);
  await support.goto('/support/scalepoint');
  await support.getByRole('search').getByLabel('Søg').fill('syd tag');
  await support.getByRole('search').getByRole('button', { name: 'Søg' }).click();
  await support.getByRole('link', { name: eventsCompany.name }).click();
  const fresh = support.getByRole('form', { name: 'Ny forbindelse' });
  const clientId = `kladde-syd-${Date.now()}`;
  await fresh.getByLabel('Klient-id').fill(clientId);
  await fresh.getByLabel('Tenant').fill(tenant);
  await fresh.getByLabel('Miljø').selectOption({ label: 'Sandbox' });
  await fresh.getByRole('button', { name: 'Gem forbindelse' }).click();
  await expect(fresh.getByRole('status')).toContainText('Forbindelsen er gemt');
  const card = support.getByRole('form', { name: `Forbindelse ${tenant} (Sandbox)` });
  const href = await card.getByRole('link', { name: 'Hent certifikat' }).getAttribute('href');
  const pem = await (await support.request.get(href!)).text();
  const registered = await request.post(`${E2E.standInUrl}/_stand-in/clients`, {
    data: { clientId, tenant, certificatePem: pem },
  });
  expect(registered.status()).toBe(201);

  const page = await asUser(browser, admin);
  await page.goto('/admin/modules/scalepoint');
  const form = page.getByRole('form', { name: 'Scalepoint-indstillinger' });
  await form.getByLabel('Slå modul til').check();
  await form.getByLabel('Standard ordretype').selectOption({ label: 'Forsikring' });
  await form.getByLabel('Forsikringstager', { exact: true }).check();
  await form.getByRole('button', { name: 'Gem' }).click();
  await expect(form.getByRole('status')).toContainText('Gemt');
  await expect(page.getByTestId('integration-status')).toHaveText('Aktiv');
});

test('a case published at Scalepoint shows up in Ordrekladder, marked Mangler forsikringstager', async ({
  browser,
  request,
}) => {
  await publish(request, [
    {
      type: 'repair_service_requested',
      attributes: {
        eventType: 'repair_service_requested',
        case: {
          number: caseNumber,
          damageCause: 'Storm',
          damageCategory: 'Bygningsskade',
          policy: {
            insuranceCompany: { alias: 'topdanmark', subcompanyName: 'Topdanmark Forsikring A/S' },
          },
        },
        service: {
          referenceNumber: `${caseNumber}-1`,
          startDate: '2026-12-07T07:00:00Z',
          endDate: '2026-12-08T15:00:00Z',
        },
      },
    },
  ]);
  const page = await asUser(browser, admin);
  const heading = `Scalepoint – ${caseNumber}`;
  // The server polls by itself; no page needs to be open for the case to arrive.
  await expect(async () => {
    await page.goto('/orders/drafts');
    await expect(page.getByRole('link', { name: heading })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: heading }) });
  await expect(row).toContainText('Mangler forsikringstager');
  await expect(row).toContainText('Topdanmark Forsikring A/S');

  await page.getByRole('link', { name: heading }).click();
  await expect(page.getByText('Bygningsskade: Storm')).toBeVisible();
  await expect(
    page.getByText(`Serviceopgave ${caseNumber}-1: 7.12.2026 – 8.12.2026`),
  ).toBeVisible();

  await page.goto('/admin/modules/scalepoint');
  const log = page.getByRole('region', { name: 'Modtagne sager' });
  await expect(log.getByRole('row').filter({ hasText: caseNumber })).toContainText('Events API');
  await expect(page.getByTestId('connection-health')).toContainText('Seneste hentning');
});

test('Sag lukket hos Scalepoint appears after CaseClosed and goes after CaseReopened', async ({
  browser,
  request,
}) => {
  const page = await asUser(browser, admin);
  const heading = `Scalepoint – ${caseNumber}`;
  await publish(request, [
    {
      type: 'claim_updated',
      attributes: {
        eventType: 'claim_updated',
        case: { number: caseNumber },
        changes: [{ property: 'CaseClosed', isTerminated: true, terminationReason: 'NotCovered' }],
      },
    },
  ]);
  const row = () =>
    page.getByRole('row').filter({ has: page.getByRole('link', { name: heading }) });
  await expect(async () => {
    await page.goto('/orders/drafts');
    await expect(row()).toContainText('Sag lukket hos Scalepoint: Ikke dækket', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await row().getByRole('link', { name: heading }).click();
  await expect(page.getByText('Ikke dækket').first()).toBeAttached();

  await publish(request, [
    {
      type: 'claim_updated',
      attributes: {
        eventType: 'claim_updated',
        case: { number: caseNumber },
        changes: [{ property: 'CaseReopened' }],
      },
    },
  ]);
  await expect(async () => {
    await page.goto('/orders/drafts');
    await expect(row()).toBeVisible({ timeout: 1_000 });
    await expect(row()).not.toContainText('Sag lukket hos Scalepoint', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
});
