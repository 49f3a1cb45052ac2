import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/lib/clock';
import { approvePairing, denyPairing } from '../../src/services/pairing';
import { upsertLinkedOrganisation } from '../../src/store/organisations';
import { startTestProxy, type TestProxy } from '../helpers/proxy';

const pairing = suite<{ proxy: TestProxy; clock: ManualClock; orgId: string }>('api.pairing');

pairing.before.each(async (context) => {
  context.clock = new ManualClock('2026-03-02T09:00:00Z');
  context.proxy = await startTestProxy({ clock: context.clock, env: { XERO_PROXY_SERVER_PUBLIC_URL: 'https://proxy.shop.example' } });
  const deps = context.proxy.running.proxy.deps;
  context.orgId = upsertLinkedOrganisation(deps.db, deps.clock, { xeroOrganisationId: 'xero-org-1', name: 'Harbourside Café', shortCode: '!Hb7Cf', countryCode: 'AU', baseCurrency: 'AUD', appType: 'private' }, null).id;
});
pairing.after.each(async ({ proxy }) => proxy.stop());

const post = (proxy: TestProxy, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${proxy.url}/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

pairing('a device starts a pairing and gets a code, the connect URL, expiry and interval', async ({ proxy }) => {
  const response = await post(proxy, '/pair', { deviceId: 'TILL-0042', name: 'Front counter till' });
  assert.is(response.status, 200);
  const body = (await response.json()) as Record<string, unknown>;
  assert.match(String(body['userCode']), /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
  assert.match(String(body['pairingId']), /^pair_[A-Za-z0-9_-]{43}$/);
  assert.is(body['verificationUri'], 'https://proxy.shop.example/connect');
  assert.is(body['verificationUriComplete'], `https://proxy.shop.example/connect?code=${body['userCode']}`);
  assert.equal([body['expiresIn'], body['interval']], [900, 5]);
});

pairing('polling says pending, slow_down when too fast, then hands the key over exactly once', async ({ proxy, clock, orgId }) => {
  const started = (await (await post(proxy, '/pair', { deviceId: 'TILL-0042', name: 'Till' })).json()) as { pairingId: string; userCode: string };
  const poll = async () => {
    const response = await post(proxy, '/pair/token', { pairingId: started.pairingId });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const first = await poll();
  assert.equal([first.status, first.body['error']], [400, 'authorization_pending']);
  const fast = await poll();
  assert.equal([fast.body['error'], fast.body['interval']], ['slow_down', 10]);
  approvePairing(proxy.running.proxy.deps, started.userCode.toLowerCase().replace('-', ' '), orgId);
  clock.advance(11_000);
  const approved = await poll();
  assert.is(approved.status, 200);
  assert.match(String(approved.body['apiKey']), /^xpk_/);
  assert.equal(approved.body['organisation'], { id: orgId, name: 'Harbourside Café' });
  const again = await poll();
  assert.equal([again.status, again.body['error']], [400, 'invalid_grant']);
  assert.is(again.body['error_description'], 'The key for this pairing was already collected; it is never shown twice.');

  const status = await fetch(`${proxy.url}/api/v1/status`, { headers: { authorization: `Bearer ${approved.body['apiKey']}` } });
  assert.is(status.status, 200);
  const view = (await status.json()) as { device: { deviceId: string }; organisation: { name: string; linkState: string } };
  assert.equal([view.device.deviceId, view.organisation.name, view.organisation.linkState], ['TILL-0042', 'Harbourside Café', 'linked']);
});

pairing('a denied or expired pairing never yields a key', async ({ proxy, clock, orgId }) => {
  const denied = (await (await post(proxy, '/pair', { deviceId: 'TILL-1' })).json()) as { pairingId: string; userCode: string };
  denyPairing(proxy.running.proxy.deps, denied.userCode, 'Denied by the administrator.');
  const deniedPoll = (await (await post(proxy, '/pair/token', { pairingId: denied.pairingId })).json()) as Record<string, unknown>;
  assert.equal([deniedPoll['error'], deniedPoll['error_description']], ['access_denied', 'Denied by the administrator.']);
  assert.throws(() => approvePairing(proxy.running.proxy.deps, denied.userCode, orgId), /already denied/);

  const late = (await (await post(proxy, '/pair', { deviceId: 'TILL-2' })).json()) as { pairingId: string; userCode: string };
  clock.advance(15 * 60_000 + 1);
  assert.throws(() => approvePairing(proxy.running.proxy.deps, late.userCode, orgId), /This pairing code has expired/);
  const latePoll = (await (await post(proxy, '/pair/token', { pairingId: late.pairingId })).json()) as Record<string, unknown>;
  assert.is(latePoll['error'], 'expired_token');
});

pairing('malformed pairing requests get a 400 naming the field, and store nothing', async ({ proxy }) => {
  const cases: Array<[unknown, number, string]> = [
    [{ name: 'no id' }, 400, 'deviceId: must be 1 to 128 letters, digits or . _ : @ - (a device, hardware or licence id).'],
    [{ deviceId: 'has space' }, 400, 'deviceId: must be 1 to 128 letters, digits or . _ : @ - (a device, hardware or licence id).'],
    [{ deviceId: 'X'.repeat(129) }, 400, 'deviceId: must be 1 to 128 letters, digits or . _ : @ - (a device, hardware or licence id).'],
    [{ deviceId: 'TILL-9', name: 'bad\u0007name' }, 400, 'name: must be 1 to 100 printable characters.'],
    ['{"deviceId":', 400, 'The JSON body is not valid'],
    ['[1,2]', 400, 'The JSON body must be an object.'],
  ];
  for (const [body, status, message] of cases) {
    const response = await post(proxy, '/pair', body);
    assert.is(response.status, status);
    assert.match(((await response.json()) as { error: { message: string } }).error.message, message);
  }
  const wrongType = await fetch(`${proxy.url}/api/v1/pair`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'deviceId=x' });
  assert.is(wrongType.status, 400);
  const count = proxy.running.proxy.db.prepare('SELECT count(*) FROM pairings').pluck().get();
  assert.is(count, 0);
});

pairing('XML in, XML out', async ({ proxy }) => {
  const response = await fetch(`${proxy.url}/api/v1/pair`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<PairingRequest><deviceId>PMS-7</deviceId><name>Reception PC</name></PairingRequest>' });
  assert.is(response.status, 200);
  const text = await response.text();
  assert.match(text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Pairing><pairingId>pair_/);
  const hostile = await fetch(`${proxy.url}/api/v1/pair`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><PairingRequest><deviceId>&e;</deviceId></PairingRequest>' });
  assert.is(hostile.status, 400);
  assert.match(await hostile.text(), '<message>XML line 1: a DOCTYPE is not allowed.</message>');
});

pairing('pairing requests are limited per address per hour', async ({ proxy }) => {
  for (let i = 0; i < 10; i++) assert.is((await post(proxy, '/pair', { deviceId: `TILL-${i}` })).status, 200);
  const limited = await post(proxy, '/pair', { deviceId: 'TILL-11' });
  assert.is(limited.status, 429);
  assert.match(((await limited.json()) as { error: { message: string } }).error.message, 'Too many pairing requests from 127.0.0.1 in the last hour');
});

pairing('unknown, malformed and revoked keys get the same clear 401', async ({ proxy }) => {
  for (const header of [undefined, 'Bearer nonsense', 'Bearer xpk_0123456789_' + 'A'.repeat(43)]) {
    const response = await fetch(`${proxy.url}/api/v1/status`, { headers: header ? { authorization: header } : {} });
    assert.is(response.status, 401);
    assert.is(response.headers.get('www-authenticate'), 'Bearer realm="xero-proxy"');
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.is(body.error.code, 'unauthorized');
  }
  const xml = await fetch(`${proxy.url}/api/v1/status`, { headers: { accept: 'application/xml', authorization: 'Bearer nope' } });
  assert.match(await xml.text(), '<Error><error><code>unauthorized</code><message>The device API key is not valid: it is unknown, mistyped or revoked.</message>');
});

pairing.run();
