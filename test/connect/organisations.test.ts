import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { addDevice } from '../../src/services/devices';
import { startLink } from '../../src/services/linking';
import { findOrganisation, listOrganisations } from '../../src/store/organisations';
import { runCli } from '../helpers/cli';
import { startWorld, type LinkedWorld } from '../helpers/linked';
import { Browser, field, givenAdminPassword, textOf } from '../helpers/web';
import { asCli } from '../helpers/actor';

const CAFE = DEMO_ORGANISATIONS[0]!;

interface Context {
  world: LinkedWorld;
  browser: Browser;
  orgId: string;
}

const organisations = suite<Context>('connect.organisations');

organisations.before.each(async (context) => {
  context.world = await startWorld('private', { organisationId: CAFE.id, publicUrlIsSelf: true });
  const { deps } = context.world.proxy.running.proxy;
  assert.is((await startLink(asCli(deps), {})).kind, 'linked');
  context.orgId = listOrganisations(deps.db)[0]!.id;
  await givenAdminPassword(deps);
  context.browser = new Browser(context.world.proxy.url);
  assert.is((await context.browser.signIn()).status, 303);
});
organisations.after.each(async ({ world }) => world.stop());

const setPlan = (world: LinkedWorld, plan: Record<string, unknown>) =>
  fetch(`${world.sandbox.url}/sandbox/organisations/${CAFE.id}/plan`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(plan) }).then((r) => assert.is(r.status, 200));

const sendInvoice = (world: LinkedWorld, key: string, documentId: string) =>
  fetch(`${world.proxy.url}/api/v1/invoices`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ Invoices: [{ DocumentId: documentId, Type: 'ACCREC', Contact: { Name: 'Walk-in customer' }, Date: '2026-11-28', LineAmountTypes: 'Inclusive', Status: 'AUTHORISED', LineItems: [{ Description: 'Flat white', Quantity: 1, UnitAmount: 4.5, AccountCode: '200', TaxType: 'OUTPUT' }] }] }),
  });

organisations('the page shows each organisation with its link state, app type, Xero id, devices and waiting documents', async ({ world, browser, orgId }) => {
  const { deps } = world.proxy.running.proxy;
  const { apiKey } = addDevice(asCli(deps), { deviceId: 'TILL-1', name: 'Front counter till', organisation: orgId });
  assert.is((await sendInvoice(world, apiKey, 'S-1')).status, 202);
  const page = await browser.get('/organisations');
  assert.is(page.status, 200);
  const text = textOf(page.text);
  assert.match(text, `${CAFE.name} (${CAFE.shortCode}) Linked`);
  assert.match(text, `Xero app OAuth 1.0a private app Plan Standard Edition Business Xero organisation ID ${CAFE.id}`);
  assert.match(text, 'Access token ends Never (a private app signs each call)');
  assert.match(text, 'Lock dates None set in Xero (read from Xero', 'the lock dates read at linking are shown');
  assert.match(text, 'Documents waiting 1 queued, 0 sending, 0 held Devices Front counter till');
  assert.match(page.text, '<button type="submit" class="primary">Link a new organisation</button>');
  assert.match(page.text, `action="/organisations/${orgId}/refresh"`);
});

organisations('Refresh from Xero reads a capped plan and a Partner edition, and the page warns what they limit; `org refresh` reads the same', async ({ world, browser, orgId }) => {
  await setPlan(world, { class: 'STARTER', edition: 'PARTNER', approvedInvoicesPerMonth: 20 });
  const before = await browser.get('/organisations');
  const refreshed = await browser.post(`/organisations/${orgId}/refresh`, { csrf: field(before.text, 'csrf') });
  assert.is(refreshed.status, 303);
  assert.is(refreshed.location, `/organisations?done=refreshed&org=${orgId}`);
  const text = textOf((await browser.get(refreshed.location!)).text);
  assert.match(text, `${CAFE.name} is linked and answers; its details, plan and edition are read from Xero again.`);
  assert.match(text, "This organisation is on Xero's Starter plan, which approves at most 20 sales invoices a month, counting those from every app. Send one end-of-shift summary (POST /api/v1/pos/shifts) instead of an invoice per sale");
  assert.match(text, 'This organisation is a Xero Partner edition (set up through an accountant), which Xero describes as having no access to invoicing.');
  assert.match(text, 'Plan Starter Edition Partner');
  const stored = findOrganisation(world.proxy.running.proxy.deps.db, orgId)!;
  assert.equal([stored.planClass, stored.edition], ['STARTER', 'PARTNER']);

  await setPlan(world, { class: 'GST_CASHBOOK', edition: 'BUSINESS' });
  const env = { XERO_PROXY_STORAGE_DATA_DIR: world.proxy.dataDir, XERO_PROXY_XERO_APP_TYPE: 'private', XERO_PROXY_XERO_API_URL: world.sandbox.url, XERO_PROXY_XERO_CONSUMER_KEY: world.app.consumerKey };
  const cli = await runCli(['org', 'refresh', CAFE.shortCode, '--json'], { cwd: world.proxy.dataDir, env });
  assert.is(cli.code, 0, cli.stderr);
  const answer = JSON.parse(cli.stdout) as { planClass: string; edition: string; warnings: string[] };
  assert.equal([answer.planClass, answer.edition], ['GST_CASHBOOK', 'BUSINESS']);
  assert.equal(answer.warnings, ["This organisation is on Xero's Cashbook plan, which does not take invoices from apps: Xero will refuse every invoice and shift sent to it. Move it to a plan with invoicing in Xero."]);
  const after = textOf((await browser.get('/organisations')).text);
  assert.match(after, 'Plan GST Cashbook Edition Business');
  assert.not.match(after, 'Partner edition');
});

organisations('Disconnect asks first, saying what happens to the waiting documents and the devices; then the organisation is disconnected and can be linked again', async ({ world, browser, orgId }) => {
  const { deps } = world.proxy.running.proxy;
  const { apiKey } = addDevice(asCli(deps), { deviceId: 'TILL-1', name: 'Front counter till', organisation: orgId });
  assert.is((await sendInvoice(world, apiKey, 'S-1')).status, 202);
  assert.is((await sendInvoice(world, apiKey, 'S-2')).status, 202);

  const confirm = await browser.get(`/organisations/${orgId}/disconnect`);
  assert.is(confirm.status, 200);
  const text = textOf(confirm.text);
  assert.match(text, `Disconnect ${CAFE.name}? The proxy forgets its credentials for ${CAFE.name}. Also remove the app in Xero (Settings > Connected apps).`);
  assert.match(text, `2 documents waiting to go to it are kept and held: nothing is sent until ${CAFE.name} is linked again, then they go as usual.`);
  assert.match(text, `1 device (Front counter till) keep their keys, but new documents they send are refused until ${CAFE.name} is linked again.`);
  assert.is(findOrganisation(deps.db, orgId)!.linkState, 'linked', 'opening the confirmation changes nothing');

  const done = await browser.post(`/organisations/${orgId}/disconnect`, { csrf: field(confirm.text, 'csrf') });
  assert.is(done.status, 303);
  assert.is(done.location, `/organisations?done=disconnected&org=${orgId}&xero=not_applicable`);
  const after = await browser.get(done.location!);
  const afterText = textOf(after.text);
  assert.match(afterText, `${CAFE.name} is disconnected and its credentials are forgotten. Remove the app in Xero too (Settings > Connected apps).`);
  assert.match(afterText, `${CAFE.name} (${CAFE.shortCode}) Disconnected — Disconnected by the administrator.`);
  assert.match(afterText, '2 documents wait for this organisation and will go to Xero once it is linked again.');
  assert.match(after.text, `Link ${CAFE.name} again</button>`);

  const refused = await sendInvoice(world, apiKey, 'S-3');
  assert.is(refused.status, 409);
  assert.match(JSON.stringify(await refused.json()), "This device's organisation was disconnected; it must be linked again before documents are accepted.");
  assert.is((await browser.get(`/organisations/${orgId}/disconnect`)).status, 409, 'a disconnected organisation cannot be disconnected again');

  const relinked = await browser.post('/connect/link', { csrf: field(after.text, 'csrf') });
  assert.is(relinked.status, 200);
  assert.match(textOf(relinked.text), CAFE.name);
  assert.is(findOrganisation(deps.db, orgId)!.linkState, 'linked');
  assert.is((await sendInvoice(world, apiKey, 'S-3')).status, 202);
});

organisations.run();
