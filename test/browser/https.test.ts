import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkPage, openConsoleBrowser, signIn, type ConsoleBrowser } from '../helpers/console-browser';
import { spkiOf } from '../helpers/https';
import { startWorld, type LinkedWorld } from '../helpers/linked';
import { givenAdminPassword } from '../helpers/web';

interface Context {
  world: LinkedWorld;
  browser: ConsoleBrowser;
  pin: string;
}

const browser = suite<Context>('browser.https');

browser.before(async (context) => {
  context.world = await startWorld('private', { publicUrlIsSelf: true, env: { XERO_PROXY_SERVER_TLS: 'auto' } });
  await givenAdminPassword(context.world.proxy.running.proxy.deps);
  context.pin = context.world.proxy.running.proxy.tls!.served.caSpkiSha256;
  context.browser = await openConsoleBrowser(context.world.proxy.url, { trustSpki: context.pin, acceptDownloads: true });
});

browser.after(async ({ browser, world }) => {
  await browser.close();
  await world.stop();
});

browser('a person types the http:// address, lands on the HTTPS sign-in, and reads the CA fingerprint on Settings beside the CA certificate to download', async ({ browser, world, pin }) => {
  const { page } = browser;
  const https = world.proxy.url;
  await page.goto(`${https.replace(/^https:/, 'http:')}/login`);
  assert.is(page.url(), `${https}/login`, 'redirected to the same page over HTTPS');
  await signIn(page, https);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.waitForURL(`${https}/settings`);
  const section = page.locator('#https');
  assert.is(await section.getByRole('heading', { name: 'HTTPS', level: 2 }).count(), 1);
  assert.is(await section.locator('#ca-fingerprint').innerText(), pin);
  assert.match(await section.innerText(), 'Devices pin this. When you approve a device, check that it shows the same.');
  assert.match(await section.innerText(), /localhost, .*127\.0\.0\.1/);
  const [download] = await Promise.all([page.waitForEvent('download'), section.getByRole('link', { name: 'Download the CA certificate' }).click()]);
  assert.is(download.suggestedFilename(), 'xero-proxy-ca.crt');
  assert.is(spkiOf(readFileSync((await download.path())!)), pin, 'the downloaded certificate is the CA the fingerprint names');
  await checkPage(page, 'settings-https');
  assert.equal(browser.violations, []);
});

browser('a browser that does not trust the CA is stopped at the certificate, not shown the pages', async ({ world }) => {
  const plain = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'], timeout: 60_000 });
  try {
    const page = await plain.newPage();
    const failure = await page.goto(`${world.proxy.url}/login`).then(
      () => 'opened',
      (error: Error) => /net::ERR_CERT_AUTHORITY_INVALID/.exec(error.message)?.[0] ?? error.message,
    );
    assert.is(failure, 'net::ERR_CERT_AUTHORITY_INVALID');
  } finally {
    await plain.close();
  }
});

browser.run();
