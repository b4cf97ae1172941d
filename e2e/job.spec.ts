import { randomBytes } from 'node:crypto';
import { expect, test, type Locator, type Page } from '@playwright/test';
import postgres from 'postgres';
import { throwawayUrl } from '@/db/throwaway';
import { formatDateTime } from '@/lib/format';
import { JOB_ANSWER, TIME_ERROR } from '@/lib/orders/step-words';
import { accounts, signIn } from './support/fixtures';
import { E2E } from './support/settings';

// The job after Godkend (docs/drafts.md, "After Godkend: the job"): Forløb, the four milestone
// dialogs, Genåbn, and Ordrer's I gang and Afsluttede, at a desktop's and a phone's width.
// Drafts of our own (Demo VVS), an hour old (a case arrives before its job starts); their
// headings sort between the seeded ones, so no other spec's first row changes.
const sql = postgres(throwawayUrl(E2E.database), { max: 1, onnotice: () => {} });
test.afterAll(() => sql.end());

async function draft(heading: string): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    with c as (select id from companies where cvr = '12345678'),
         t as (select id, name from order_types where company_id = (select id from c) order by name limit 1),
         cu as (select id, name from customers where company_id = (select id from c) and name = 'Karen Sørensen' limit 1)
    insert into orders (company_id, status, order_type_id, order_type_name, heading, customer_id, customer_name, source, created_at)
    select c.id, 'draft', t.id, t.name, ${heading}, cu.id, cu.name, 'manual', now() - interval '1 hour'
    from c, t, cu
    returning id`;
  return row!.id;
}

const tag = () => randomBytes(3).toString('hex').toUpperCase();

/** A datetime-local value in Danish time, whatever the machine's zone. */
function danishLocal(d: Date): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Copenhagen',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

const forlob = (page: Page) => page.getByRole('region', { name: 'Forløb' });
const answer = (page: Page) => forlob(page).getByRole('status');
const step = (page: Page, label: string) =>
  forlob(page).getByRole('listitem').filter({ hasText: label });
const statusBadge = (page: Page, word: string) =>
  page.locator('.pagehead').getByText(word, { exact: true });
const milestoneLabels = [
  'Kunde kontaktet',
  'Besigtigelse aftalt',
  'Arbejde startet',
  'Arbejde færdigt',
];

async function approve(page: Page, id: string, heading: string, tap = false) {
  await page.goto(`/orders/${id}`);
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  await expect(forlob(page)).toBeVisible();
  await expect(forlob(page)).toContainText('Intet registreret endnu.');
  const godkend = page.getByRole('button', { name: 'Godkend', exact: true });
  if (tap) await godkend.tap();
  else await godkend.click();
  await expect(statusBadge(page, 'Ny')).toBeVisible();
  await expect(step(page, 'Godkendt')).toContainText('Anne Admin');
}

/** Opens a milestone's dialog and checks it is labelled by its button and has the two fields. */
async function openDialog(page: Page, label: string, tap = false): Promise<Locator> {
  const button = forlob(page).getByRole('button', { name: label, exact: true });
  if (tap) await button.tap();
  else await button.click();
  const dialog = page.getByRole('dialog', { name: label });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Tidspunkt')).toHaveAttribute('type', 'datetime-local');
  await expect(dialog.getByLabel('Bemærkning')).toBeVisible();
  return dialog;
}

/** The prefilled Tidspunkt is Danish now (the minute it opened, or the next). */
async function expectDanishNow(tidspunkt: Locator) {
  const value = await tidspunkt.inputValue();
  const now = Date.now();
  expect([danishLocal(new Date(now - 60_000)), danishLocal(new Date(now))]).toContain(value);
}

test('desktop: every milestone through its dialog, Genåbn, and Ordrer’s I gang and Afsluttede', async ({
  page,
}) => {
  const t = tag();
  const headings = {
    a: `Vandskade køkken JOB-${t} A`,
    b: `Vandskade køkken JOB-${t} B`,
    c: `Vandskade køkken JOB-${t} C`,
  };
  const ids = {
    a: await draft(headings.a),
    b: await draft(headings.b),
    c: await draft(headings.c),
  };
  await signIn(page, accounts.demoAdmin);

  // A draft shows Forløb too, without buttons.
  await page.goto(`/orders/${ids.a}`);
  await expect(forlob(page).getByRole('heading', { name: 'Forløb' })).toBeVisible();
  for (const label of milestoneLabels)
    await expect(forlob(page).getByRole('button', { name: label })).toHaveCount(0);

  // An Afvist case: Forløb has the step with its Begrundelse, and no buttons; Gendan adds Gendannet.
  const rejected = await draft(`Vandskade køkken JOB-${t} afvist`);
  await page.goto(`/orders/${rejected}`);
  await page.getByRole('button', { name: 'Afvis', exact: true }).click();
  const reject = page.getByRole('dialog', { name: 'Afvis kladden' });
  await reject.getByLabel('Begrundelse').fill('Kunden har selv ringet til en anden');
  await reject.getByRole('button', { name: 'Afvis kladde' }).click();
  await expect(statusBadge(page, 'Afvist')).toBeVisible();
  await expect(step(page, 'Afvist')).toContainText('Anne Admin');
  await expect(step(page, 'Afvist').getByRole('term')).toHaveText('Begrundelse');
  await expect(step(page, 'Afvist').getByRole('definition')).toHaveText(
    'Kunden har selv ringet til en anden',
  );
  for (const label of milestoneLabels)
    await expect(forlob(page).getByRole('button', { name: label })).toHaveCount(0);
  await page.getByRole('button', { name: 'Gendan' }).click();
  await expect(statusBadge(page, 'Kladde')).toBeVisible();
  await expect(step(page, 'Gendannet')).toContainText('Anne Admin');

  await approve(page, ids.a, headings.a);
  for (const label of milestoneLabels)
    await expect(forlob(page).getByRole('button', { name: label, exact: true })).toBeVisible();

  // Kunde kontaktet: Tidspunkt filled in with now; Escape closes without recording.
  let dialog = await openDialog(page, 'Kunde kontaktet');
  await expectDanishNow(dialog.getByLabel('Tidspunkt'));
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(step(page, 'Kunde kontaktet')).toHaveCount(0);
  dialog = await openDialog(page, 'Kunde kontaktet');
  await dialog.getByLabel('Bemærkning').fill('Ringet op, aftalt besøg');
  // A double click records one.
  await dialog.getByRole('button', { name: 'Gem' }).dblclick();
  await expect(dialog).toBeHidden();
  await expect(answer(page)).toHaveText(JOB_ANSWER.recorded('customer_contacted'));
  await expect(step(page, 'Kunde kontaktet')).toHaveCount(1);
  await expect(step(page, 'Kunde kontaktet')).toContainText('Anne Admin');
  await expect(step(page, 'Kunde kontaktet').getByRole('term')).toHaveText('Bemærkning');
  await expect(step(page, 'Kunde kontaktet').getByRole('definition')).toHaveText(
    'Ringet op, aftalt besøg',
  );
  await expect(forlob(page).getByRole('button', { name: 'Kunde kontaktet' })).toHaveCount(0);
  await expect(statusBadge(page, 'Ny')).toBeVisible();

  // Besigtigelse aftalt: empty and required; the appointment may lie ahead, and can be moved.
  dialog = await openDialog(page, 'Besigtigelse aftalt');
  await expect(dialog.getByLabel('Tidspunkt')).toHaveValue('');
  await dialog.getByRole('button', { name: 'Gem' }).click();
  await expect(dialog.getByText(TIME_ERROR.missing)).toBeVisible();
  await expect(dialog.getByLabel('Tidspunkt')).toHaveAttribute('aria-invalid', 'true');
  const tomorrow = new Date(Date.now() + 24 * 3600_000);
  const appointment = `${danishLocal(tomorrow).slice(0, 10)}T10:00`;
  await dialog.getByLabel('Tidspunkt').fill(appointment);
  await dialog.getByRole('button', { name: 'Gem' }).click();
  await expect(dialog).toBeHidden();
  // 10:00 Danish time tomorrow, as the server formats it.
  await expect(step(page, 'Besigtigelse aftalt')).toContainText(
    formatDateTime(new Date(danishWallToUtc(appointment))),
  );
  await expect(step(page, 'Besigtigelse aftalt')).toContainText('Anne Admin');
  await expect(
    forlob(page).getByRole('button', { name: 'Besigtigelse aftalt', exact: true }),
  ).toBeVisible();

  // Arbejde startet: a Tidspunkt too far ahead is refused at the field, in Danish.
  dialog = await openDialog(page, 'Arbejde startet');
  await expectDanishNow(dialog.getByLabel('Tidspunkt'));
  await dialog.getByLabel('Tidspunkt').fill(danishLocal(new Date(Date.now() + 3600_000)));
  await dialog.getByRole('button', { name: 'Gem' }).click();
  await expect(dialog.getByText(TIME_ERROR.tooFarAhead)).toBeVisible();
  await expect(step(page, 'Arbejde startet')).toHaveCount(0);
  await dialog.getByLabel('Tidspunkt').fill(danishLocal(new Date()));
  await dialog.getByRole('button', { name: 'Gem' }).click();
  await expect(dialog).toBeHidden();
  await expect(statusBadge(page, 'I gang')).toBeVisible();
  await expect(step(page, 'Arbejde startet')).toContainText('Anne Admin');
  await expect(forlob(page).getByRole('button', { name: 'Arbejde startet' })).toHaveCount(0);

  // Arbejde færdigt: Afsluttet, and the buttons end; the admin has Genåbn.
  dialog = await openDialog(page, 'Arbejde færdigt');
  await dialog.getByRole('button', { name: 'Gem' }).click();
  await expect(dialog).toBeHidden();
  await expect(statusBadge(page, 'Afsluttet')).toBeVisible();
  await expect(step(page, 'Arbejde færdigt')).toContainText('Anne Admin');
  for (const label of milestoneLabels)
    await expect(forlob(page).getByRole('button', { name: label })).toHaveCount(0);
  // Forløb in order: Godkendt, Kunde kontaktet, Besigtigelse aftalt, Arbejde startet, Arbejde færdigt.
  await expect(forlob(page).getByRole('listitem').locator('strong')).toHaveText([
    'Godkendt',
    'Kunde kontaktet',
    'Besigtigelse aftalt',
    'Arbejde startet',
    'Arbejde færdigt',
  ]);
  await forlob(page).getByRole('button', { name: 'Genåbn' }).click();
  await expect(answer(page)).toHaveText(JOB_ANSWER.reopened);
  await expect(statusBadge(page, 'I gang')).toBeVisible();
  await expect(step(page, 'Genåbnet')).toContainText('Anne Admin');
  await expect(
    forlob(page).getByRole('button', { name: 'Arbejde færdigt', exact: true }),
  ).toBeVisible();

  // B stays Ny; C goes straight to Afsluttet (the other milestones may be skipped).
  await approve(page, ids.b, headings.b);
  await approve(page, ids.c, headings.c);
  dialog = await openDialog(page, 'Arbejde færdigt');
  await dialog.getByRole('button', { name: 'Gem' }).click();
  await expect(statusBadge(page, 'Afsluttet')).toBeVisible();

  // A member records milestones too, but has no Genåbn.
  const member = await (await page.context().browser()!.newContext()).newPage();
  await signIn(member, accounts.demoMember);
  await member.goto(`/orders/${ids.c}`);
  await expect(statusBadge(member, 'Afsluttet')).toBeVisible();
  await expect(forlob(member).getByRole('button', { name: 'Genåbn' })).toHaveCount(0);
  await member.goto(`/orders/${ids.b}`);
  dialog = await openDialog(member, 'Kunde kontaktet');
  await dialog.getByRole('button', { name: 'Gem' }).click();
  await expect(step(member, 'Kunde kontaktet')).toContainText('Martin Montør');
  await member.context().close();

  // Ordrer: the Status column's words, the filters, and Status sorted in the job's order.
  await page.goto(`/orders?q=JOB-${t}`);
  const rowOf = (h: string) => page.getByRole('row', { name: new RegExp(h) });
  await expect(page.getByRole('row')).toHaveCount(4);
  await expect(rowOf(headings.a)).toContainText('I gang');
  await expect(rowOf(headings.b)).toContainText('Ny');
  await expect(rowOf(headings.c)).toContainText('Afsluttet');

  const filters = page.getByRole('navigation', { name: 'Filter' });
  await filters.getByRole('link', { name: 'I gang' }).click();
  await expect(page).toHaveURL(/status=in_progress/);
  await expect(filters.getByRole('link', { name: 'I gang' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await page.getByRole('searchbox', { name: 'Søg' }).fill(`JOB-${t}`);
  await page.getByRole('button', { name: 'Søg' }).click();
  await expect(page).toHaveURL(new RegExp(`q=JOB-${t}`));
  await expect(page).toHaveURL(/status=in_progress/);
  await expect(page.getByRole('row')).toHaveCount(2);
  await expect(rowOf(headings.a)).toBeVisible();
  // Without a search the filter still holds only I gang.
  await page.goto('/orders?status=in_progress');
  for (const cell of await page.getByRole('row').locator('td:nth-child(6)').allInnerTexts())
    expect(cell).toBe('I gang');

  await filters.getByRole('link', { name: 'Afsluttede' }).click();
  await expect(page).toHaveURL(/status=closed/);
  await expect(filters.getByRole('link', { name: 'Afsluttede' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await page.getByRole('searchbox', { name: 'Søg' }).fill(`JOB-${t}`);
  await page.getByRole('button', { name: 'Søg' }).click();
  await expect(page).toHaveURL(new RegExp(`q=JOB-${t}`));
  await expect(page.getByRole('row')).toHaveCount(2);
  await expect(rowOf(headings.c)).toBeVisible();
  // Sorting keeps the filter.
  await page.getByRole('columnheader', { name: 'Ordreoverskrift' }).getByRole('link').click();
  await expect(page).toHaveURL(/sort=heading/);
  await expect(page).toHaveURL(/status=closed/);
  await page.goto('/orders?status=closed');
  for (const cell of await page.getByRole('row').locator('td:nth-child(6)').allInnerTexts())
    expect(cell).toBe('Afsluttet');

  await filters.getByRole('link', { name: 'Alle' }).click();
  await expect(page).toHaveURL(/\/orders$/);
  await expect(filters.getByRole('link', { name: 'Alle' })).toHaveAttribute('aria-current', 'page');
  await page.getByRole('searchbox', { name: 'Søg' }).fill(`JOB-${t}`);
  await page.getByRole('button', { name: 'Søg' }).click();
  await expect(page).toHaveURL(new RegExp(`q=JOB-${t}`));
  await page.getByRole('columnheader', { name: 'Status' }).getByRole('link').click();
  await expect(page).toHaveURL(/sort=status&dir=asc/);
  const statuses = page.getByRole('row').locator('td:nth-child(6)');
  await expect(statuses).toHaveText(['Ny', 'I gang', 'Afsluttet']);
  await page.getByRole('columnheader', { name: 'Status' }).getByRole('link').click();
  await expect(page).toHaveURL(/sort=status&dir=desc/);
  await expect(statuses).toHaveText(['Afsluttet', 'I gang', 'Ny']);
  // Without a search too (the list query, not the search function): Ny before I gang before Afsluttet.
  await page.goto('/orders?sort=status&dir=asc');
  const all = await page.getByRole('row').locator('td:nth-child(6)').allInnerTexts();
  const rank = { Ny: 1, 'I gang': 2, Afsluttet: 3 } as Record<string, number>;
  expect(all.map((s) => rank[s])).toEqual([...all.map((s) => rank[s])].sort());
});

/** The UTC instant of a Danish wall time (datetime-local), as an ISO string. */
function danishWallToUtc(local: string): string {
  // Guess UTC, then correct by the offset Copenhagen has at that instant (twice, across a change).
  let guess = Date.parse(`${local}:00Z`);
  for (let i = 0; i < 2; i++) {
    const seen = Date.parse(`${danishLocal(new Date(guess))}:00Z`);
    guess -= seen - Date.parse(`${local}:00Z`);
  }
  return new Date(guess).toISOString();
}

test.describe('on a phone, touch on', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  const noSidewaysScroll = async (page: Page) => {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
  };
  const insideScreen = async (page: Page, dialog: Locator) => {
    const box = (await dialog.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(box.y + box.height).toBeLessThanOrEqual(844);
  };

  test('in the customer’s kitchen: tap each milestone, the dialog fits, I gang, Afsluttet, Genåbn', async ({
    page,
  }) => {
    const heading = `Vandskade køkken JOB-${tag()} mobil`;
    const id = await draft(heading);
    await signIn(page, accounts.demoAdmin);
    await approve(page, id, heading, true);
    await noSidewaysScroll(page);
    for (const label of milestoneLabels) {
      const box = (await forlob(page)
        .getByRole('button', { name: label, exact: true })
        .boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(44);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }

    let dialog = await openDialog(page, 'Kunde kontaktet', true);
    await insideScreen(page, dialog);
    await dialog.getByRole('button', { name: 'Gem' }).tap();
    await expect(dialog).toBeHidden();
    await expect(step(page, 'Kunde kontaktet')).toContainText('Anne Admin');

    dialog = await openDialog(page, 'Besigtigelse aftalt', true);
    await insideScreen(page, dialog);
    await dialog.getByLabel('Tidspunkt').fill(danishLocal(new Date(Date.now() + 2 * 3600_000)));
    await dialog.getByRole('button', { name: 'Gem' }).tap();
    await expect(dialog).toBeHidden();
    await expect(step(page, 'Besigtigelse aftalt')).toBeVisible();

    // The one who presses Arbejde startet stands in the kitchen.
    dialog = await openDialog(page, 'Arbejde startet', true);
    await insideScreen(page, dialog);
    await noSidewaysScroll(page);
    await expectDanishNow(dialog.getByLabel('Tidspunkt'));
    const gem = dialog.getByRole('button', { name: 'Gem' });
    expect((await gem.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await gem.tap();
    await expect(dialog).toBeHidden();
    await expect(statusBadge(page, 'I gang')).toBeVisible();
    await expect(step(page, 'Arbejde startet')).toContainText('Anne Admin');
    await noSidewaysScroll(page);

    dialog = await openDialog(page, 'Arbejde færdigt', true);
    await insideScreen(page, dialog);
    await dialog.getByLabel('Bemærkning').fill('Nyt blandingsbatteri monteret');
    await dialog.getByRole('button', { name: 'Gem' }).tap();
    await expect(dialog).toBeHidden();
    await expect(statusBadge(page, 'Afsluttet')).toBeVisible();
    for (const label of milestoneLabels)
      await expect(forlob(page).getByRole('button', { name: label })).toHaveCount(0);
    await noSidewaysScroll(page);

    const reopen = forlob(page).getByRole('button', { name: 'Genåbn' });
    expect((await reopen.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await reopen.tap();
    await expect(statusBadge(page, 'I gang')).toBeVisible();
    await noSidewaysScroll(page);
  });
});

test.describe('a browser in another time zone', () => {
  test.use({ timezoneId: 'America/New_York' });

  test('Tidspunkt is filled in and read as Danish time', async ({ page }) => {
    const heading = `Vandskade køkken JOB-${tag()} zone`;
    const id = await draft(heading);
    await signIn(page, accounts.demoAdmin);
    await approve(page, id, heading);
    const dialog = await openDialog(page, 'Kunde kontaktet');
    await expectDanishNow(dialog.getByLabel('Tidspunkt'));
    const value = await dialog.getByLabel('Tidspunkt').inputValue();
    await dialog.getByRole('button', { name: 'Gem' }).click();
    await expect(dialog).toBeHidden();
    await expect(step(page, 'Kunde kontaktet')).toContainText(
      formatDateTime(new Date(danishWallToUtc(value))),
    );
  });
});
