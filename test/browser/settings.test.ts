import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createBackup } from '../../src/services/backup';
import { startWebhookSink, type WebhookSink } from '../helpers/alert-sinks';
import { checkPage, openConsoleBrowser, signIn, type ConsoleBrowser } from '../helpers/console-browser';
import { startWorld, type LinkedWorld } from '../helpers/linked';
import { givenAdminPassword } from '../helpers/web';

interface Context {
  hooks: WebhookSink;
  world: LinkedWorld;
  browser: ConsoleBrowser;
}

const browser = suite<Context>('browser.settings');

browser.before(async (context) => {
  context.hooks = await startWebhookSink();
  context.world = await startWorld('private', { publicUrlIsSelf: true, env: { XERO_PROXY_ALERTS_WEBHOOK_URL: context.hooks.url, XERO_PROXY_ALERTS_WEBHOOK_SECRET: 'browser-secret' } });
  await givenAdminPassword(context.world.proxy.running.proxy.deps);
  context.browser = await openConsoleBrowser(context.world.proxy.url);
  await signIn(context.browser.page, context.world.proxy.url);
});

browser.after(async ({ browser, world, hooks }) => {
  await browser.close();
  await world.stop();
  await hooks.stop();
});

browser('a person opens Settings from the navigation, presses Send test alert and reads where it went', async ({ browser, world, hooks }) => {
  const { page } = browser;
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.waitForURL(`${world.proxy.url}/settings`);
  assert.is(await page.getByRole('heading', { name: 'Settings', level: 1 }).count(), 1);
  await page.getByRole('button', { name: 'Send test alert' }).click();
  await page.waitForURL(/\/settings\?test=/);
  assert.match(await page.locator('#alerts').innerText(), `Webhook: sent to ${new URL(hooks.url).origin}/….`);
  assert.is(hooks.hooks.length, 1);
  await checkPage(page, 'settings');
  assert.equal(browser.violations, []);
});

browser('the Backups section says when the last backup was made, how it opens, what is erased when, and how to restore', async ({ browser, world }) => {
  const { page } = browser;
  const record = createBackup(world.proxy.running.proxy.deps);
  await page.goto(`${world.proxy.url}/settings`);
  const section = await page.locator('#backups').innerText();
  assert.match(section, `${record.file} (`);
  assert.match(section, 'sealed with a key derived from the master key');
  assert.match(section, '"30 2 * * *" (cron, local time) into');
  assert.match(section, 'erased 30 days after delivery');
  assert.match(section, 'To restore, stop the server and run xero-proxy restore FILE.');
  await checkPage(page, 'settings-backups');
  assert.equal(browser.violations, []);
});

browser('the API reference opens from the navigation and passes the accessibility checks', async ({ browser, world }) => {
  const { page } = browser;
  await page.getByRole('link', { name: 'API docs' }).click();
  await page.waitForURL(`${world.proxy.url}/docs`);
  assert.is(await page.getByRole('heading', { name: 'Xero Comms Proxy device API', level: 1 }).count(), 1);
  await page.getByRole('link', { name: 'POST /invoices' }).click();
  assert.match(page.url(), /#post-invoices$/);
  await checkPage(page, 'docs');
  assert.equal(browser.violations, []);
});

browser.run();
