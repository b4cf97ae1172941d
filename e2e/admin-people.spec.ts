import { randomBytes, randomInt } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import postgres from 'postgres';
import { throwawayUrl } from '@/db/throwaway';
import { hashPassword } from '@/lib/auth/password';
import { accounts, signIn } from './support/fixtures';
import { resendStandIn } from './support/scalepoint';
import { E2E } from './support/settings';

// The admin's pages (docs/people.md): Administration, Brugere, a user's page, Ordretyper, Firmaoplysninger.
// Everything that changes something happens in a company of this spec's own (made in the database
// below, with its own admin), so Demo VVS, Nord Byg and Syd Tag stay as the other specs expect them.
// The demo admin is used only where nothing changes: the four sections, and being the last admin.
test.describe.configure({ mode: 'serial' });

const sql = postgres(throwawayUrl(E2E.database), { max: 1, onnotice: () => {} });
const suffix = randomBytes(3).toString('hex');
const own = {
  name: `E2E Admin ${suffix} ApS`,
  cvr: String(randomInt(10_000_000, 99_999_999)),
  admin: {
    email: `eva-${suffix}@e2e-admin.test`,
    password: `e2e-admin-${suffix}`,
    name: `Eva Admin ${suffix}`,
  },
  companyId: '',
  serviceTypeId: '',
};

test.beforeAll(async () => {
  const hash = await hashPassword(own.admin.password);
  await sql.begin(async (tx) => {
    const [company] = await tx<
      { id: string }[]
    >`insert into companies (name, cvr) values (${own.name}, ${own.cvr}) returning id`;
    own.companyId = company!.id;
    const [service] = await tx<
      { id: string }[]
    >`insert into order_types (company_id, name) values (${own.companyId}, 'Service'), (${own.companyId}, 'Skadeservice') returning id`;
    own.serviceTypeId = service!.id;
    await tx`insert into scalepoint_settings (company_id) values (${own.companyId})`;
    await tx`insert into users (email, name, role, company_id, password_hash) values (${own.admin.email}, ${own.admin.name}, 'admin', ${own.companyId}, ${hash})`;
  });
});
test.afterAll(() => sql.end());

const main = (page: Page) => page.getByRole('main');

async function mailsTo(email: string) {
  return (await resendStandIn.mails()).filter((m) => [m.body.to].flat().includes(email));
}

async function noHorizontalScroll(page: Page) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, `page ${page.url()} scrolls sideways`).toBeLessThanOrEqual(clientWidth);
}

test('/admin lists Firmaoplysninger, Brugere, Ordretyper and Tilvalgsmoduler', async ({ page }) => {
  await signIn(page, accounts.demoAdmin);
  await page.getByRole('link', { name: 'Indstillinger' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Administration' })).toBeVisible();
  for (const [heading, link, href] of [
    ['Firmaoplysninger', 'Firmaoplysninger', '/admin/company'],
    ['Brugere', 'Brugere', '/admin/users'],
    ['Ordretyper', 'Ordretyper', '/admin/order-types'],
    ['Tilvalgsmoduler', 'Scalepoint', '/admin/modules/scalepoint'],
  ] as const) {
    const section = main(page).getByRole('region', { name: heading });
    await expect(section.getByRole('heading', { level: 2, name: heading })).toBeVisible();
    await expect(section.getByRole('link', { name: link, exact: true })).toHaveAttribute(
      'href',
      href,
    );
  }
  await main(page).getByRole('link', { name: 'Brugere', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Brugere' })).toBeVisible();
});

test('invite a member with the keyboard: the mail arrives, Inviteret; Send invitation igen, Rolle, Deaktiver, Genaktiver', async ({
  page,
}) => {
  const email = `ny-${randomBytes(4).toString('hex')}@e2e-admin.test`;
  const name = `Nina Ny ${suffix}`;
  await signIn(page, own.admin);
  await page.goto('/admin/users');
  const table = page.getByRole('table', { name: 'Brugere' });
  await expect(table.getByRole('columnheader')).toHaveText(['Navn', 'E-mail', 'Rolle', 'Status']);
  await expect(table.getByRole('row', { name: own.admin.name })).toContainText('Administrator');

  const form = page.getByRole('form', { name: 'Inviter bruger' });
  // The browser checks the fields first, at each field.
  await form.getByRole('button', { name: 'Send invitation' }).click();
  await expect(form.getByText('Skriv navnet.')).toBeVisible();
  await expect(form.getByText('Skriv en e-mail.')).toBeVisible();

  await form.getByLabel('Navn').focus();
  await page.keyboard.type(name);
  await page.keyboard.press('Tab');
  await page.keyboard.type(`  ${email.toUpperCase()} `);
  await page.keyboard.press('Tab');
  await expect(form.getByLabel('Rolle')).toBeFocused();
  await expect(form.getByLabel('Rolle')).toHaveValue('member');
  await page.keyboard.press('Tab');
  await expect(form.getByRole('button', { name: 'Send invitation' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(form.getByRole('status')).toContainText(`Invitationen er sendt til ${email}`);
  await expect(form.getByLabel('Navn')).toHaveValue('');

  const row = table.getByRole('row', { name: name });
  await expect(row).toContainText(email);
  await expect(row).toContainText('Medarbejder');
  await expect(row).toContainText('Inviteret');

  await expect.poll(async () => (await mailsTo(email)).length).toBe(1);
  const [mail] = await mailsTo(email);
  expect(mail!.body.subject).toContain('Invitation til Kladde');
  expect(mail!.body.subject).toContain(own.name);
  const firstLink = /\/invitation\/[A-Za-z0-9_-]+/.exec(mail!.body.text)?.[0];
  expect(firstLink).toBeTruthy();

  // The same e-mail again, in another case: refused at the field.
  await form.getByLabel('Navn').fill('Kopi');
  await form.getByLabel('E-mail').fill(email.toUpperCase());
  await form.getByRole('button', { name: 'Send invitation' }).click();
  await expect(form.getByText('E-mailen er allerede i brug')).toBeVisible();

  await row.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(main(page)).toContainText(email);
  await expect(main(page).locator('.fieldlist')).toContainText('Inviteret');

  await page.getByRole('button', { name: 'Send invitation igen' }).click();
  await expect(page.getByRole('form', { name: 'Ny invitation' }).getByRole('status')).toContainText(
    'Invitationen er sendt',
  );
  await expect.poll(async () => (await mailsTo(email)).length).toBe(2);
  const secondLink = /\/invitation\/[A-Za-z0-9_-]+/.exec((await mailsTo(email))[1]!.body.text)?.[0];
  expect(secondLink).not.toBe(firstLink);

  const roleForm = page.getByRole('form', { name: 'Brugerens rettigheder' });
  await roleForm.getByLabel('Rolle').selectOption({ label: 'Administrator' });
  await roleForm.getByRole('button', { name: 'Gem' }).click();
  await expect(roleForm.getByRole('status')).toContainText('Gemt');
  await page.reload();
  await expect(
    page.getByRole('form', { name: 'Brugerens rettigheder' }).getByLabel('Rolle'),
  ).toHaveValue('admin');
  await page
    .getByRole('form', { name: 'Brugerens rettigheder' })
    .getByLabel('Rolle')
    .selectOption({ label: 'Medarbejder' });
  await page
    .getByRole('form', { name: 'Brugerens rettigheder' })
    .getByRole('button', { name: 'Gem' })
    .click();
  await expect(
    page.getByRole('form', { name: 'Brugerens rettigheder' }).getByRole('status'),
  ).toContainText('medarbejder');

  const access = page.getByRole('form', { name: 'Brugerens adgang' });
  await access.getByRole('button', { name: 'Deaktiver' }).click();
  await expect(access.getByRole('status')).toContainText('deaktiveret');
  await expect(main(page).locator('.fieldlist')).toContainText('Deaktiveret');
  await expect(page.getByRole('button', { name: 'Send invitation igen' })).toHaveCount(0);
  await access.getByRole('button', { name: 'Genaktiver' }).click();
  await expect(access.getByRole('status')).toContainText('inviteret igen');
  await expect(main(page).locator('.fieldlist')).toContainText('Inviteret');

  await page.getByRole('link', { name: 'Brugere' }).click();
  await expect(
    page.getByRole('table', { name: 'Brugere' }).getByRole('row', { name }),
  ).toContainText('Inviteret');
  // The Ændringslog names who did what.
  const log = page.getByRole('region', { name: 'Ændringslog' });
  await expect(log.getByRole('row', { name: /Bruger inviteret/ }).first()).toContainText(
    own.admin.name,
  );
  await expect(log.getByRole('row', { name: /Rolle ændret/ }).first()).toContainText(
    'Administrator → Medarbejder',
  );
});

test('the only administrator of Demo VVS cannot demote itself: "sidste administrator"', async ({
  page,
}) => {
  await signIn(page, accounts.demoAdmin);
  await page.goto('/admin/users');
  const rows = page.getByRole('table', { name: 'Brugere' }).getByRole('row');
  const activeAdmins = rows.filter({ hasText: 'Administrator' }).filter({ hasText: 'Aktiv' });
  await expect(activeAdmins).toHaveCount(1);
  await expect(activeAdmins).toContainText('(dig)');
  await activeAdmins.getByRole('link').click();
  await expect(page.getByText('Det er dig.')).toBeVisible();
  const roleForm = page.getByRole('form', { name: 'Brugerens rettigheder' });
  await roleForm.getByLabel('Rolle').selectOption({ label: 'Medarbejder' });
  await roleForm.getByRole('button', { name: 'Gem' }).click();
  await expect(roleForm.getByRole('alert')).toContainText('sidste administrator');
  await page.reload();
  await expect(
    page.getByRole('form', { name: 'Brugerens rettigheder' }).getByLabel('Rolle'),
  ).toHaveValue('admin');
  await expect(page.getByRole('link', { name: 'Indstillinger' })).toBeVisible();
});

test('Ordretyper: Ny ordretype, Omdøb in a dialog with the keyboard (Enter, Escape), Deaktiver and Genaktiver', async ({
  page,
}) => {
  const typeName = `Tagrens ${suffix}`;
  const renamed = `Tag og tagrender ${suffix}`;
  // A draft of the type's own, to see the new name reach it.
  const [customer] = await sql<{ id: string }[]>`
    insert into customers (company_id, customer_number, name, name_key) values (${own.companyId}, '1', 'Ole Olsen', 'ole olsen') returning id`;
  await signIn(page, own.admin);
  await page.goto('/admin/order-types');
  await expect(page.getByRole('heading', { level: 1, name: 'Ordretyper' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Ordretyper' });
  await expect(table.getByRole('row', { name: /Skadeservice/ })).toContainText('Aktiv');

  const create = page.getByRole('form', { name: 'Ny ordretype' });
  await create.getByLabel('Navn').fill(typeName);
  await create.getByRole('button', { name: 'Opret' }).click();
  await expect(create.getByRole('status')).toContainText('er oprettet');
  await expect(create.getByLabel('Navn')).toHaveValue('');
  // The type's row, by its name as it is now.
  let current = typeName;
  const row = () => table.getByRole('row', { name: new RegExp(current) });
  await expect(row()).toContainText('Aktiv');
  // The same name in other letters: refused at the field.
  await create.getByLabel('Navn').fill(typeName.toUpperCase());
  await create.getByRole('button', { name: 'Opret' }).click();
  await expect(create.getByText('Der findes allerede en ordretype med det navn.')).toBeVisible();

  const [type] = await sql<
    { id: string }[]
  >`select id from order_types where company_id = ${own.companyId} and name = ${typeName}`;
  const heading = `Tagrensning ${suffix}`;
  await sql`insert into orders (company_id, order_type_id, order_type_name, heading, customer_id, customer_name)
    values (${own.companyId}, ${type!.id}, ${typeName}, ${heading}, ${customer!.id}, 'Ole Olsen')`;

  // Omdøb with the keyboard: Enter opens, the old name is selected, typing replaces it, Enter saves.
  const omdoeb = row().getByRole('button', { name: 'Omdøb' });
  await omdoeb.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Omdøb ordretype' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Omdøb til')).toBeFocused();
  await expect(dialog.getByLabel('Omdøb til')).toHaveValue(typeName);
  // Another type's name, in other letters: refused at the field, the dialog stays.
  await page.keyboard.type('skadeSERVICE');
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('alert')).toHaveText(
    'Der findes allerede en ordretype med det navn.',
  );
  await dialog.getByLabel('Omdøb til').fill(renamed);
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  current = renamed;
  await expect(main(page).getByRole('status').first()).toContainText(
    `Ordretypen hedder nu ${renamed}`,
  );
  await expect(row()).toBeVisible();
  await expect(table.getByRole('row', { name: new RegExp(`^${typeName}`) })).toHaveCount(0);
  await expect(row().getByRole('button', { name: 'Omdøb' })).toBeFocused();

  // Escape cancels: nothing changes, focus returns to Omdøb.
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await page.keyboard.type('Noget andet');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(row().getByRole('button', { name: 'Omdøb' })).toBeFocused();
  await page.reload();
  await expect(
    page.getByRole('table', { name: 'Ordretyper' }).getByRole('row', { name: new RegExp(renamed) }),
  ).toBeVisible();
  await expect(
    page.getByRole('table', { name: 'Ordretyper' }).getByRole('row', { name: /Noget andet/ }),
  ).toHaveCount(0);

  // The new name shows wherever the type shows.
  await page.goto('/orders/drafts');
  await expect(page.getByRole('row', { name: new RegExp(heading) })).toContainText(renamed);

  await page.goto('/admin/order-types');
  await row().getByRole('button', { name: 'Deaktiver' }).click();
  await expect(row()).toContainText('Deaktiveret');
  await expect(main(page).getByRole('status').first()).toContainText('er deaktiveret');
  await row().getByRole('button', { name: 'Genaktiver' }).click();
  await expect(row()).toContainText('Aktiv');
  await expect(row().getByRole('button', { name: 'Deaktiver' })).toBeVisible();
  await expect(
    page
      .getByRole('region', { name: 'Ændringslog' })
      .getByRole('row', { name: /Ordretype omdøbt/ }),
  ).toContainText(renamed);
});

test('the Scalepoint standard type cannot be deactivated while the module is on', async ({
  page,
}) => {
  await signIn(page, own.admin);
  await page.goto('/admin/modules/scalepoint');
  const settings = page.getByRole('form', { name: 'Scalepoint-indstillinger' });
  await settings.getByLabel('Slå modul til').check();
  await settings.getByLabel('Standard ordretype').selectOption({ label: 'Service' });
  await settings.getByRole('button', { name: 'Gem' }).click();
  await expect(settings.getByRole('status')).toContainText('Gemt');
  try {
    await page.goto('/admin/order-types');
    const service = page
      .getByRole('table', { name: 'Ordretyper' })
      .getByRole('row', { name: /^Service/ });
    await expect(service).toContainText('Scalepoint-standard');
    await service.getByRole('button', { name: 'Deaktiver' }).click();
    await expect(main(page).getByRole('status').first()).toContainText(
      'standard ordretype for Scalepoint',
    );
    await page.reload();
    await expect(
      page.getByRole('table', { name: 'Ordretyper' }).getByRole('row', { name: /^Service/ }),
    ).toContainText('Aktiv');
  } finally {
    // Module off again: the company does not wait for access in support's lists.
    await page.goto('/admin/modules/scalepoint');
    await page
      .getByRole('form', { name: 'Scalepoint-indstillinger' })
      .getByLabel('Slå modul til')
      .uncheck();
    await page
      .getByRole('form', { name: 'Scalepoint-indstillinger' })
      .getByRole('button', { name: 'Gem' })
      .click();
    await expect(
      page.getByRole('form', { name: 'Scalepoint-indstillinger' }).getByRole('status'),
    ).toContainText('Gemt');
  }
});

test('Firmaoplysninger: saves the details and says Gemt; the CVR is shown, not changed', async ({
  page,
}) => {
  await signIn(page, own.admin);
  await page.goto('/admin/company');
  await expect(page.getByRole('heading', { level: 1, name: 'Firmaoplysninger' })).toBeVisible();
  const form = page.getByRole('form', { name: 'Firmaoplysninger' });
  await expect(form.getByLabel('Firmanavn')).toHaveValue(own.name);
  await expect(form.getByLabel('CVR-nr.')).toHaveValue(own.cvr);
  await expect(form.getByLabel('CVR-nr.')).not.toBeEditable();

  await form.getByLabel('Postnr.').fill('80');
  await form.getByLabel('E-mail').fill('ikke en mail');
  await form.getByRole('button', { name: 'Gem' }).click();
  await expect(form.getByText('Postnummeret skal være 4 cifre.')).toBeVisible();
  await expect(form.getByText('Skriv en gyldig e-mailadresse.')).toBeVisible();

  const details = {
    Vejnavn: 'Havnegade',
    'Husnr.': '12B',
    'Postnr.': '8000',
    By: 'Aarhus C',
    Telefon: '86 00 00 00',
    'E-mail': `kontor-${suffix}@e2e-admin.test`,
  };
  for (const [label, value] of Object.entries(details))
    await form.getByLabel(label, { exact: true }).fill(value);
  await form.getByRole('button', { name: 'Gem' }).click();
  await expect(form.getByRole('status')).toContainText('Gemt');
  await page.reload();
  for (const [label, value] of Object.entries(details))
    await expect(
      page.getByRole('form', { name: 'Firmaoplysninger' }).getByLabel(label, { exact: true }),
    ).toHaveValue(value);
  await expect(
    page
      .getByRole('region', { name: 'Ændringslog' })
      .getByRole('row', { name: /Firmaoplysninger gemt/ })
      .first(),
  ).toContainText('vejnavn');
});

test('a member gets 404 on every /admin page; another company’s user and a malformed id are 404', async ({
  page,
  browser,
}) => {
  await signIn(page, accounts.demoMember);
  const [demoAdmin] = await sql<
    { id: string }[]
  >`select id from users where email = ${accounts.demoAdmin.email}`;
  for (const path of [
    '/admin',
    '/admin/users',
    `/admin/users/${demoAdmin!.id}`,
    '/admin/order-types',
    '/admin/company',
  ]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(404);
    await expect(page.getByRole('heading', { name: 'Brugere' })).toHaveCount(0);
  }
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, own.admin);
  for (const path of [
    `/admin/users/${demoAdmin!.id}`,
    '/admin/users/not-a-uuid',
    '/admin/users/00000000-0000-0000-0000-000000000000',
  ]) {
    const res = await admin.goto(path);
    expect(res?.status(), path).toBe(404);
  }
  await admin.context().close();
});

test.describe('before hydration (no JavaScript)', () => {
  test.use({ javaScriptEnabled: false });

  test('Inviter bruger and Firmaoplysninger post themselves; a refusal keeps what was typed', async ({
    page,
  }) => {
    await signIn(page, own.admin);
    await page.goto('/admin/users');
    const form = page.getByRole('form', { name: 'Inviter bruger' });
    await form.getByLabel('Navn').fill('Uden Script');
    await form.getByLabel('E-mail').fill(own.admin.email.toUpperCase());
    await form.getByRole('button', { name: 'Send invitation' }).click();
    await expect(form.getByRole('alert')).toHaveText('E-mailen er allerede i brug.');
    await expect(form.getByLabel('Navn')).toHaveValue('Uden Script');
    const email = `uden-${randomBytes(4).toString('hex')}@e2e-admin.test`;
    await form.getByLabel('E-mail').fill(email);
    await form.getByRole('button', { name: 'Send invitation' }).click();
    await expect(form.getByRole('status')).toContainText(`Invitationen er sendt til ${email}`);
    await expect(
      page.getByRole('table', { name: 'Brugere' }).getByRole('row', { name: /Uden Script/ }),
    ).toContainText('Inviteret');

    await page.goto('/admin/company');
    const details = page.getByRole('form', { name: 'Firmaoplysninger' });
    await details.getByLabel('By').fill('Vejle');
    await details.getByLabel('Postnr.').fill('71');
    await details.getByRole('button', { name: 'Gem' }).click();
    await expect(details.getByRole('alert')).toHaveText('Postnummeret skal være 4 cifre.');
    await expect(details.getByLabel('By')).toHaveValue('Vejle');
    await details.getByLabel('Postnr.').fill('7100');
    await details.getByRole('button', { name: 'Gem' }).click();
    await expect(details.getByRole('status')).toContainText('Gemt');
    await expect(details.getByLabel('Postnr.')).toHaveValue('7100');
  });
});

test('at a phone’s width (390 px) the invite form fits and works; no admin page scrolls sideways', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, own.admin);
  await page.goto('/admin/users');
  const form = page.getByRole('form', { name: 'Inviter bruger' });
  await form.scrollIntoViewIfNeeded();
  const box = await form.boundingBox();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  await noHorizontalScroll(page);
  const email = `mobil-${randomBytes(4).toString('hex')}@e2e-admin.test`;
  await form.getByLabel('Navn').fill('Mads Mobil');
  await form.getByLabel('E-mail').fill(email);
  await form.getByLabel('Rolle').selectOption({ label: 'Administrator' });
  await form.getByRole('button', { name: 'Send invitation' }).click();
  await expect(form.getByRole('status')).toContainText(`Invitationen er sendt til ${email}`);
  await noHorizontalScroll(page);
  for (const path of ['/admin', '/admin/order-types', '/admin/company']) {
    await page.goto(path);
    await noHorizontalScroll(page);
  }
  await page.goto('/admin/users');
  await page.getByRole('link', { name: 'Mads Mobil' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mads Mobil' })).toBeVisible();
  await noHorizontalScroll(page);
});
