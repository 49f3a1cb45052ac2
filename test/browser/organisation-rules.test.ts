import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPair } from '../../src/domain/certificates';
import { systemClock } from '../../src/lib/clock';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { insertCertificate } from '../../src/store/certificates';
import { listOrganisations } from '../../src/store/organisations';
import { checkPage, openConsoleBrowser, signIn, type ConsoleBrowser } from '../helpers/console-browser';
import { control } from '../helpers/delivery';
import { registerApp } from '../helpers/oauth1-client';
import { startTestProxy, type TestProxy } from '../helpers/proxy';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox';
import { givenAdminPassword } from '../helpers/web';

interface Context {
  sandbox: TestSandbox;
  proxy: TestProxy;
  browser: ConsoleBrowser;
}

const PRACTICE = DEMO_ORGANISATIONS[1]!;
const rules = suite<Context>('browser.organisation-rules');

rules.before(async (context) => {
  context.sandbox = await startTestSandbox();
  const pair = generateKeyPair(systemClock);
  const app = await registerApp(context.sandbox.url, 'partner', { certificatePem: pair.info.certificatePem });
  context.proxy = await startTestProxy({
    publicUrlIsSelf: true,
    env: { XERO_PROXY_XERO_APP_TYPE: 'partner', XERO_PROXY_XERO_API_URL: context.sandbox.url, XERO_PROXY_XERO_CONSUMER_KEY: app.consumerKey, XERO_PROXY_XERO_CONSUMER_SECRET: app.consumerSecret },
  });
  const deps = context.proxy.running.proxy.deps;
  insertCertificate(deps.db, deps.keyring, systemClock, 'active', pair);
  await givenAdminPassword(deps);
  context.browser = await openConsoleBrowser(context.proxy.url);
});

rules.after(async (context) => {
  await context.browser?.close();
  await context.proxy?.stop();
  await context.sandbox?.stop();
});

rules('an organisation on a Cashbook plan is refused at linking, with a page that says why and what to do; nothing is linked and the app is told', async ({ proxy, sandbox, browser }) => {
  const { page, violations } = browser;
  await control({ sandbox }, 'PUT', `organisations/${PRACTICE.id}/plan`, { class: 'GST_CASHBOOK' });
  const started = (await (await fetch(`${proxy.url}/api/v1/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId: 'PRACTICE-PC', name: 'Reception PC' }) })).json()) as {
    pairingId: string;
    verificationUriComplete: string;
  };
  await signIn(page, proxy.url);
  await page.goto(started.verificationUriComplete);
  await page.getByRole('button', { name: 'Link a new Xero organisation' }).click();
  await page.getByLabel(PRACTICE.name, { exact: false }).check();
  await page.getByRole('button', { name: 'Allow access' }).click();

  assert.ok(page.url().startsWith(`${proxy.url}/connect/callback?oauth_token=`), page.url());
  assert.is(await page.getByRole('heading', { level: 1 }).innerText(), `${PRACTICE.name} cannot take invoices from apps`);
  const said = await page.locator('main').innerText();
  assert.match(said, `${PRACTICE.name} is on Xero's Cashbook plan, which has no invoicing for apps`);
  assert.match(said, 'Move the organisation to a plan with invoicing in Xero (Settings, Subscription and billing), then link it again.');
  assert.match(said, 'Nothing was linked, and no app was connected.');
  await checkPage(page, 'organisation-rules-1-cashbook-refused');

  const deps = proxy.running.proxy.deps;
  assert.equal(listOrganisations(deps.db), [], 'the organisation was not stored');
  const collected = await fetch(`${proxy.url}/api/v1/pair/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pairingId: started.pairingId }) });
  const answer = await collected.text();
  assert.is(collected.status, 400, answer);
  assert.equal(JSON.parse(answer).error, 'access_denied');
  assert.match(answer, "on Xero's Cashbook plan", 'the waiting app is told why it was not connected');
  assert.equal(violations, [], 'no page broke its own Content-Security-Policy');
});

rules.run();
