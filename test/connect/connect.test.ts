import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/lib/clock';
import { findPairingByUserCode } from '../../src/store/pairings';
import { markNeedsRelink, upsertLinkedOrganisation } from '../../src/store/organisations';
import { startTestProxy, type TestProxy } from '../helpers/proxy';
import { Browser, field, givenAdminPassword, textOf } from '../helpers/web';

interface Context {
  proxy: TestProxy;
  clock: ManualClock;
  browser: Browser;
  orgId: string;
}

const connect = suite<Context>('connect.pages');

connect.before.each(async (context) => {
  context.clock = new ManualClock('2026-03-02T09:00:00Z');
  context.proxy = await startTestProxy({ clock: context.clock, publicUrlIsSelf: true });
  const deps = context.proxy.running.proxy.deps;
  await givenAdminPassword(deps);
  context.orgId = upsertLinkedOrganisation(deps.db, deps.clock, { xeroOrganisationId: 'xero-org-1', name: 'Harbourside Café', shortCode: '!Hb7Cf', countryCode: 'AU', baseCurrency: 'AUD', appType: 'private' }, null).id;
  context.browser = new Browser(context.proxy.url);
  assert.is((await context.browser.signIn()).status, 303);
});
connect.after.each(async ({ proxy }) => proxy.stop());

const api = (proxy: TestProxy, path: string, body: unknown) =>
  fetch(`${proxy.url}/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

async function pair(proxy: TestProxy, deviceId = 'TILL-0042', name = 'Front counter till'): Promise<{ pairingId: string; userCode: string }> {
  const started = await api(proxy, '/pair', { deviceId, name });
  assert.is(started.status, 200);
  return started.body as { pairingId: string; userCode: string };
}

connect('the code form accepts a typed code in any case, and the request shows who asks and for how long', async ({ proxy, browser }) => {
  const { userCode } = await pair(proxy);
  const form = await browser.get('/connect');
  assert.match(textOf(form.text), 'Type that code here.');
  assert.match(textOf(form.text), `Front counter till (TILL-0042) Review ${userCode}`, 'waiting requests are listed');
  const page = await browser.get(`/connect?code=${encodeURIComponent(userCode.toLowerCase().replace('-', ' '))}`);
  assert.is(page.status, 200);
  const text = textOf(page.text);
  assert.match(text, `Code ${userCode} App name Front counter till Device ID TILL-0042 Asked from 127.0.0.1 Time left 15 minutes`);
  assert.match(text, 'Harbourside Café (!Hb7Cf) Approve for Harbourside Café');
  assert.match(text, 'Link a new Xero organisation');
  assert.match(text, 'Deny');
  assert.not.match(text, 'already', 'a new device gets no warning');
});

connect('approving for a linked organisation: the device collects its key and GET /status works with it', async ({ proxy, browser, orgId, clock }) => {
  const { pairingId, userCode } = await pair(proxy);
  assert.is((await api(proxy, '/pair/token', { pairingId })).body['error'], 'authorization_pending');
  const page = await browser.get(`/connect?code=${userCode}`);
  assert.is(field(page.text, 'organisationId'), orgId);
  const approved = await browser.post('/connect/approve', { csrf: field(page.text, 'csrf'), code: userCode, organisationId: orgId });
  assert.is(approved.status, 200);
  assert.match(textOf(approved.text), 'Front counter till (TILL-0042) can now send to Harbourside Café. The app will receive its key automatically');
  clock.advance(6000);
  const collected = await api(proxy, '/pair/token', { pairingId });
  assert.is(collected.status, 200, JSON.stringify(collected.body));
  const status = await fetch(`${proxy.url}/api/v1/status`, { headers: { authorization: `Bearer ${collected.body['apiKey']}` } });
  assert.is(status.status, 200);
  const view = (await status.json()) as { device: { deviceId: string }; organisation: { name: string } };
  assert.equal([view.device.deviceId, view.organisation.name], ['TILL-0042', 'Harbourside Café']);
  // Approving twice is refused with a readable page that leads back.
  const again = await browser.post('/connect/approve', { csrf: field(page.text, 'csrf'), code: userCode, organisationId: orgId });
  assert.is(again.status, 409);
  assert.match(textOf(again.text), 'This pairing request was already approved.');
  assert.match(again.text, `href="/connect?code=${userCode}"`);
});

connect('a device ID that already has a key is flagged: approving replaces its key', async ({ proxy, browser, orgId, clock }) => {
  const first = await pair(proxy);
  const page = await browser.get(`/connect?code=${first.userCode}`);
  await browser.post('/connect/approve', { csrf: field(page.text, 'csrf'), code: first.userCode, organisationId: orgId });
  const oldKey = (await api(proxy, '/pair/token', { pairingId: first.pairingId })).body['apiKey'];
  clock.advance(60_000);
  const second = await pair(proxy);
  const warning = await browser.get(`/connect?code=${second.userCode}`);
  assert.match(textOf(warning.text), 'A device with this ID is already connected, to Harbourside Café. Approving gives it a new key: the old key stops working at once.');
  await browser.post('/connect/approve', { csrf: field(warning.text, 'csrf'), code: second.userCode, organisationId: orgId });
  const oldStatus = await fetch(`${proxy.url}/api/v1/status`, { headers: { authorization: `Bearer ${oldKey}` } });
  assert.is(oldStatus.status, 401);
});

connect('denying: the device is told access_denied and never gets a key', async ({ proxy, browser }) => {
  const { pairingId, userCode } = await pair(proxy);
  const page = await browser.get(`/connect?code=${userCode}`);
  const denied = await browser.post('/connect/deny', { csrf: field(page.text, 'csrf'), code: userCode });
  assert.is(denied.status, 200);
  assert.match(textOf(denied.text), 'The request from Front counter till (TILL-0042) was denied. The app is told so and gets no key.');
  const poll = await api(proxy, '/pair/token', { pairingId });
  assert.equal([poll.status, poll.body['error'], poll.body['error_description']], [400, 'access_denied', 'Denied by the administrator on the connect page.']);
});

connect('an expired, unknown or malformed code gets the form again with a clear message', async ({ proxy, browser, clock }) => {
  const { userCode } = await pair(proxy);
  clock.advance(15 * 60_000 + 1);
  const expired = await browser.get(`/connect?code=${userCode}`);
  assert.is(expired.status, 409);
  assert.match(textOf(expired.text), 'This pairing code has expired. Start the pairing again from the app.');
  assert.is(field(expired.text, 'code'), userCode, 'the typed code stays in the field');
  const unknown = await browser.get('/connect?code=BCDF-GHJK');
  assert.is(unknown.status, 404);
  assert.match(textOf(unknown.text), 'No pairing request has this code. Check the code shown by the app.');
  const malformed = await browser.get('/connect?code=<script>alert(1)</script>');
  assert.is(malformed.status, 400);
  assert.match(textOf(malformed.text), 'That is not a pairing code: codes have eight letters, like BCDF-GHJK.');
  assert.not.match(malformed.text, '<script>', 'what was typed is escaped');
});

connect('an organisation that must be linked again is not offered, and approving for it is refused', async ({ proxy, browser, orgId }) => {
  const deps = proxy.running.proxy.deps;
  markNeedsRelink(deps.db, deps.clock, [orgId], 'Xero revoked the token.');
  const { userCode } = await pair(proxy);
  const page = await browser.get(`/connect?code=${userCode}`);
  assert.match(textOf(page.text), 'No Xero organisation is linked yet.');
  const refused = await browser.post('/connect/approve', { csrf: field(page.text, 'csrf'), code: userCode, organisationId: orgId });
  assert.is(refused.status, 409);
  assert.match(textOf(refused.text), 'Harbourside Café must be linked again before devices can use it.');
  assert.is(findPairingByUserCode(deps.db, userCode)!.state, 'pending');
});

connect('the overview lists waiting apps, organisations with their state, and their devices', async ({ proxy, browser, orgId }) => {
  const first = await pair(proxy, 'TILL-1', 'Till one');
  const page = await browser.get(`/connect?code=${first.userCode}`);
  await browser.post('/connect/approve', { csrf: field(page.text, 'csrf'), code: first.userCode, organisationId: orgId });
  const waiting = await pair(proxy, 'PMS-LIC-7', 'Reception PC');
  const overview = await browser.get('/');
  assert.is(overview.status, 200);
  const text = textOf(overview.text);
  assert.match(text, `Apps waiting for approval Reception PC (PMS-LIC-7) Review ${waiting.userCode}`);
  assert.match(text, 'Harbourside Café (!Hb7Cf) Linked');
  assert.match(text, 'Till one TILL-1 Active never');
});

connect.run();
