import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { collectKey, pairAndLink, startWorld } from '../helpers/linked';

const passThrough = suite('api.pass-through');

passThrough('reads reach the organisation\'s Xero API, signed; writes need the right; other paths are refused', async () => {
  const world = await startWorld('partner');
  try {
    const { pairingId } = await pairAndLink(world, 'TILL-1');
    const key = await collectKey(world, pairingId);
    const auth = { authorization: `Bearer ${key}` };
    const where = encodeURIComponent('Code=="200" OR Code=="090"');
    const accounts = await fetch(`${world.proxy.url}/api/v1/xero/api.xro/2.0/Accounts?where=${where}&order=Code`, { headers: { ...auth, accept: 'application/json' } });
    assert.is(accounts.status, 200);
    assert.equal(((await accounts.json()) as { Accounts: Array<{ Code: string }> }).Accounts.map((a) => a.Code), ['090', '200']);
    // Calls to Xero are paced a second apart, pass-through reads like every other.
    await world.advance(1);
    const xml = await fetch(`${world.proxy.url}/api/v1/xero/api.xro/2.0/Organisation`, { headers: auth });
    assert.match(xml.headers.get('content-type') ?? '', 'xml');
    assert.match(await xml.text(), '<Organisations><Organisation>');

    const write = await fetch(`${world.proxy.url}/api/v1/xero/api.xro/2.0/Contacts`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: '{"Contacts":[{"Name":"X"}]}' });
    assert.is(write.status, 403);
    assert.match(((await write.json()) as { error: { message: string } }).error.message, 'This device may only read through /xero');
    world.proxy.running.proxy.db.prepare('UPDATE devices SET can_write_passthrough = 1').run();
    await world.advance(1);
    const allowed = await fetch(`${world.proxy.url}/api/v1/xero/api.xro/2.0/Contacts`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json', accept: 'application/json' }, body: '{"Contacts":[{"Name":"Pass-through Pty Ltd"}]}' });
    assert.is(allowed.status, 200, await allowed.clone().text());

    const token = await fetch(`${world.proxy.url}/api/v1/xero/oauth/AccessToken`, { headers: auth });
    assert.is(token.status, 400);
    assert.match(((await token.json()) as { error: { message: string } }).error.message, "Only Xero's accounting (api.xro/2.0/…) and payroll (payroll.xro/1.0/…) APIs can be reached");
    const log = (await (await fetch(`${world.sandbox.url}/sandbox/requests?limit=20`)).json()) as { requests: Array<{ status: number }> };
    assert.not.ok(log.requests.some((r) => r.status === 401), 'every pass-through call was signed correctly');
  } finally {
    await world.stop();
  }
});

passThrough.run();
