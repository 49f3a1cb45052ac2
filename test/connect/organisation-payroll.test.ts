import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { startLink } from '../../src/services/linking';
import { pairAndGrant, startGrantWorld, type GrantWorld } from '../helpers/grant-world';
import { listAuditRecords } from '../../src/store/audit';
import { findPayrollApiSetting } from '../../src/store/organisation-payroll';
import { listOrganisations } from '../../src/store/organisations';
import { runCli } from '../helpers/cli';
import { startWorld } from '../helpers/linked';
import { Browser, field, givenAdminPassword, textOf } from '../helpers/web';
import { asCli } from '../helpers/actor';

const CAFE = DEMO_ORGANISATIONS[0]!;

const payroll = suite('connect.organisation-payroll');

/** The café linked through an OAuth 2.0 app, an administrator signed in. */
async function grantWorld(): Promise<{ world: GrantWorld; browser: Browser; orgId: string }> {
  const world = await startGrantWorld('oauth2');
  const { chosen } = await pairAndGrant(world, 'CAFE-ROSTER', [CAFE.id], CAFE.id);
  await givenAdminPassword(world.proxy.running.proxy.deps);
  const browser = new Browser(world.proxy.url);
  assert.is((await browser.signIn()).status, 303);
  return { world, browser, orgId: chosen.id };
}

payroll("an Australian organisation's payroll API is chosen on the organisations page, audited once, and `org payroll` reads the same", async () => {
  const { world, browser, orgId } = await grantWorld();
  try {
    const before = await browser.get('/organisations');
    assert.match(textOf(before.text), 'Payroll API Timesheets go to Payroll AU (payroll.xro/1.0) Payroll 2.0 (payroll.xro/2.0)');
    assert.match(before.text, '<option value="1.0" selected="">Payroll AU (payroll.xro/1.0)</option>');
    const saved = await browser.post(`/organisations/${orgId}/payroll`, { csrf: field(before.text, 'csrf'), api: '2.0' });
    assert.is(saved.status, 303);
    assert.is(saved.location, `/organisations?done=payroll&org=${orgId}&api=2.0&rebuilt=0`);
    const after = await browser.get(saved.location!);
    assert.match(textOf(after.text), `${CAFE.name}'s timesheets now go to Payroll 2.0 (payroll.xro/2.0).`);
    assert.match(after.text, '<option value="2.0" selected="">Payroll 2.0 (payroll.xro/2.0)</option>');
    const { deps } = world.proxy.running.proxy;
    assert.is(findPayrollApiSetting(deps.db, orgId), '2.0');
    // Saving the same again changes nothing and records nothing.
    await browser.post(`/organisations/${orgId}/payroll`, { csrf: field(after.text, 'csrf'), api: '2.0' });
    const audit = listAuditRecords(deps.db, { action: 'organisation.payroll_api_changed', limit: 10 });
    assert.equal(audit.map((entry) => [entry.actor, entry.subject, entry.changes]), [['admin:admin', CAFE.name, { payrollApi: { from: '1.0', to: '2.0' }, timesheetsRebuilt: 0 }]]);

    const refused = await browser.post(`/organisations/${orgId}/payroll`, { csrf: field(after.text, 'csrf'), api: '3.0' });
    assert.is(refused.status, 400);
    assert.match(textOf(refused.text), 'api: must be 1.0 (Payroll AU) or 2.0 (Payroll 2.0), not "3.0".');
    assert.is(findPayrollApiSetting(deps.db, orgId), '2.0');

    const shown = await runCli(['org', 'payroll', CAFE.shortCode, '--json'], { cwd: world.proxy.dataDir, env: world.env });
    assert.is(shown.code, 0, shown.stderr);
    assert.equal(JSON.parse(shown.stdout), { id: orgId, name: CAFE.name, payrollApi: '2.0' });
    const back = await runCli(['org', 'payroll', CAFE.shortCode, '1.0'], { cwd: world.proxy.dataDir, env: world.env });
    assert.is(back.code, 0, back.stderr);
    assert.match(back.stdout, `${CAFE.name}'s timesheets now go to Payroll AU (payroll.xro/1.0).`);
    const wrong = await runCli(['org', 'payroll', CAFE.shortCode, '2'], { cwd: world.proxy.dataDir, env: world.env });
    assert.is(wrong.code, 2);
    assert.match(wrong.stderr, 'api: must be 1.0 (Payroll AU) or 2.0 (Payroll 2.0), not "2".');
  } finally {
    await world.stop();
  }
});

payroll('an organisation linked through OAuth 1.0a stays on Payroll AU 1.0: Payroll 2.0 takes OAuth 2.0 only, and the page says so', async () => {
  const world = await startWorld('private', { organisationId: CAFE.id, publicUrlIsSelf: true });
  try {
    const { deps } = world.proxy.running.proxy;
    assert.is((await startLink(asCli(deps), {})).kind, 'linked');
    const orgId = listOrganisations(deps.db)[0]!.id;
    await givenAdminPassword(deps);
    const browser = new Browser(world.proxy.url);
    assert.is((await browser.signIn()).status, 303);
    const page = await browser.get('/organisations');
    const refused = await browser.post(`/organisations/${orgId}/payroll`, { csrf: field(page.text, 'csrf'), api: '2.0' });
    assert.is(refused.status, 400);
    assert.match(textOf(refused.text), `${CAFE.name} cannot send timesheets to Payroll 2.0: it takes OAuth 2.0 only, and ${CAFE.name} is linked through an OAuth 1.0a app. Link it through an OAuth 2.0 app first.`);
    assert.is(findPayrollApiSetting(deps.db, orgId), undefined);
    const env = { XERO_PROXY_STORAGE_DATA_DIR: world.proxy.dataDir, XERO_PROXY_XERO_APP_TYPE: 'private', XERO_PROXY_XERO_API_URL: world.sandbox.url, XERO_PROXY_XERO_CONSUMER_KEY: world.app.consumerKey };
    const cli = await runCli(['org', 'payroll', CAFE.shortCode, '2.0'], { cwd: world.proxy.dataDir, env });
    assert.is(cli.code, 2);
    assert.match(cli.stderr, 'it takes OAuth 2.0 only');
  } finally {
    await world.stop();
  }
});

payroll.run();
