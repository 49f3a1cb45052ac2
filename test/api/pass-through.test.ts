import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { grantRights } from '../../src/services/devices';
import { runCli } from '../helpers/cli';
import { collectKey, pairAndLink, startWorld, whileTimePasses, type LinkedWorld } from '../helpers/linked';
import { asCli } from '../helpers/actor';
import { SPACING_MARGIN } from '../../src/services/pacer';

const passThrough = suite('api.pass-through');

interface ErrorBody {
  error: { code: string; message: string };
}

/** `xero-proxy device …` run as the administrator would, beside the running proxy, on its database. */
async function deviceCommand(world: LinkedWorld, ...args: string[]): Promise<void> {
  const result = await runCli(['device', ...args], { cwd: world.proxy.dataDir, env: { XERO_PROXY_STORAGE_DATA_DIR: world.proxy.dataDir } });
  assert.is(result.code, 0, result.stderr);
}

/** The calls that reached the sandbox's Xero APIs. */
async function xeroPaths(world: LinkedWorld): Promise<string[]> {
  const { requests } = (await (await fetch(`${world.sandbox.url}/sandbox/requests?limit=100`)).json()) as { requests: Array<{ path: string }> };
  return requests.map((r) => r.path).filter((path) => /^\/(api|payroll)\.xro\//.test(path));
}

passThrough("a paired device reads reference lists but no Xero data until it is granted the right; revoke-right takes it away", async () => {
  const world = await startWorld('private', { organisationId: DEMO_ORGANISATIONS[0]!.id });
  try {
    const { pairingId } = await pairAndLink(world, 'TILL-1');
    const auth = { authorization: `Bearer ${await collectKey(world, pairingId)}`, accept: 'application/json' };
    const get = (path: string) => whileTimePasses(world, fetch(`${world.proxy.url}/api/v1${path}`, { headers: auth }));
    const employees = '/xero/payroll.xro/1.0/Employees';

    const reference = await get('/reference/accounts');
    assert.is(reference.status, 200);
    assert.ok(((await reference.json()) as { Accounts: Array<{ Code: string }> }).Accounts.some((a) => a.Code === '200'));

    const payroll = await get(employees);
    assert.is(payroll.status, 403);
    assert.equal((await payroll.json()) as ErrorBody, {
      error: {
        code: 'forbidden',
        message: "This device may not read the organisation's payroll data (employees, pay runs, timesheets) through /xero: it lacks the right payroll.read. The administrator can grant it with `xero-proxy device grant TILL-1 payroll.read`.",
      },
    });
    const accounting = await get('/xero/api.xro/2.0/Accounts');
    assert.is(accounting.status, 403);
    assert.is(((await accounting.json()) as ErrorBody).error.message, "This device may not read the organisation's accounting data through /xero: it lacks the right accounting.read. The administrator can grant it with `xero-proxy device grant TILL-1 accounting.read`.");
    assert.not.ok((await xeroPaths(world)).some((path) => path.startsWith('/payroll.xro/')), 'a refused read never reaches Xero');

    await deviceCommand(world, 'grant', 'TILL-1', 'payroll.read');
    const granted = await get(employees);
    assert.is(granted.status, 200, await granted.clone().text());
    const people = ((await granted.json()) as { Employees: Array<{ DateOfBirth?: string }> }).Employees;
    assert.ok(people.length > 0 && people.every((person) => person.DateOfBirth), 'the payroll read is Xero\'s own answer');
    assert.is((await get('/xero/api.xro/2.0/Accounts')).status, 403, 'payroll.read is not accounting.read');
    // Payroll 2.0 takes OAuth 2.0 only: refused here, before a 401 from Xero could hold the organisation.
    const before = (await xeroPaths(world)).length;
    const payroll2 = await get('/xero/payroll.xro/2.0/Employees');
    assert.is(payroll2.status, 409);
    assert.is(((await payroll2.json()) as ErrorBody).error.message, `Payroll 2.0 (payroll.xro/2.0) takes OAuth 2.0 only, and ${DEMO_ORGANISATIONS[0]!.name} is linked through an OAuth 1.0a app; link it through an OAuth 2.0 app to reach it.`);
    assert.is((await xeroPaths(world)).length, before, 'the refused call never reaches Xero');
    assert.is((await get(employees)).status, 200, 'the organisation stays linked: Payroll AU 1.0 still answers');
    const status = (await (await get('/status')).json()) as { device: { rights: string[] } };
    assert.equal(status.device.rights, ['reference', 'payroll.read'], 'GET /status tells the device its rights');

    await deviceCommand(world, 'revoke-right', 'TILL-1', 'payroll.read');
    const revoked = await get(employees);
    assert.is(revoked.status, 403);
    assert.match(((await revoked.json()) as ErrorBody).error.message, 'it lacks the right payroll.read');
  } finally {
    await world.stop();
  }
});

passThrough("reads reach the organisation's Xero API, signed; writes need the right write; other paths are refused", async () => {
  const world = await startWorld('partner');
  try {
    const { pairingId } = await pairAndLink(world, 'TILL-1');
    const key = await collectKey(world, pairingId);
    const auth = { authorization: `Bearer ${key}` };

    const token = await fetch(`${world.proxy.url}/api/v1/xero/oauth/AccessToken`, { headers: auth });
    assert.is(token.status, 400, 'a path that is neither API is refused whatever the rights');
    assert.match(((await token.json()) as ErrorBody).error.message, "Only Xero's accounting (api.xro/2.0/…) and payroll (payroll.xro/1.0/… or payroll.xro/2.0/…) APIs can be reached");

    grantRights(asCli(world.proxy.running.proxy.deps), 'TILL-1', ['accounting.read']);
    const where = encodeURIComponent('Code=="200" OR Code=="090"');
    const accounts = await fetch(`${world.proxy.url}/api/v1/xero/api.xro/2.0/Accounts?where=${where}&order=Code`, { headers: { ...auth, accept: 'application/json' } });
    assert.is(accounts.status, 200);
    assert.equal(((await accounts.json()) as { Accounts: Array<{ Code: string }> }).Accounts.map((a) => a.Code), ['090', '200']);
    // Calls to Xero are paced a second apart (and the pacer's margin), pass-through reads like every other.
    await world.advance(1 + SPACING_MARGIN);
    const xml = await fetch(`${world.proxy.url}/api/v1/xero/api.xro/2.0/Organisation`, { headers: auth });
    assert.match(xml.headers.get('content-type') ?? '', 'xml');
    assert.match(await xml.text(), '<Organisations><Organisation>');

    const write = await fetch(`${world.proxy.url}/api/v1/xero/api.xro/2.0/Contacts`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: '{"Contacts":[{"Name":"X"}]}' });
    assert.is(write.status, 403);
    assert.equal((await write.json()) as ErrorBody, {
      error: {
        code: 'forbidden',
        message:
          'This device may not change Xero data through /xero: it lacks the right write. The administrator can grant it with `xero-proxy device grant TILL-1 write`. Send documents through /invoices, /payments and the other endpoints, which cannot double them.',
      },
    });
    await deviceCommand(world, 'grant', 'TILL-1', 'write');
    await world.advance(1 + SPACING_MARGIN);
    const allowed = await fetch(`${world.proxy.url}/api/v1/xero/api.xro/2.0/Contacts`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json', accept: 'application/json' }, body: '{"Contacts":[{"Name":"Pass-through Pty Ltd"}]}' });
    assert.is(allowed.status, 200, await allowed.clone().text());

    const log = (await (await fetch(`${world.sandbox.url}/sandbox/requests?limit=20`)).json()) as { requests: Array<{ status: number }> };
    assert.not.ok(log.requests.some((r) => r.status === 401), 'every pass-through call was signed correctly');
  } finally {
    await world.stop();
  }
});

passThrough.run();
