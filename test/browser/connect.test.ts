import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser as Chromium, type Page } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPair } from '../../src/domain/certificates';
import { systemClock } from '../../src/lib/clock';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { insertCertificate } from '../../src/store/certificates';
import { upsertLinkedOrganisation } from '../../src/store/organisations';
import { REPO_ROOT } from '../helpers/cli';
import { registerApp } from '../helpers/oauth1-client';
import { startTestProxy, type TestProxy } from '../helpers/proxy';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox';
import { ADMIN_PASSWORD, givenAdminPassword } from '../helpers/web';

// Debian's Chromium; CI installs it (.ci/run). Without it this test fails rather than skips, so a
// machine that cannot run it is noticed.
const CHROMIUM = '/usr/bin/chromium';
// On this closed network Chromium must not try to reach Google's services at start.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SHOTS = join(REPO_ROOT, '.test-output', 'browser');
const PRACTICE = DEMO_ORGANISATIONS[1]!;

interface Context {
  sandbox: TestSandbox;
  proxy: TestProxy;
  chromium: Chromium;
  page: Page;
  /** Content-Security-Policy violations Chromium reported on the proxy's pages. */
  violations: string[];
}

const browser = suite<Context>('browser.connect');

browser.before(async (context) => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); CI does so in .ci/run`);
  mkdirSync(SHOTS, { recursive: true });
  context.sandbox = await startTestSandbox();
  const pair = generateKeyPair(systemClock);
  const app = await registerApp(context.sandbox.url, 'partner', { certificatePem: pair.info.certificatePem });
  context.proxy = await startTestProxy({
    publicUrlIsSelf: true,
    env: {
      XERO_PROXY_XERO_APP_TYPE: 'partner',
      XERO_PROXY_XERO_API_URL: context.sandbox.url,
      XERO_PROXY_XERO_CONSUMER_KEY: app.consumerKey,
      XERO_PROXY_XERO_CONSUMER_SECRET: app.consumerSecret,
    },
  });
  const deps = context.proxy.running.proxy.deps;
  insertCertificate(deps.db, deps.keyring, systemClock, 'active', pair);
  await givenAdminPassword(deps);
  context.chromium = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
  context.page = await context.chromium.newPage({ viewport: { width: 1100, height: 900 } });
  context.violations = [];
  context.page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text()) && message.location().url.startsWith(context.proxy.url)) context.violations.push(message.text());
  });
});

browser.after(async (context) => {
  await context.chromium?.close();
  await context.proxy?.stop();
  await context.sandbox?.stop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

const api = (proxy: TestProxy, path: string, body: unknown) =>
  fetch(`${proxy.url}/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

browser('a person signs in, links a new organisation at Xero for a waiting till, and the till collects its key', async ({ proxy, sandbox, page, violations }) => {
  const started = (await api(proxy, '/pair', { deviceId: 'TILL-0042', name: 'Front counter till' })).body as { pairingId: string; userCode: string; verificationUriComplete: string };

  // The link the till shows: not signed in yet, so the sign-in page comes first.
  await page.goto(started.verificationUriComplete);
  assert.is(new URL(page.url()).pathname, '/login');
  assert.is(await page.title(), 'Sign in · Xero Comms Proxy');
  await shot(page, '1-sign-in');
  await page.getByLabel('Administrator name').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  assert.match(await page.getByRole('alert').innerText(), 'That name and password do not match an administrator.');
  assert.is(await page.getByLabel('Administrator name').inputValue(), 'admin', 'the name stays; the password is typed again');
  await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();

  // Back on the request the till made.
  assert.is(page.url(), started.verificationUriComplete);
  assert.is(await page.getByRole('heading', { level: 1 }).innerText(), 'Connect Front counter till?');
  assert.match(await page.locator('dl.facts').innerText(), started.userCode);
  await shot(page, '2-pairing-request');

  // To Xero (the sandbox) and its Allow page.
  await page.getByRole('button', { name: 'Link a new Xero organisation' }).click();
  assert.ok(page.url().startsWith(`${sandbox.url}/oauth/Authorize?oauth_token=`), page.url());
  await shot(page, '3-xero-authorize');
  await page.getByLabel(PRACTICE.name, { exact: false }).check();
  await page.getByRole('button', { name: 'Allow access' }).click();

  // Xero sends the browser back to the proxy's callback.
  assert.ok(page.url().startsWith(`${proxy.url}/connect/callback?oauth_token=`), page.url());
  assert.is(await page.getByRole('heading', { level: 1 }).innerText(), 'App connected');
  assert.match(await page.getByRole('status').innerText(), `Front counter till (TILL-0042) can now send to ${PRACTICE.name}.`);
  await shot(page, '4-connected');

  const collected = await api(proxy, '/pair/token', { pairingId: started.pairingId });
  assert.is(collected.status, 200, JSON.stringify(collected.body));
  const read = await fetch(`${proxy.url}/api/v1/organisation`, { headers: { authorization: `Bearer ${collected.body['apiKey']}` } });
  assert.is(((await read.json()) as { name: string }).name, PRACTICE.name);

  // The overview shows the organisation and the till; signing out ends the session.
  await page.goto(`${proxy.url}/`);
  assert.match(await page.locator('main').innerText(), 'TILL-0042');
  await shot(page, '5-overview');
  await page.getByRole('button', { name: 'Sign out' }).click();
  assert.match(await page.getByRole('status').innerText(), 'You have signed out.');
  await page.goto(`${proxy.url}/connect`);
  assert.is(new URL(page.url()).pathname, '/login');
  assert.equal(violations, [], 'no page broke its own Content-Security-Policy');
});

browser('a second app is approved for an organisation already linked, with one click', async ({ proxy, page, violations }) => {
  const deps = proxy.running.proxy.deps;
  upsertLinkedOrganisation(deps.db, deps.clock, { xeroOrganisationId: 'xero-kauri', name: 'Kauri Hardware', shortCode: '!Kr9Hw', countryCode: 'NZ', baseCurrency: 'NZD', appType: 'partner' }, null);
  const started = (await api(proxy, '/pair', { deviceId: 'PMS-LIC-7781', name: 'Reception PC' })).body as { pairingId: string; userCode: string };

  // Typed by hand, in lower case, from the code form.
  await page.goto(`${proxy.url}/connect`);
  await page.getByLabel('Administrator name').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  assert.is(await page.getByRole('heading', { level: 1 }).innerText(), 'Connect an app');
  await page.getByLabel('Pairing code').fill(started.userCode.toLowerCase());
  await page.getByRole('button', { name: 'Continue' }).click();
  assert.is(await page.getByRole('heading', { level: 1 }).innerText(), 'Connect Reception PC?');
  await shot(page, '6-pairing-request-with-organisations');
  await page.getByRole('button', { name: 'Approve for Kauri Hardware' }).click();
  assert.match(await page.getByRole('status').innerText(), 'Reception PC (PMS-LIC-7781) can now send to Kauri Hardware.');
  await shot(page, '7-approved');

  const collected = await api(proxy, '/pair/token', { pairingId: started.pairingId });
  assert.equal((collected.body['organisation'] as { name: string }).name, 'Kauri Hardware');
  assert.equal(violations, []);
});

browser.run();
