import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { listOrganisations } from '../../src/store/organisations';
import { findPairingByUserCode } from '../../src/store/pairings';
import { approveAtXero, startGrantWorld, type GrantWorld, type OAuth2AppType } from '../helpers/grant-world';
import { collectKey } from '../helpers/linked';
import { Browser, field, givenAdminPassword, textOf } from '../helpers/web';

const [CAFE, PRACTICE] = DEMO_ORGANISATIONS;
const oauth2 = suite('connect.oauth2-link');

async function signedIn(world: GrantWorld): Promise<Browser> {
  await givenAdminPassword(world.proxy.running.proxy.deps);
  const browser = new Browser(world.proxy.url);
  assert.is((await browser.signIn()).status, 303);
  return browser;
}

async function pair(world: GrantWorld, deviceId: string, name: string): Promise<{ pairingId: string; userCode: string }> {
  const response = await fetch(`${world.proxy.url}/api/v1/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId, name }) });
  return (await response.json()) as { pairingId: string; userCode: string };
}

/** Presses "Link a new Xero organisation" on the request page. */
async function pressLink(browser: Browser, userCode: string) {
  const page = await browser.get(`/connect?code=${userCode}`);
  return browser.post('/connect/link', { csrf: field(page.text, 'csrf'), code: userCode });
}

/** Xero's consent page as a person uses it: tick the organisations, press Allow (or Deny). */
async function consent(authorizeUrl: string, tenants: readonly string[], decision: 'allow' | 'deny' = 'allow'): Promise<string> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  assert.is(page.status, 200, html);
  const pairs: Array<[string, string]> = [];
  for (const input of html.matchAll(/<input[^>]*>/g)) {
    const attribute = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(input[0])?.[1]?.replace(/&amp;/g, '&');
    if (attribute('type') === 'hidden') pairs.push([attribute('name')!, attribute('value') ?? '']);
    if (attribute('type') === 'checkbox' && tenants.includes(attribute('value')!)) pairs.push([attribute('name')!, attribute('value')!]);
  }
  pairs.push(['decision', decision]);
  const answer = await fetch(new URL('/identity/connect/authorize', authorizeUrl), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(pairs), redirect: 'manual' });
  assert.is(answer.status, 302);
  return answer.headers.get('location')!;
}

/** The "Send to …" forms of the choice page, by organisation name. */
function choiceForms(html: string): Map<string, Record<string, string>> {
  const forms = new Map<string, Record<string, string>>();
  for (const [form] of html.matchAll(/<form[^>]*action="\/connect\/choose"[\s\S]*?<\/form>/g)) {
    const name = /<button[^>]*>Send to ([^<]+)<\/button>/.exec(form)![1]!.replace(/&amp;/g, '&').replace(/&#39;/g, "'");
    forms.set(name, { link: field(form, 'link'), proof: field(form, 'proof'), organisationId: field(form, 'organisationId') });
  }
  return forms;
}

async function readOrganisation(world: GrantWorld, key: string): Promise<{ name: string }> {
  const response = await fetch(`${world.proxy.url}/api/v1/organisation`, { headers: { authorization: `Bearer ${key}` } });
  assert.is(response.status, 200);
  return (await response.json()) as { name: string };
}

oauth2('a web app: one authorisation links two organisations, the person chooses the app’s, and a second app is approved for the other without going to Xero again', async () => {
  const world = await startGrantWorld('oauth2');
  try {
    const browser = await signedIn(world);
    const till = await pair(world, 'TILL-1', 'Front till');
    const sent = await pressLink(browser, till.userCode);
    assert.is(sent.status, 303);
    const authorize = new URL(sent.location!);
    assert.is(authorize.origin + authorize.pathname, `${world.sandbox.url}/identity/connect/authorize`);
    assert.equal([authorize.searchParams.get('response_type'), authorize.searchParams.get('client_id'), authorize.searchParams.get('redirect_uri')], ['code', world.client.clientId, `${world.proxy.url}/connect/oauth2/callback`]);
    assert.match(authorize.searchParams.get('scope')!, /^offline_access /);
    assert.ok(authorize.searchParams.get('state')!.length >= 32);
    assert.is(authorize.searchParams.get('code_challenge'), null, 'a web app proves itself with its secret');

    const landed = await consent(sent.location!, [CAFE!.id, PRACTICE!.id]);
    assert.match(landed, `${world.proxy.url}/connect/oauth2/callback?`);
    // Back from Xero the SameSite=Strict cookie is not sent: the callback and the choice work without it.
    const anyone = new Browser(world.proxy.url);
    const choice = await anyone.get(landed);
    assert.is(choice.status, 200, choice.text);
    assert.match(textOf(choice.text), 'Which organisation is Front till for? Xero allowed access to 2 organisations; all are now linked to this proxy.');
    const forms = choiceForms(choice.text);
    assert.equal([...forms.keys()].sort(), [CAFE!.name, PRACTICE!.name].sort());
    const { db } = world.proxy.running.proxy.deps;
    const linked = listOrganisations(db);
    assert.equal(linked.map((org) => org.linkState), ['linked', 'linked']);
    assert.is(new Set(linked.map((org) => org.tokenSetId)).size, 1, 'one grant, shared');
    assert.equal(linked.map((org) => org.tenantId).sort(), [CAFE!.id, PRACTICE!.id].sort());
    assert.is(findPairingByUserCode(db, till.userCode)!.state, 'pending', 'nothing is approved before the person chooses');

    const approved = await anyone.post('/connect/choose', forms.get(PRACTICE!.name)!);
    assert.is(approved.status, 200, approved.text);
    assert.match(textOf(approved.text), `Front till (TILL-1) can now send to ${PRACTICE!.name}.`);
    const tillKey = await collectKey(world, till.pairingId);
    assert.is((await readOrganisation(world, tillKey)).name, PRACTICE!.name);
    const read = world.sent.at(-1)!;
    assert.equal([read.url, read.headers['xero-tenant-id']], [`${world.sandbox.url}/api.xro/2.0/Organisation`, PRACTICE!.id]);
    assert.match(read.headers['Authorization']!, /^Bearer /);

    const spent = await anyone.post('/connect/choose', forms.get(CAFE!.name)!);
    assert.is(spent.status, 403, 'a choice is made once');
    assert.match(textOf(spent.text), 'This choice is out of date or was already made, so nothing was changed.');
    const replayed = await anyone.get(landed);
    assert.is(replayed.status, 409);
    assert.match(textOf(replayed.text), 'This authorisation was already used (completed)');

    // A second app: the café is already linked through the same grant.
    const office = await pair(world, 'PC-2', 'Back office');
    const page = await browser.get(`/connect?code=${office.userCode}`);
    assert.match(textOf(page.text), `Approve for ${CAFE!.name}`);
    const cafeId = linked.find((org) => org.tenantId === CAFE!.id)!.id;
    const approvedOffice = await browser.post('/connect/approve', { csrf: field(page.text, 'csrf'), code: office.userCode, organisationId: cafeId });
    assert.is(approvedOffice.status, 200);
    assert.is((await readOrganisation(world, await collectKey(world, office.pairingId))).name, CAFE!.name);
    assert.is(world.sent.at(-1)!.headers['xero-tenant-id'], CAFE!.id);
  } finally {
    await world.stop();
  }
});

oauth2('a PKCE app: the authorisation carries an S256 challenge, the code is swapped without a secret, and a single organisation is still asked about', async () => {
  const world = await startGrantWorld('oauth2_pkce');
  try {
    assert.is(world.client.clientSecret, null);
    const browser = await signedIn(world);
    const till = await pair(world, 'TILL-1', 'Front till');
    const sent = await pressLink(browser, till.userCode);
    const authorize = new URL(sent.location!);
    assert.is(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.match(authorize.searchParams.get('code_challenge')!, /^[A-Za-z0-9_-]{43}$/);
    const landed = await consent(sent.location!, [CAFE!.id]);
    const choice = await browser.get(landed);
    assert.match(textOf(choice.text), 'Which organisation is Front till for? Xero allowed access to one organisation; it is now linked to this proxy.');
    const forms = choiceForms(choice.text);
    assert.equal([...forms.keys()], [CAFE!.name]);
    const exchange = world.sent.find((request) => request.url.endsWith('/connect/token'))!;
    assert.is(exchange.headers['authorization'], undefined, 'no client secret exists, so none is sent (the sandbox checked the verifier against the challenge)');
    assert.is((await browser.post('/connect/choose', forms.get(CAFE!.name)!)).status, 200);
    assert.is((await readOrganisation(world, await collectKey(world, till.pairingId))).name, CAFE!.name);
  } finally {
    await world.stop();
  }
});

oauth2('a custom connection links its one organisation at once, with no browser step', async () => {
  const world = await startGrantWorld('custom_connection', { tenant: PRACTICE!.id });
  try {
    const browser = await signedIn(world);
    const till = await pair(world, 'TILL-1', 'Front till');
    const linked = await pressLink(browser, till.userCode);
    assert.is(linked.status, 200, linked.text);
    assert.match(textOf(linked.text), `Front till (TILL-1) can now send to ${PRACTICE!.name}.`);
    const [organisation] = listOrganisations(world.proxy.running.proxy.deps.db);
    assert.equal([organisation!.appType, organisation!.tenantId], ['custom_connection', PRACTICE!.id]);
    assert.is((await readOrganisation(world, await collectKey(world, till.pairingId))).name, PRACTICE!.name);
  } finally {
    await world.stop();
  }
});

oauth2('Deny at Xero: the page says so, nothing is linked and the app is refused', async () => {
  const world = await startGrantWorld('oauth2');
  try {
    const browser = await signedIn(world);
    const till = await pair(world, 'TILL-1', 'Front till');
    const sent = await pressLink(browser, till.userCode);
    const back = await browser.get(await consent(sent.location!, [], 'deny'));
    assert.is(back.status, 200);
    assert.match(textOf(back.text), 'Access was not allowed The person at Xero denied access, so nothing was linked.');
    assert.equal(listOrganisations(world.proxy.running.proxy.deps.db), []);
    const poll = await fetch(`${world.proxy.url}/api/v1/pair/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pairingId: till.pairingId }) });
    assert.is(((await poll.json()) as { error: string }).error, 'access_denied');
  } finally {
    await world.stop();
  }
});

oauth2('of one authorisation, an organisation on a Ledger plan is not linked and the page says why; the others are; with none left, the app is refused', async () => {
  const world = await startGrantWorld('oauth2');
  try {
    await fetch(`${world.sandbox.url}/sandbox/organisations/${PRACTICE!.id}/plan`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ class: 'LEDGER' }) });
    const browser = await signedIn(world);
    // Only the Ledger organisation allowed, for a waiting till: nothing is linked, and the till is told.
    const till = await pair(world, 'TILL-1', 'Front till');
    const refused = await browser.get(await consent((await pressLink(browser, till.userCode)).location!, [PRACTICE!.id]));
    assert.is(refused.status, 403);
    assert.match(textOf(refused.text), `${PRACTICE!.name} cannot take invoices from apps ${PRACTICE!.name} is on Xero's Ledger plan, which has no invoicing for apps`);
    assert.equal(listOrganisations(world.proxy.running.proxy.deps.db), []);
    const poll = await fetch(`${world.proxy.url}/api/v1/pair/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pairingId: till.pairingId }) });
    assert.is(((await poll.json()) as { error: string }).error, 'access_denied');

    // Both allowed from the connect page: the café is linked, the practice left out, in words.
    const connect = await browser.get('/connect');
    const started = await browser.post('/connect/link', { csrf: field(connect.text, 'csrf') });
    const both = await browser.get(await consent(started.location!, [CAFE!.id, PRACTICE!.id]));
    assert.is(both.status, 200);
    assert.match(textOf(both.text), `${CAFE!.name} is now linked to this proxy. ${PRACTICE!.name} is on Xero's Ledger plan`);
    assert.equal(listOrganisations(world.proxy.running.proxy.deps.db).map((org) => org.name), [CAFE!.name]);
  } finally {
    await world.stop();
  }
});

oauth2('a forged state or a made-up code changes nothing, and the page says why', async () => {
  const world = await startGrantWorld('oauth2');
  try {
    const browser = await signedIn(world);
    const anyone = new Browser(world.proxy.url);
    const forged = await anyone.get('/connect/oauth2/callback?code=abc&state=not-ours');
    assert.is(forged.status, 404);
    assert.match(textOf(forged.text), 'This authorisation is unknown to the proxy: the link is forged, or from another proxy.');
    const till = await pair(world, 'TILL-1', 'Front till');
    const sent = await pressLink(browser, till.userCode);
    const state = new URL(sent.location!).searchParams.get('state')!;
    const madeUp = await anyone.get(`/connect/oauth2/callback?code=made-up&state=${encodeURIComponent(state)}`);
    assert.is(madeUp.status, 502);
    assert.match(textOf(madeUp.text), 'Xero refused to complete the link: While exchanging the authorisation code, Xero answered invalid_grant');
    // The genuine answer still works: a bad code does not burn the authorisation.
    const genuine = await anyone.get(await approveAtXero(world, sent.location!, [CAFE!.id]));
    assert.is(genuine.status, 200);
    assert.match(textOf(genuine.text), 'Which organisation is Front till for?');
  } finally {
    await world.stop();
  }
});

oauth2('a localhost redirect: the connect page says where to paste the address the browser landed on, and the pasted address finishes the link', async () => {
  const world = await startGrantWorld('oauth2_pkce', { redirectUri: (self) => `http://localhost:${new URL(self).port}/connect/oauth2/callback` });
  try {
    const browser = await signedIn(world);
    const till = await pair(world, 'TILL-1', 'Front till');
    const shown = await pressLink(browser, till.userCode);
    assert.is(shown.status, 200, 'no redirect: the browser may be on another computer');
    assert.match(textOf(shown.text), 'Allow access at Xero Open Xero (a new tab)');
    const authorizeUrl = /<a href="([^"]+)" target="_blank"/.exec(shown.text)![1]!.replace(/&amp;/g, '&');
    const landed = await approveAtXero(world, authorizeUrl, [CAFE!.id, PRACTICE!.id]);
    assert.match(landed, /^http:\/\/localhost:\d+\/connect\/oauth2\/callback\?/);

    const notAnswer = await browser.post('/connect/paste', { csrf: field(shown.text, 'csrf'), code: till.userCode, address: 'http://localhost:8080/connect/oauth2/callback' });
    assert.is(notAnswer.status, 400);
    assert.match(textOf(notAnswer.text), 'That address holds no answer from Xero (no code and state).');
    const choice = await browser.post('/connect/paste', { csrf: field(shown.text, 'csrf'), code: till.userCode, address: landed });
    assert.is(choice.status, 200, choice.text);
    const forms = choiceForms(choice.text);
    assert.equal([...forms.keys()].sort(), [CAFE!.name, PRACTICE!.name].sort());
    assert.is((await browser.post('/connect/choose', forms.get(CAFE!.name)!)).status, 200);
    assert.is((await readOrganisation(world, await collectKey(world, till.pairingId))).name, CAFE!.name);
  } finally {
    await world.stop();
  }
});

for (const appType of ['oauth2', 'oauth2_pkce'] as OAuth2AppType[]) {
  oauth2(`${appType}: the pages may send the browser to Xero's login host (the CSP's form-action names it)`, async () => {
    const world = await startGrantWorld(appType);
    try {
      const page = await (await signedIn(world)).get('/connect');
      assert.match(page.headers.get('content-security-policy')!, `form-action 'self' ${world.sandbox.url}`);
    } finally {
      await world.stop();
    }
  });
}

oauth2.run();
