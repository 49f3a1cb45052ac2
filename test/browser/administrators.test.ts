import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { startLink } from '../../src/services/linking';
import { asCli } from '../helpers/actor';
import { Authenticator } from '../helpers/authenticator';
import { checkPage, openConsoleBrowser, type ConsoleBrowser } from '../helpers/console-browser';
import { startWorld, type LinkedWorld } from '../helpers/linked';
import { ADMIN_PASSWORD, givenAdminPassword } from '../helpers/web';

interface Context {
  world: LinkedWorld;
  browser: ConsoleBrowser;
}

const browser = suite<Context>('browser.administrators');
const CAFE = DEMO_ORGANISATIONS[0]!;

browser.before(async (context) => {
  // Two-step sign-in as shipped: required.
  context.world = await startWorld('private', { organisationId: CAFE.id, publicUrlIsSelf: true, env: { XERO_PROXY_ADMIN_REQUIRE_MFA: 'true' } });
  const { deps } = context.world.proxy.running.proxy;
  assert.is((await startLink(asCli(deps), {})).kind, 'linked');
  await givenAdminPassword(deps);
  context.browser = await openConsoleBrowser(context.world.proxy.url);
});
browser.after(async ({ browser: opened, world }) => {
  await opened?.close();
  await world?.stop();
});

async function password(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('Administrator name').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState();
}

async function code(page: Page, typed: string): Promise<void> {
  await page.getByLabel('Code', { exact: true }).fill(typed);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForLoadState();
}

browser('an administrator sets up two-step sign-in from the key under the QR code, signs in with a code, uses a recovery code once, and wrong codes are refused and limited', async ({ world, browser: { page, violations } }) => {
  const base = world.proxy.url;
  await password(page, base);
  assert.is(new URL(page.url()).pathname, '/login/enrol', 'setting it up comes before any page');
  assert.is(await page.getByRole('heading', { level: 1 }).innerText(), 'Set up two-step sign-in');
  assert.ok(await page.getByRole('img', { name: 'QR code for Xero Comms Proxy, admin' }).isVisible());
  await checkPage(page, 'two-step-enrol');
  const phone = new Authenticator(await page.locator('#totp-secret').innerText());

  await page.getByLabel('Code from the app').fill(phone.codeAt(world.clock.now()));
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await page.waitForLoadState();
  assert.is(await page.getByRole('heading', { level: 1 }).innerText(), 'Your recovery codes');
  const recoveryCodes = await page.locator('#recovery-codes li').allInnerTexts();
  assert.is(recoveryCodes.length, 10);
  await checkPage(page, 'two-step-recovery-codes');
  await page.getByRole('link', { name: 'I have kept them: continue' }).click();
  await page.waitForLoadState();
  assert.is(new URL(page.url()).pathname, '/');
  assert.match(await page.locator('header').innerText(), 'Signed in as admin');
  await signOut(page);

  // The password, then the code the phone shows half a minute later.
  await world.advance(30);
  await password(page, base);
  assert.is(await page.getByRole('heading', { level: 1 }).innerText(), 'Enter your code');
  await checkPage(page, 'two-step-code');
  await code(page, phone.codeAt(world.clock.now()));
  assert.is(new URL(page.url()).pathname, '/');
  await signOut(page);

  // The phone is lost: a recovery code signs in, and the settings page says how many are left.
  await password(page, base);
  await code(page, recoveryCodes[0]!);
  assert.is(new URL(page.url()).pathname, '/settings');
  assert.match(await page.locator('#two-step').innerText(), 'You signed in with a recovery code; it will not work again. 9 codes are left.');
  assert.match(await page.locator('#two-step').innerText(), '9 of 10 recovery codes left.');
  await checkPage(page, 'two-step-settings');
  await signOut(page);

  // The same recovery code again, then wrong codes: refused, counted, then paused even for the right one.
  await password(page, base);
  await code(page, recoveryCodes[0]!);
  assert.match(await page.getByRole('alert').innerText(), 'That code is not right: it is not the code of now, nor an unused recovery code. 3 more tries in the next 15 minutes.');
  await code(page, '123456');
  await code(page, '654321');
  assert.match(await page.getByRole('alert').innerText(), '1 more try in the next 15 minutes.');
  await code(page, '111111');
  assert.match(await page.getByRole('alert').innerText(), 'This was the last try for now: wait 15 minutes before the next.');
  await world.advance(30);
  await code(page, phone.codeAt(world.clock.now()));
  assert.is(await page.getByRole('heading', { level: 1 }).innerText(), 'Too many sign-in attempts');
  assert.match(await page.getByRole('alert').innerText(), 'There were too many sign-in attempts from this computer. Wait 15 minutes, then try again.');

  await world.advance(15 * 60);
  await password(page, base);
  await code(page, phone.codeAt(world.clock.now()));
  assert.is(new URL(page.url()).pathname, '/');
  assert.equal(violations, []);
});

browser('the audit log shows those sign-ins and a mapping changed on the pages, by name', async ({ world, browser: { page, violations } }) => {
  const base = world.proxy.url;
  // The mappings page reads the organisation's lists through the pacer, whose clock moves only when told.
  const ticking = setInterval(() => void world.advance(1), 100);
  try {
    await page.goto(`${base}/mappings`);
    const form = page.locator('#add-category');
    await form.getByLabel('Name of the sales category, as the app sends it').fill('Gelato');
    await form.getByLabel('Account').selectOption({ label: '200 Sales' });
    await form.getByLabel('Tax rate').selectOption('OUTPUT');
    await form.getByRole('button', { name: 'Add sales category' }).click();
    await page.waitForLoadState();
    assert.match(await page.getByRole('status').first().innerText(), 'Saved the mapping for sales category "Gelato"; Xero accepts it.');
  } finally {
    clearInterval(ticking);
  }

  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'Audit log' }).first().click();
  await page.waitForLoadState();
  assert.is(await page.getByRole('heading', { level: 1 }).innerText(), 'Audit log');
  const rows = await page.locator('table tbody tr').allInnerTexts();
  const newest = rows[0]!;
  assert.match(newest, 'admin:admin');
  assert.match(newest, `Saved a mapping: ${CAFE.name}`);
  assert.match(newest, 'kind: category');
  assert.match(newest, 'name: Gelato');
  assert.match(newest, 'target: (none) → accountCode 200, taxType OUTPUT');
  const all = rows.join('\n');
  for (const words of ['Set up two-step sign-in', 'Signed in with a recovery code', 'Failed to sign in', 'method: recovery code', 'method: authenticator code', 'step: code', 'codesLeft: 9', 'Signed out']) {
    assert.match(all, words);
  }
  await checkPage(page, 'audit-log');

  // Filtered to failed sign-ins: the four codes refused (the recovery code used before, three wrong ones).
  await page.getByLabel('What').selectOption({ label: 'Failed to sign in' });
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForLoadState();
  assert.match(page.url(), /action=admin\.sign_in_failed/);
  const failed = await page.locator('table tbody tr').allInnerTexts();
  assert.is(failed.length, 4);
  for (const row of failed) assert.match(row, /admin:admin\s+127\.0\.0\.1/);
  assert.equal(violations, []);
});

browser.run();
