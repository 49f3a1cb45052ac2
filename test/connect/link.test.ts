import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPair } from '../../src/domain/certificates';
import { ManualClock } from '../../src/lib/clock';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { insertCertificate } from '../../src/store/certificates';
import { findPairingByUserCode } from '../../src/store/pairings';
import { approve, registerApp } from '../helpers/oauth1-client';
import { startTestProxy, type TestProxy } from '../helpers/proxy';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox';
import { Browser, field, givenAdminPassword, textOf } from '../helpers/web';

const PRACTICE = DEMO_ORGANISATIONS[1]!;

interface World {
  sandbox: TestSandbox;
  proxy: TestProxy;
  clock: ManualClock;
  browser: Browser;
  stop(): Promise<void>;
}

/** The sandbox Xero, an app registered there, and the proxy set up for it with a signed-in browser. */
async function startWorld(appType: 'public' | 'partner' | 'private', options: { consumerSecret?: string } = {}): Promise<World> {
  const sandbox = await startTestSandbox();
  const clock = new ManualClock(Date.now());
  const pair = appType === 'public' ? undefined : generateKeyPair(clock);
  const app = await registerApp(sandbox.url, appType, { ...(pair ? { certificatePem: pair.info.certificatePem } : {}), ...(appType === 'private' ? { organisationId: PRACTICE.id } : {}) });
  const proxy = await startTestProxy({
    clock,
    publicUrlIsSelf: true,
    env: {
      XERO_PROXY_XERO_APP_TYPE: appType,
      XERO_PROXY_XERO_API_URL: sandbox.url,
      XERO_PROXY_XERO_CONSUMER_KEY: app.consumerKey,
      XERO_PROXY_XERO_CONSUMER_SECRET: options.consumerSecret ?? app.consumerSecret,
    },
  });
  const deps = proxy.running.proxy.deps;
  if (pair) insertCertificate(deps.db, deps.keyring, clock, 'active', pair);
  await givenAdminPassword(deps);
  const browser = new Browser(proxy.url);
  assert.is((await browser.signIn()).status, 303);
  return { sandbox, proxy, clock, browser, stop: async () => (await proxy.stop(), await sandbox.stop()) };
}

async function pair(world: World, deviceId = 'PMS-LIC-7781'): Promise<{ pairingId: string; userCode: string }> {
  const response = await fetch(`${world.proxy.url}/api/v1/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId, name: 'Reception PC' }) });
  return (await response.json()) as { pairingId: string; userCode: string };
}

/** Presses "Link a new Xero organisation" on the request page; returns the answer (a 303 to Xero). */
async function pressLink(world: World, userCode?: string) {
  const page = await world.browser.get(userCode ? `/connect?code=${userCode}` : '/');
  return world.browser.post('/connect/link', { csrf: field(page.text, 'csrf'), ...(userCode ? { code: userCode } : {}) });
}

const link = suite('connect.link');

for (const appType of ['partner', 'public'] as const) link(`a ${appType} app: linking a new organisation for a pairing: Allow at Xero returns to a success page and the device collects its key`, async () => {
  const world = await startWorld(appType);
  try {
    const { pairingId, userCode } = await pair(world);
    const sent = await pressLink(world, userCode);
    assert.is(sent.status, 303);
    assert.match(sent.location!, `${world.sandbox.url}/oauth/Authorize?oauth_token=`);
    const allowed = await approve(world.sandbox.url, new URL(sent.location!).searchParams.get('oauth_token')!, PRACTICE.id);
    assert.match(allowed.redirect!, `${world.proxy.url}/connect/callback?oauth_token=`);
    // Back from Xero the SameSite=Strict cookie is not sent: the callback works without it.
    const back = await new Browser(world.proxy.url).get(allowed.redirect!);
    assert.is(back.status, 200, back.text);
    assert.match(textOf(back.text), 'Reception PC (PMS-LIC-7781) can now send to Riverbend Medical Practice. The app will receive its key automatically');
    const collected = await fetch(`${world.proxy.url}/api/v1/pair/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pairingId }) });
    const key = ((await collected.json()) as { apiKey: string }).apiKey;
    const read = await fetch(`${world.proxy.url}/api/v1/organisation`, { headers: { authorization: `Bearer ${key}` } });
    assert.is(read.status, 200);
    assert.is(((await read.json()) as { name: string }).name, PRACTICE.name);

    const replayed = await new Browser(world.proxy.url).get(allowed.redirect!);
    assert.is(replayed.status, 409);
    assert.match(textOf(replayed.text), 'This authorisation was already used (completed); a callback works once.');
    assert.match(replayed.text, 'href="/"');
  } finally {
    await world.stop();
  }
});

link('Deny at Xero: the page says so, nothing is linked and the device is refused', async () => {
  const world = await startWorld('public');
  try {
    const { pairingId, userCode } = await pair(world);
    const sent = await pressLink(world, userCode);
    const denied = await approve(world.sandbox.url, new URL(sent.location!).searchParams.get('oauth_token')!, undefined, 'deny');
    const back = await world.browser.get(denied.redirect!);
    assert.is(back.status, 200);
    assert.match(textOf(back.text), 'Access was not allowed The person at Xero denied access, so nothing was linked.');
    assert.is(world.proxy.running.proxy.deps.db.prepare('SELECT count(*) FROM organisations').pluck().get(), 0);
    const poll = await fetch(`${world.proxy.url}/api/v1/pair/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pairingId }) });
    assert.is(((await poll.json()) as { error: string }).error, 'access_denied');
  } finally {
    await world.stop();
  }
});

link('forged and incomplete callbacks get readable pages with the right status', async () => {
  const world = await startWorld('public');
  try {
    const anyone = new Browser(world.proxy.url);
    const forged = await anyone.get('/connect/callback?oauth_token=FORGED&oauth_verifier=1234567&org=!Hb7Cf');
    assert.is(forged.status, 404);
    assert.match(textOf(forged.text), 'The organisation was not linked This authorisation is unknown to the proxy: the link is forged, or from another proxy. Start linking again.');
    const empty = await anyone.get('/connect/callback');
    assert.is(empty.status, 400);
    assert.match(textOf(empty.text), 'The callback from Xero has no oauth_token');
    // A real request token with a made-up verifier: Xero refuses, and the page says why.
    const sent = await pressLink(world);
    const token = new URL(sent.location!).searchParams.get('oauth_token')!;
    await approve(world.sandbox.url, token, PRACTICE.id);
    const wrongVerifier = await anyone.get(`/connect/callback?oauth_token=${encodeURIComponent(token)}&oauth_verifier=0000000&org=!Rv3Md`);
    assert.is(wrongVerifier.status, 502);
    assert.match(textOf(wrongVerifier.text), 'The organisation was not linked Xero refused to complete the link:');
    assert.match(textOf(wrongVerifier.text), 'Xero said: "The oauth_verifier does not match the request token".');
  } finally {
    await world.stop();
  }
});

link('when Xero refuses the app, the page shows Xero’s reason and the request stays open', async () => {
  const world = await startWorld('public', { consumerSecret: 'not-the-secret' });
  try {
    const { userCode } = await pair(world);
    const refused = await pressLink(world, userCode);
    assert.is(refused.status, 502);
    assert.match(textOf(refused.text), 'Xero did not answer as expected Xero could not verify the request signature. Xero said: "Failed to validate signature".');
    assert.match(refused.text, `href="/connect?code=${userCode}"`);
    assert.is(findPairingByUserCode(world.proxy.running.proxy.deps.db, userCode)!.state, 'pending');
  } finally {
    await world.stop();
  }
});

link('a private app is linked at once, without a trip to Xero, and the pairing approved', async () => {
  const world = await startWorld('private');
  try {
    const { userCode } = await pair(world);
    const linked = await pressLink(world, userCode);
    assert.is(linked.status, 200, linked.text);
    assert.match(textOf(linked.text), 'Reception PC (PMS-LIC-7781) can now send to Riverbend Medical Practice.');
    assert.is(findPairingByUserCode(world.proxy.running.proxy.deps.db, userCode)!.state, 'approved');
  } finally {
    await world.stop();
  }
});

link('an organisation can be linked from the overview without any device', async () => {
  const world = await startWorld('partner');
  try {
    const sent = await pressLink(world);
    assert.is(sent.status, 303);
    const allowed = await approve(world.sandbox.url, new URL(sent.location!).searchParams.get('oauth_token')!, PRACTICE.id);
    const back = await world.browser.get(allowed.redirect!);
    assert.is(back.status, 200);
    assert.match(textOf(back.text), 'Riverbend Medical Practice is now linked to this proxy.');
    assert.match(textOf((await world.browser.get('/')).text), 'Riverbend Medical Practice (!Rv3Md) Linked');
  } finally {
    await world.stop();
  }
});

link('if the app’s request expires while the person is at Xero, the organisation is linked and the page says the app was not', async () => {
  const world = await startWorld('partner');
  try {
    const { userCode } = await pair(world);
    const sent = await pressLink(world, userCode);
    const allowed = await approve(world.sandbox.url, new URL(sent.location!).searchParams.get('oauth_token')!, PRACTICE.id);
    world.clock.advance(16 * 60_000);
    await fetch(`${world.sandbox.url}/sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceSeconds: 16 * 60 }) });
    const back = await world.browser.get(allowed.redirect!);
    assert.match(textOf(back.text), 'Riverbend Medical Practice is now linked, but the request from Reception PC (PMS-LIC-7781) was no longer waiting, so that app was not connected.');
    assert.is(back.status, 200);
  } finally {
    await world.stop();
  }
});

link('a callback that comes back after more than 30 minutes is refused with a page saying to start again', async () => {
  const world = await startWorld('partner');
  try {
    const sent = await pressLink(world);
    const allowed = await approve(world.sandbox.url, new URL(sent.location!).searchParams.get('oauth_token')!, PRACTICE.id);
    world.clock.advance(31 * 60_000);
    const late = await new Browser(world.proxy.url).get(allowed.redirect!);
    assert.is(late.status, 409);
    assert.match(textOf(late.text), 'The authorisation at Xero took longer than 30 minutes and has expired. Start linking again.');
  } finally {
    await world.stop();
  }
});

link.run();
