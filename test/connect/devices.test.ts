import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { startLink } from '../../src/services/linking';
import { startPairing } from '../../src/services/pairing';
import { findDeviceByDeviceId } from '../../src/store/devices';
import { listOrganisations, upsertLinkedOrganisation } from '../../src/store/organisations';
import { runCli } from '../helpers/cli';
import { startWorld, type LinkedWorld } from '../helpers/linked';
import { Browser, field, givenAdminPassword, textOf } from '../helpers/web';
import { asCli } from '../helpers/actor';

const CAFE = DEMO_ORGANISATIONS[0]!;

interface Context {
  world: LinkedWorld;
  browser: Browser;
  /** Our id of the linked organisation. */
  orgId: string;
}

const devices = suite<Context>('connect.devices');

devices.before.each(async (context) => {
  context.world = await startWorld('private', { organisationId: CAFE.id, publicUrlIsSelf: true });
  const { deps } = context.world.proxy.running.proxy;
  const linked = await startLink(asCli(deps), {});
  assert.is(linked.kind, 'linked');
  context.orgId = listOrganisations(deps.db)[0]!.id;
  await givenAdminPassword(deps);
  context.browser = new Browser(context.world.proxy.url);
  assert.is((await context.browser.signIn()).status, 303);
});
devices.after.each(async ({ world }) => world.stop());

/** Posts a form found on `path`, with that page's CSRF token. */
async function submit(browser: Browser, path: string, action: string, form: Record<string, string>) {
  const from = await browser.get(path);
  assert.is(from.status, 200, from.text.slice(0, 500));
  return browser.post(action, { csrf: field(from.text, 'csrf'), ...form });
}

const status = (world: LinkedWorld, key: string) => fetch(`${world.proxy.url}/api/v1/status`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);

devices('a device added on /devices gets a key, shown once and never in a URL, that works on GET /api/v1/status; revoked on the page, it gets 401', async ({ world, browser, orgId }) => {
  const added = await submit(browser, '/devices', '/devices', { deviceId: 'TILL-0042', name: 'Front counter till', organisation: orgId, 'right-reference': 'yes' });
  assert.is(added.status, 303);
  assert.is(added.location, '/devices/TILL-0042/key');
  const shown = await browser.get(added.location!);
  assert.is(shown.status, 200);
  assert.is(shown.headers.get('cache-control'), 'no-store', 'the key page is never cached');
  const key = /id="api-key"[^>]*value="(xpk_[^"]+)"/.exec(shown.text)?.[1] ?? /value="(xpk_[^"]+)"[^>]*id="api-key"/.exec(shown.text)?.[1];
  assert.ok(key, shown.text.slice(0, 3000));
  assert.match(textOf(shown.text), 'Front counter till (TILL-0042) can now send to Xero with this key. It is shown only this once');
  assert.match(shown.text, /<script src="\/assets\/copy.js" defer(="")?><\/script>/);
  assert.match(shown.text, /<button type="button" data-copy="api-key" hidden="">Copy<\/button>/);

  const again = await browser.get(added.location!);
  assert.not.match(again.text, key!, 'the key is shown once');
  assert.match(textOf(again.text), 'The key for Front counter till was shown once and is not kept, so it cannot be shown again.');

  assert.is(await status(world, key!), 200);
  const list = textOf((await browser.get('/devices')).text);
  assert.match(list, /Front counter till TILL-0042 Harbourside Café Active Pick lists just now \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\) (::ffff:)?127\.0\.0\.1/);

  const confirm = await browser.get('/devices/TILL-0042/revoke');
  assert.match(textOf(confirm.text), 'Revoke Front counter till? Its key stops working at once');
  const revoked = await browser.post('/devices/TILL-0042/revoke', { csrf: field(confirm.text, 'csrf') });
  assert.is(revoked.status, 303);
  assert.is(revoked.location, '/devices?done=revoked&device=Front%20counter%20till');
  assert.match(textOf((await browser.get(revoked.location!)).text), 'Front counter till is revoked: its key no longer works.');
  assert.is(await status(world, key!), 401);
});

devices('rights given and taken away on the page show in `device list --json`', async ({ world, browser, orgId }) => {
  assert.is((await submit(browser, '/devices', '/devices', { deviceId: 'PMS-LIC-7781', name: 'Reception PC', organisation: orgId })).status, 303);
  const cli = async () => {
    const listed = await runCli(['device', 'list', '--json'], { cwd: world.proxy.dataDir, env: { XERO_PROXY_STORAGE_DATA_DIR: world.proxy.dataDir } });
    assert.is(listed.code, 0, listed.stderr);
    return (JSON.parse(listed.stdout) as { devices: Array<{ deviceId: string; rights: string[] }> }).devices.find((d) => d.deviceId === 'PMS-LIC-7781')!.rights;
  };
  assert.equal(await cli(), [], 'no box ticked: no extra rights');

  const given = await submit(browser, '/devices/PMS-LIC-7781', '/devices/PMS-LIC-7781/rights', { right: 'write', change: 'give' });
  assert.is(given.location, '/devices/PMS-LIC-7781?done=rights');
  await submit(browser, '/devices/PMS-LIC-7781', '/devices/PMS-LIC-7781/rights', { right: 'payroll.read', change: 'give' });
  assert.equal(await cli(), ['payroll.read', 'write']);
  const page = textOf((await browser.get(given.location!)).text);
  assert.match(page, 'The rights of Reception PC are changed.');
  assert.match(page, /Change Xero data directly .* Has it Take away “Change Xero data directly”/);

  await submit(browser, '/devices/PMS-LIC-7781', '/devices/PMS-LIC-7781/rights', { right: 'write', change: 'take' });
  assert.equal(await cli(), ['payroll.read']);

  const unknown = await submit(browser, '/devices/PMS-LIC-7781', '/devices/PMS-LIC-7781/rights', { right: 'payroll', change: 'give' });
  assert.is(unknown.status, 400);
  assert.match(textOf(unknown.text), "Unknown right 'payroll'; rights are reference, accounting.read, payroll.read, write.");
  assert.equal(await cli(), ['payroll.read'], 'nothing changed');
});

devices('rename and move on the page, and `device rename` and `device move` on the command line, change the same device', async ({ world, browser, orgId }) => {
  const { deps } = world.proxy.running.proxy;
  const other = upsertLinkedOrganisation(deps.db, deps.clock, { xeroOrganisationId: 'x-kauri', name: 'Kauri Hardware', shortCode: '!Kr9Hw', countryCode: 'NZ', baseCurrency: 'NZD', appType: 'private' }, null);
  assert.is((await submit(browser, '/devices', '/devices', { deviceId: 'TILL-1', name: 'Till one', organisation: orgId, 'right-reference': 'yes' })).status, 303);

  const renamed = await submit(browser, '/devices/TILL-1', '/devices/TILL-1/name', { name: 'Bar till' });
  assert.is(renamed.location, '/devices/TILL-1?done=renamed');
  assert.match(textOf((await browser.get(renamed.location!)).text), 'The device is now called Bar till.');
  const moved = await submit(browser, '/devices/TILL-1', '/devices/TILL-1/organisation', { organisation: other.id });
  assert.is(moved.location, '/devices/TILL-1?done=moved');
  assert.equal([findDeviceByDeviceId(deps.db, 'TILL-1')!.name, findDeviceByDeviceId(deps.db, 'TILL-1')!.organisationId], ['Bar till', other.id]);

  const env = { XERO_PROXY_STORAGE_DATA_DIR: world.proxy.dataDir };
  const cliRename = await runCli(['device', 'rename', 'TILL-1', 'Courtyard till'], { cwd: world.proxy.dataDir, env });
  assert.is(cliRename.code, 0, cliRename.stderr);
  assert.is(cliRename.stdout.trim(), 'TILL-1 is now called "Courtyard till".');
  const cliMove = await runCli(['device', 'move', 'TILL-1', '--org', CAFE.shortCode, '--json'], { cwd: world.proxy.dataDir, env });
  assert.is(cliMove.code, 0, cliMove.stderr);
  assert.equal(JSON.parse(cliMove.stdout), { deviceId: 'TILL-1', organisationId: orgId, organisation: CAFE.name });
  assert.match(textOf((await browser.get('/devices')).text), `Courtyard till TILL-1 ${CAFE.name} Active`);

  const blank = await submit(browser, '/devices/TILL-1', '/devices/TILL-1/name', { name: '   ' });
  assert.is(blank.status, 400);
  assert.match(textOf(blank.text), 'name: must be 1 to 100 printable characters.');
});

devices('adding a device whose id is in use is refused beside the form, keeping what was typed, and its key still works', async ({ world, browser, orgId }) => {
  await submit(browser, '/devices', '/devices', { deviceId: 'TILL-1', name: 'Till one', organisation: orgId });
  const key = /value="(xpk_[^"]+)"/.exec((await browser.get('/devices/TILL-1/key')).text)![1]!;
  const again = await submit(browser, '/devices', '/devices', { deviceId: 'TILL-1', name: 'Another till', organisation: orgId, 'right-write': 'yes' });
  assert.is(again.status, 409);
  const text = textOf(again.text);
  assert.match(text, 'A device with the id "TILL-1" exists already (Till one). Open it from the list to issue it a new key, or choose another id.');
  assert.match(again.text, 'value="Another till"');
  assert.match(again.text, /id="add-right-write" name="right-write" value="yes" checked=""/);
  assert.is(await status(world, key), 200);

  const bad = await submit(browser, '/devices', '/devices', { deviceId: 'till one', name: '', organisation: orgId });
  assert.is(bad.status, 400);
  assert.match(textOf(bad.text), 'deviceId: must be 1 to 128 letters, digits or . _ : @ - (a device, hardware or licence id).');
});

devices('a new key issued on the page replaces the old one at once and is shown once', async ({ world, browser, orgId }) => {
  await submit(browser, '/devices', '/devices', { deviceId: 'TILL-1', name: 'Till one', organisation: orgId });
  const first = /value="(xpk_[^"]+)"/.exec((await browser.get('/devices/TILL-1/key')).text)![1]!;
  const rotated = await submit(browser, '/devices/TILL-1', '/devices/TILL-1/key', {});
  assert.is(rotated.location, '/devices/TILL-1/key');
  const second = /value="(xpk_[^"]+)"/.exec((await browser.get(rotated.location!)).text)![1]!;
  assert.is.not(second, first);
  assert.is(await status(world, first), 401);
  assert.is(await status(world, second), 200);
});

devices('a pairing request waiting is listed with its review link, and Refuse clears it', async ({ world, browser }) => {
  const { deps } = world.proxy.running.proxy;
  const pairing = startPairing(deps, { deviceId: 'TILL-9', name: 'Pop-up till', sourceAddress: '192.0.2.7' });
  const list = await browser.get('/devices');
  assert.match(textOf(list.text), `Pop-up till (TILL-9) ${pairing.userCode} 192.0.2.7`);
  assert.match(list.text, `href="/connect?code=${pairing.userCode}"`);
  const cleared = await browser.post('/devices/pairings/clear', { csrf: field(list.text, 'csrf'), code: pairing.userCode });
  assert.is(cleared.location, `/devices?done=cleared&code=${pairing.userCode}`);
  const after = textOf((await browser.get(cleared.location!)).text);
  assert.match(after, `The request ${pairing.userCode} was refused`);
  assert.match(after, 'No app is waiting.');
});

devices('a form posted without the page\'s CSRF token changes nothing', async ({ world, browser, orgId }) => {
  const refused = await browser.post('/devices', { csrf: 'forged', deviceId: 'TILL-X', organisation: orgId });
  assert.is(refused.status, 403);
  assert.match(textOf(refused.text), 'This form is out of date or did not come from this proxy, so nothing was changed.');
  assert.is(findDeviceByDeviceId(world.proxy.running.proxy.deps.db, 'TILL-X'), undefined);
  const signedOut = new Browser(world.proxy.url);
  const page = await signedOut.get('/devices');
  assert.is(page.status, 303);
  assert.is(page.location, '/login?next=%2Fdevices');
});

devices.run();
