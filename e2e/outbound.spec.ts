import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { accounts, asUser } from './support/fixtures';
import { E2E, eventsCompany } from './support/settings';

// What Kladde sends to Scalepoint (issue 22, "Visible"): a case that came in through the Events
// API is approved and its steps go out through the running server's sender to the local
// Scalepoint (the stand-in). Forløb shows each step's state — Afventer afsendelse, Sendt til
// Scalepoint, Fejlet with the reason and Send igen, Sendes ikke til Scalepoint — and the admin's
// Scalepoint page lists them under Sendt til Scalepoint with its ?sendt= filter. Syd Tag ApS, the
// Events API spec's company, on the same connection (set up here if that spec has not run).
test.describe.configure({ mode: 'serial', timeout: 120_000 });

const admin = { email: eventsCompany.users[0]!.email, password: eventsCompany.users[0]!.password };
const tenant = 'e2e-syd';
const run = Date.now();

async function publish(request: APIRequestContext, events: unknown[]) {
  const res = await request.post(`${E2E.standInUrl}/_stand-in/events`, {
    data: { tenant, events },
  });
  expect(res.status()).toBe(201);
}

/** The stand-in answers the next `times` sends with `status` (a refusal, an outage). */
async function failSends(request: APIRequestContext, status: number, times = 1) {
  const res = await request.post(`${E2E.standInUrl}/_stand-in/fail`, {
    data: { endpoint: 'send', status, times },
  });
  expect(res.ok()).toBe(true);
}

function newCase(caseNumber: string) {
  return {
    type: 'repair_service_requested',
    attributes: {
      eventType: 'repair_service_requested',
      case: {
        number: caseNumber,
        damageCause: 'Udsivning fra vaskemaskine',
        damageCategory: 'Vandskade',
        policy: { insuranceCompany: { alias: 'tryg', subcompanyName: 'Tryg Forsikring A/S' } },
      },
      service: {
        referenceNumber: `${caseNumber}-1`,
        startDate: '2026-12-07T07:00:00Z',
        endDate: '2026-12-08T15:00:00Z',
      },
    },
  };
}

const forlob = (page: Page) => page.getByRole('region', { name: 'Forløb' });
const step = (page: Page, label: string) =>
  forlob(page)
    .getByRole('listitem')
    .filter({ has: page.locator('strong', { hasText: new RegExp(`^${label}$`) }) });
const sending = (page: Page, label: string) => step(page, label).getByTestId('step-sending');
const outbox = (page: Page) => page.getByRole('region', { name: 'Sendt til Scalepoint' });

/** Reloads until `check` holds: the sender works in the server, on its own time. */
async function eventually(page: Page, check: () => Promise<void>, timeout = 45_000) {
  await expect(async () => {
    await page.reload();
    await check();
  }).toPass({ timeout, intervals: [500, 1_000, 2_000] });
}

/** The case published at Scalepoint, fetched by the server, opened as its draft. */
async function arrived(page: Page, caseNumber: string) {
  const heading = `Scalepoint – ${caseNumber}`;
  await expect(async () => {
    await page.goto(`/orders/drafts?q=${caseNumber}`);
    await expect(page.getByRole('link', { name: heading })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await page.getByRole('link', { name: heading }).click();
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
}

/** Godkend; the draft lacks its policyholder, so the confirmation is answered too. */
async function approve(page: Page) {
  await page.getByRole('button', { name: 'Godkend', exact: true }).click();
  const confirm = page.getByRole('dialog', { name: 'Godkend kladden?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Godkend alligevel' }).click();
  await expect(step(page, 'Godkendt')).toBeVisible();
}

async function record(page: Page, label: string) {
  await forlob(page).getByRole('button', { name: label, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: label });
  await expect(dialog).toBeVisible();
  if (label === 'Besigtigelse aftalt') {
    const d = new Date(Date.now() + 24 * 3600_000).toISOString().slice(0, 10);
    await dialog.getByLabel('Tidspunkt').fill(`${d}T10:00`);
  }
  await dialog.getByRole('button', { name: 'Gem' }).click();
  await expect(dialog).toBeHidden();
  await expect(step(page, label)).toBeVisible();
}

/** Syd Tag's connection to tenant e2e-syd, known to the stand-in, and the module on. */
async function connected(browser: Browser, request: APIRequestContext) {
  const support = await asUser(browser, accounts.support);
  await support.goto('/support/scalepoint');
  await support.getByRole('search').getByLabel('Søg').fill('syd tag');
  await support.getByRole('search').getByRole('button', { name: 'Søg' }).click();
  await support.getByRole('link', { name: eventsCompany.name }).click();
  await expect(support.getByRole('heading', { level: 1, name: eventsCompany.name })).toBeVisible();
  await expect(support.getByRole('form', { name: 'Ny forbindelse' })).toBeVisible();
  const card = support.getByRole('form', { name: `Forbindelse ${tenant} (Sandbox)` });
  // The Events API spec's connection when it has run; else one of our own.
  if ((await card.count()) === 0) {
    const fresh = support.getByRole('form', { name: 'Ny forbindelse' });
    await fresh.getByLabel('Klient-id').fill(`kladde-syd-${run}`);
    await fresh.getByLabel('Tenant').fill(tenant);
    await fresh.getByLabel('Miljø').selectOption({ label: 'Sandbox' });
    await fresh.getByRole('button', { name: 'Gem forbindelse' }).click();
    await expect(fresh.getByRole('status')).toContainText('Forbindelsen er gemt');
  }
  await expect(card).toBeVisible();
  const clientId = await card.getByLabel('Klient-id').inputValue();
  const href = await card.getByRole('link', { name: 'Hent certifikat' }).getAttribute('href');
  const pem = await (await support.request.get(href!)).text();
  const registered = await request.post(`${E2E.standInUrl}/_stand-in/clients`, {
    data: { clientId, tenant, certificatePem: pem },
  });
  expect(registered.status()).toBe(201);
  await support.context().close();

  const page = await asUser(browser, admin);
  await page.goto('/admin/modules/scalepoint');
  const form = page.getByRole('form', { name: 'Scalepoint-indstillinger' });
  if (!(await form.getByLabel('Slå modul til').isChecked())) {
    await form.getByLabel('Slå modul til').check();
    await form.getByLabel('Standard ordretype').selectOption({ label: 'Forsikring' });
    await form.getByLabel('Forsikringstager', { exact: true }).check();
    await form.getByRole('button', { name: 'Gem' }).click();
    await expect(form.getByRole('status')).toContainText('Gemt');
  }
  await expect(page.getByTestId('integration-status')).toHaveText('Aktiv');
  return page;
}

const caseNumber = `OUT-${run}`;
/** The case's order page, once approved (the first test). */
let orderUrl = '';

test('Godkend goes out: Afventer afsendelse, then Sendt til Scalepoint, in Forløb and on the Scalepoint page', async ({
  browser,
  request,
}) => {
  const page = await connected(browser, request);
  await publish(request, [newCase(caseNumber)]);
  await arrived(page, caseNumber);
  // Nothing is reported before Godkend.
  await expect(forlob(page).getByTestId('step-sending')).toHaveCount(0);

  // Scalepoint is briefly unavailable: the step waits, and goes out once it answers again.
  await failSends(request, 503, 2);
  await approve(page);
  await expect(sending(page, 'Godkendt')).toContainText('Afventer afsendelse');
  await eventually(page, () =>
    expect(sending(page, 'Godkendt')).toContainText('Sendt til Scalepoint', { timeout: 1_000 }),
  );
  // With the time it was sent.
  await expect(sending(page, 'Godkendt')).toContainText(/\d{1,2}\.\d{1,2}\.\d{4}/);
  orderUrl = page.url();
  await expect(sending(page, 'Godkendt').getByRole('button', { name: 'Send igen' })).toHaveCount(0);

  await page.goto('/admin/modules/scalepoint?sendt=sendt');
  const region = outbox(page);
  await expect(region.getByRole('heading', { name: 'Sendt til Scalepoint' })).toBeVisible();
  const filters = region.getByRole('navigation', { name: 'Filtrer sendt til Scalepoint' });
  await expect(filters.getByRole('link')).toHaveText([
    'Alle',
    'Afventer afsendelse',
    'Sendt',
    'Fejlet',
  ]);
  await expect(filters.getByRole('link', { name: 'Sendt', exact: true })).toHaveAttribute(
    'aria-current',
    'page',
  );
  const table = region.getByRole('table', { name: 'Sendt til Scalepoint' });
  await expect(table.getByRole('columnheader')).toContainText([
    'Tidspunkt',
    'Sagsnr.',
    'Hændelse',
    'Status',
    'Årsag',
  ]);
  const row = table.getByRole('row').filter({ hasText: caseNumber });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Godkendt');
  await expect(row).toContainText('Sendt til Scalepoint');
  await expect(row.getByRole('button', { name: /Send igen/ })).toHaveCount(0);
  // Sagsnr. opens the order.
  await expect(row.getByRole('link', { name: caseNumber })).toHaveAttribute(
    'href',
    /\/orders\/[0-9a-f-]{36}$/,
  );

  // The filters keep Modtagne sager's own; Fejlet has none of this case.
  await page.goto('/admin/modules/scalepoint?status=created');
  await filters.getByRole('link', { name: 'Fejlet' }).click();
  await expect(page).toHaveURL(/sendt=fejlet/);
  await expect(page).toHaveURL(/status=created/);
  await expect(table.getByRole('row').filter({ hasText: caseNumber })).toHaveCount(0);
  await filters.getByRole('link', { name: 'Alle' }).click();
  await expect(page).not.toHaveURL(/sendt=/);
  await expect(page).toHaveURL(/status=created/);
  await expect(table.getByRole('row').filter({ hasText: caseNumber })).toHaveCount(1);
});

test('a refused step is Fejlet with its reason, a later one waits for it, and Send igen delivers both', async ({
  browser,
  request,
}) => {
  const page = await asUser(browser, admin);
  await page.goto(orderUrl);
  await expect(sending(page, 'Godkendt')).toContainText('Sendt til Scalepoint');

  // Scalepoint refuses the next event outright.
  await failSends(request, 400, 1);
  await record(page, 'Kunde kontaktet');
  await eventually(page, () =>
    expect(sending(page, 'Kunde kontaktet')).toContainText('Fejlet', { timeout: 1_000 }),
  );
  await expect(sending(page, 'Kunde kontaktet')).toContainText(
    'Scalepoint afviste hændelsen (400)',
  );
  await expect(
    sending(page, 'Kunde kontaktet').getByRole('button', { name: 'Send igen' }),
  ).toBeVisible();

  // A later step of the same case waits while the earlier one is not delivered.
  await record(page, 'Arbejde startet');
  await expect(sending(page, 'Arbejde startet')).toContainText('Afventer afsendelse');
  await expect(sending(page, 'Arbejde startet')).toContainText('venter på en tidligere hændelse');

  // The Scalepoint page: the failed row under Fejlet with its reason, the waiting one under Afventer.
  const scalepoint = await asUser(browser, admin);
  await scalepoint.goto('/admin/modules/scalepoint?sendt=fejlet');
  const table = outbox(scalepoint).getByRole('table', { name: 'Sendt til Scalepoint' });
  const failed = table.getByRole('row').filter({ hasText: caseNumber });
  await expect(failed).toHaveCount(1);
  await expect(failed).toContainText('Kunde kontaktet');
  await expect(failed).toContainText('Fejlet');
  await expect(failed).toContainText('Scalepoint afviste hændelsen (400)');
  await expect(failed.getByRole('button', { name: /Send igen/ })).toBeVisible();
  await scalepoint.goto('/admin/modules/scalepoint?sendt=afventer');
  const waiting = table.getByRole('row').filter({ hasText: caseNumber });
  await expect(waiting).toHaveCount(1);
  await expect(waiting).toContainText('Arbejde startet');
  await expect(waiting).toContainText('venter på en tidligere hændelse');
  await scalepoint.context().close();

  // Support's company view: the connection's outgoing state — the last failure and its reason, and what waits.
  const support = await asUser(browser, accounts.support);
  await support.goto('/support/scalepoint');
  await support.getByRole('search').getByLabel('Søg').fill('syd tag');
  await support.getByRole('search').getByRole('button', { name: 'Søg' }).click();
  await support.getByRole('link', { name: eventsCompany.name }).click();
  const state = support
    .getByRole('form', { name: `Forbindelse ${tenant} (Sandbox)` })
    .getByTestId('connection-outbound');
  await expect(state).toContainText(/Seneste afsendelse: \d/);
  await expect(state).toContainText(/Seneste fejl: .+: Scalepoint afviste hændelsen/);
  await expect(state).toContainText(/[1-9]\d* hændelser? afventer afsendelse/);
  await support.context().close();

  // Send igen in Forløb: the failed step goes out, then the one that waited for it.
  await sending(page, 'Kunde kontaktet').getByRole('button', { name: 'Send igen' }).click();
  await eventually(page, async () => {
    await expect(sending(page, 'Kunde kontaktet')).toContainText('Sendt til Scalepoint', {
      timeout: 1_000,
    });
    await expect(sending(page, 'Arbejde startet')).toContainText('Sendt til Scalepoint', {
      timeout: 1_000,
    });
  });
  await expect(forlob(page).getByRole('button', { name: 'Send igen' })).toHaveCount(0);

  // Scalepoint got the case's events once each, in the order they happened.
  const standIn = (await (await request.get(`${E2E.standInUrl}/_stand-in/state`)).json()) as {
    sent: { body: { case: { number: string }; changes: { property: string }[] } }[];
  };
  expect(
    standIn.sent
      .filter((e) => e.body.case.number === caseNumber)
      .map((e) => e.body.changes[0]!.property),
  ).toEqual(['ServiceAccepted', 'CustomerContacted', 'WorkStarted']);
});

test('Send igen on the Scalepoint page delivers a failed step', async ({ browser, request }) => {
  const page = await asUser(browser, admin);
  await page.goto(orderUrl);
  await failSends(request, 400, 1);
  await record(page, 'Besigtigelse aftalt');
  await eventually(page, () =>
    expect(sending(page, 'Besigtigelse aftalt')).toContainText('Fejlet', { timeout: 1_000 }),
  );

  await page.goto('/admin/modules/scalepoint?sendt=fejlet');
  const table = outbox(page).getByRole('table', { name: 'Sendt til Scalepoint' });
  const row = table.getByRole('row').filter({ hasText: caseNumber });
  await expect(row).toContainText('Besigtigelse aftalt');
  await row.getByRole('button', { name: /Send igen/ }).click();
  await expect(row).toHaveCount(0);
  await eventually(page, async () => {
    await page.goto('/admin/modules/scalepoint?sendt=sendt');
    await expect(
      table.getByRole('row').filter({ hasText: caseNumber }).filter({ hasText: 'Besigtigelse' }),
    ).toHaveCount(1, { timeout: 1_000 });
  });
});

test('a case closed at Scalepoint sends nothing more: Sendes ikke til Scalepoint', async ({
  browser,
  request,
}) => {
  const page = await asUser(browser, admin);
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
  await page.goto(orderUrl);
  await eventually(page, () =>
    expect(page.getByText(/Sagen blev lukket hos Scalepoint/)).toBeVisible({ timeout: 1_000 }),
  );
  await record(page, 'Arbejde færdigt');
  await expect(sending(page, 'Arbejde færdigt')).toContainText('Sendes ikke til Scalepoint');
  await expect(sending(page, 'Arbejde færdigt')).toContainText('sagen er lukket hos Scalepoint');
});

test('a declined case restored with Gendan says Scalepoint has heard of the Afvis', async ({
  browser,
  request,
}) => {
  const declined = `OUT-${run}-AFV`;
  const page = await asUser(browser, admin);
  await publish(request, [newCase(declined)]);
  await arrived(page, declined);
  await page.getByRole('button', { name: 'Afvis', exact: true }).click();
  const reject = page.getByRole('dialog', { name: 'Afvis kladden' });
  await reject.getByLabel('Begrundelse').fill('Vi har ikke tid i denne uge');
  await reject.getByRole('button', { name: 'Afvis kladde' }).click();
  await expect(step(page, 'Afvist')).toBeVisible();
  await eventually(page, () =>
    expect(sending(page, 'Afvist')).toContainText('Sendt til Scalepoint', { timeout: 1_000 }),
  );
  await page.getByRole('button', { name: 'Gendan' }).click();
  await expect(step(page, 'Gendannet')).toBeVisible();
  await expect(step(page, 'Gendannet')).toContainText('Scalepoint har fået besked om afvisningen');
});
