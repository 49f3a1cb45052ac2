import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/lib/clock';
import { approvePairing, denyPairing } from '../../src/services/pairing';
import { upsertLinkedOrganisation } from '../../src/store/organisations';
import { fetchFrom } from '../helpers/from-address';
import { startTestProxy, type TestProxy } from '../helpers/proxy';
import { asCli } from '../helpers/actor';

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
/** Starts a pairing from another loopback address (127.0.0.2 …), which the proxy sees as another client. */
const pairFrom = (proxy: TestProxy, address: string, deviceId: string) =>
  fetchFrom(address, `${proxy.url}/api/v1/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId }) });
const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string; hint?: string } }).error;

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
  approvePairing(asCli(proxy.running.proxy.deps), started.userCode.toLowerCase().replace('-', ' '), orgId);
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
  denyPairing(asCli(proxy.running.proxy.deps), denied.userCode, 'Denied by the administrator.');
  const deniedPoll = (await (await post(proxy, '/pair/token', { pairingId: denied.pairingId })).json()) as Record<string, unknown>;
  assert.equal([deniedPoll['error'], deniedPoll['error_description']], ['access_denied', 'Denied by the administrator.']);
  assert.throws(() => approvePairing(asCli(proxy.running.proxy.deps), denied.userCode, orgId), /already denied/);

  const late = (await (await post(proxy, '/pair', { deviceId: 'TILL-2' })).json()) as { pairingId: string; userCode: string };
  clock.advance(15 * 60_000 + 1);
  assert.throws(() => approvePairing(asCli(proxy.running.proxy.deps), late.userCode, orgId), /This pairing code has expired/);
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
  assert.match(await hostile.text(), '<message>The request body is not acceptable XML: a DOCTYPE is not allowed (XML line 1).</message>');
});

pairing('pairing requests are limited per address per hour, and the 429 says when the next may start', async ({ proxy, clock }) => {
  for (let i = 0; i < 10; i++) {
    const started = await post(proxy, '/pair', { deviceId: `TILL-${i}` });
    assert.is(started.status, 200);
    // Denied at once, so only the hourly limit is met (not the one on requests waiting).
    denyPairing(asCli(proxy.running.proxy.deps), ((await started.json()) as { userCode: string }).userCode, 'Denied by the administrator.');
    clock.advance(60_000);
  }
  const limited = await post(proxy, '/pair', { deviceId: 'TILL-11' });
  assert.is(limited.status, 429);
  assert.is(limited.headers.get('retry-after'), '3000');
  const error = await errorOf(limited);
  assert.equal([error.code, error.message], ['rate_limited', 'Too many pairing requests from 127.0.0.1 in the last hour (10 at most); try again in 50 minutes (after 2026-03-02T10:00:00Z).']);
  assert.is((await pairFrom(proxy, '127.0.0.2', 'TILL-12')).status, 200, 'another address is not held back');
  clock.advance(50 * 60_000);
  assert.is((await post(proxy, '/pair', { deviceId: 'TILL-13' })).status, 200, 'the first request of the hour has aged out');
});

pairing('one address cannot fill the pool: at three waiting it gets 429 with Retry-After, while another address still pairs', async ({ proxy, clock }) => {
  for (let i = 1; i <= 3; i++) {
    assert.is((await post(proxy, '/pair', { deviceId: `NOISY-${i}` })).status, 200);
    clock.advance(60_000);
  }
  const limited = await post(proxy, '/pair', { deviceId: 'NOISY-4' });
  assert.is(limited.status, 429);
  // The first of the three expires at 09:15, twelve minutes from now.
  assert.is(limited.headers.get('retry-after'), '720');
  const error = await errorOf(limited);
  assert.is(error.code, 'rate_limited');
  assert.is(error.message, '3 pairing requests from 127.0.0.1 are already waiting for approval, the most one address may have; approve or deny them on the connect page, or try again in 12 minutes (after 2026-03-02T09:15:00Z), when the first expires.');
  assert.is(error.hint, 'An administrator can list the waiting requests with `xero-proxy pairing list` and deny them with `xero-proxy pairing clear`.');
  const xml = await post(proxy, '/pair', '<PairingRequest><deviceId>NOISY-5</deviceId></PairingRequest>', { 'content-type': 'application/xml' });
  assert.equal([xml.status, xml.headers.get('retry-after')], [429, '720'], 'XML answers carry Retry-After too');

  const other = await pairFrom(proxy, '127.0.0.2', 'QUIET-1');
  assert.is(other.status, 200, 'another address pairs while the first is at its limit');
  const pending = proxy.running.proxy.db.prepare("SELECT source_address, count(*) AS n FROM pairings WHERE state = 'pending' GROUP BY source_address ORDER BY source_address").all();
  assert.equal(pending, [{ source_address: '127.0.0.1', n: 3 }, { source_address: '127.0.0.2', n: 1 }]);

  clock.advance(12 * 60_000);
  assert.is((await post(proxy, '/pair', { deviceId: 'NOISY-6' })).status, 200, 'once the first expires, its place is free again');
});

pairing('filling the pool of 100 takes 34 addresses; then every address gets 429 saying when the first place frees', async ({ proxy, clock }) => {
  for (let host = 2; host <= 35; host++) {
    for (let i = 1; i <= 3 && !(host === 35 && i > 1); i++) {
      const answer = await pairFrom(proxy, `127.0.0.${host}`, `DEV-${host}-${i}`);
      assert.is(answer.status, 200, `127.0.0.${host} #${i}`);
    }
    clock.advance(10_000);
  }
  // 33 addresses × 3 + 1 = 100 waiting: the pool is full, for an address that has none waiting too.
  const full = await post(proxy, '/pair', { deviceId: 'LATE-1' });
  assert.is(full.status, 429);
  assert.is(full.headers.get('retry-after'), '560');
  assert.is((await errorOf(full)).message, 'Too many pairing requests are waiting for approval (100 from all addresses); approve or deny some on the connect page, or try again in 10 minutes (after 2026-03-02T09:15:00Z), when the first expires.');
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
