import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { startLink } from '../../src/services/linking';
import { checkPage, openConsoleBrowser, signIn, type ConsoleBrowser } from '../helpers/console-browser';
import { startWorld, type LinkedWorld } from '../helpers/linked';
import { givenAdminPassword } from '../helpers/web';
import { asCli } from '../helpers/actor';

const CAFE = DEMO_ORGANISATIONS[0]!;

interface Context {
  world: LinkedWorld;
  browser: ConsoleBrowser;
}

const browser = suite<Context>('browser.devices');

browser.before(async (context) => {
  context.world = await startWorld('private', { organisationId: CAFE.id, publicUrlIsSelf: true });
  const { deps } = context.world.proxy.running.proxy;
  assert.is((await startLink(asCli(deps), {})).kind, 'linked');
  await givenAdminPassword(deps);
  context.browser = await openConsoleBrowser(context.world.proxy.url);
  await signIn(context.browser.page, context.world.proxy.url);
});

browser.after(async (context) => {
  await context.browser?.close();
  await context.world?.stop();
});

const status = (world: LinkedWorld, key: string) => fetch(`${world.proxy.url}/api/v1/status`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);

browser('a device is added on /devices, its key works, it is revoked and then gets 401', async ({ world, browser: { page, violations } }) => {
  const base = world.proxy.url;
  await page.goto(`${base}/devices`);
  assert.is(await page.getByRole('heading', { level: 1 }).innerText(), 'Devices');
  await page.getByLabel('Device ID').fill('TILL-0042');
  await page.getByLabel('Name', { exact: true }).fill('Front counter till');
  await page.getByLabel('Organisation it sends to').selectOption({ label: CAFE.name });
  await page.getByLabel('Read accounting data', { exact: false }).check();
  await checkPage(page, 'devices');
  await page.getByRole('button', { name: 'Add the device and show its key' }).click();

  assert.is(new URL(page.url()).pathname, '/devices/TILL-0042/key');
  assert.match(await page.getByRole('heading', { level: 1 }).innerText(), 'Key for Front counter till');
  const key = await page.getByLabel('API key').inputValue();
  assert.match(key, /^xpk_/);
  assert.not.match(page.url(), key);
  // The script shows the Copy button and says what it did (headless Chromium on http may refuse the clipboard: either sentence is an answer).
  await page.getByRole('button', { name: 'Copy' }).click();
  // The clipboard answers asynchronously: wait for the sentence rather than read it at once.
  await page.locator('#copy-status').filter({ hasText: /\S/ }).waitFor();
  assert.match(await page.locator('#copy-status').innerText(), /^(Copied\.|The browser did not allow copying)/);
  await checkPage(page, 'device-added');

  assert.is(await status(world, key), 200);

  await page.getByRole('link', { name: 'Go to Front counter till' }).click();
  assert.match(await page.locator('dl.facts').innerText(), /From address\s+(::ffff:)?127\.0\.0\.1/);
  await page.getByRole('link', { name: 'Revoke this device…' }).click();
  assert.is(await page.getByRole('heading', { level: 1 }).innerText(), 'Revoke Front counter till?');
  await page.getByRole('button', { name: 'Revoke Front counter till' }).click();
  assert.is(new URL(page.url()).pathname, '/devices');
  assert.match(await page.getByRole('status').innerText(), 'Front counter till is revoked: its key no longer works.');
  assert.is(await status(world, key), 401);
  assert.equal(violations, [], 'no page broke its own Content-Security-Policy');
});

browser('the organisations page shows the linked organisation and asks before disconnecting it', async ({ world, browser: { page, violations } }) => {
  const base = world.proxy.url;
  await page.goto(`${base}/organisations`);
  assert.is(await page.getByRole('heading', { level: 1 }).innerText(), 'Organisations');
  assert.match(await page.getByRole('region', { name: `${CAFE.name} (${CAFE.shortCode})` }).innerText(), 'Linked');
  await checkPage(page, 'organisations');
  await page.getByRole('button', { name: `Refresh ${CAFE.name} from Xero` }).click();
  assert.match(await page.getByRole('status').first().innerText(), `${CAFE.name} is linked and answers`);
  await page.getByRole('link', { name: `Disconnect ${CAFE.name}…` }).click();
  assert.is(await page.getByRole('heading', { level: 1 }).innerText(), `Disconnect ${CAFE.name}?`);
  await checkPage(page, 'organisation-disconnect');
  await page.getByRole('link', { name: 'Keep it linked and go back' }).click();
  assert.is(new URL(page.url()).pathname, '/organisations');
  assert.equal(violations, [], 'no page broke its own Content-Security-Policy');
});

browser.run();
