import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { renewExpiringTokens } from '../../src/schedule/jobs';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { control, enqueue, insertDevice, invoicePayload } from '../helpers/delivery';
import { pairAndGrant, refreshes, startGrantWorld, tokenCalls } from '../helpers/grant-world';
import { collectKey, pairAndLink, startWorld, type LinkedWorld } from '../helpers/linked';

const margin = suite('services.renewal-margin');
const [CAFE] = DEMO_ORGANISATIONS;

margin('a server issuing 20-second tokens is refreshed only when a quarter of the token is left, not before every call', async () => {
  const world = await startGrantWorld('oauth2');
  try {
    const settings = await fetch(`${world.sandbox.url}/sandbox/oauth2/settings`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accessTokenSeconds: 20 }) });
    assert.is(((await settings.json()) as { accessTokenSeconds: number }).accessTokenSeconds, 20);
    const { pairingId } = await pairAndGrant(world, 'TILL-1', [CAFE!.id], CAFE!.id);
    await control(world, 'PUT', 'limits', { perMinute: 100000, concurrency: 1000 });
    const key = await collectKey(world, pairingId);
    // A call every 2 seconds for 80 seconds, the link's token first. Each token (20 s) is
    // refreshed by the first call within 5 s of its end, 16 s after it was issued: at 16, 32, 48,
    // 64 and 80 s. A fixed 5-minute margin refreshed before every one of the 40 calls.
    const statuses: number[] = [];
    for (let call = 0; call < 40; call++) {
      await world.advance(2);
      statuses.push((await fetch(`${world.proxy.url}/api/v1/organisation`, { headers: { authorization: `Bearer ${key}` } })).status);
    }
    assert.equal([...new Set(statuses)], [200]);
    assert.is(refreshes(world), 5, 'one refresh per token, a quarter of its life before its end');
    assert.ok(tokenCalls(world).every((call) => call.status === 200), 'every token answer was a success');
    const expired = world.sandbox.sandbox.deps.db.prepare(`SELECT COUNT(*) FROM request_log WHERE status = 401`).pluck().get() as number;
    assert.is(expired, 0, 'no call met an expired token');
  } finally {
    await world.stop();
  }
});

margin('with work waiting, the sweep refreshes a 20-second token once half its life is left, not before', async () => {
  const world = await startGrantWorld('oauth2', { proxy: { delivery: { manual: true } } });
  try {
    await fetch(`${world.sandbox.url}/sandbox/oauth2/settings`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accessTokenSeconds: 20 }) });
    const { chosen } = await pairAndGrant(world, 'TILL-1', [CAFE!.id], CAFE!.id);
    const proxy = world.proxy.running.proxy;
    enqueue(proxy.deps, insertDevice(proxy.deps, chosen.id, 'POS-1'), chosen.id, 'invoice', [{ payload: invoicePayload(1) }]);
    await world.advance(9);
    await renewExpiringTokens(proxy);
    assert.is(refreshes(world), 0, '11 of 20 seconds left: more than half');
    await world.advance(1);
    await renewExpiringTokens(proxy);
    assert.is(refreshes(world), 1, '10 seconds left: refreshed');
    await renewExpiringTokens(proxy);
    assert.is(refreshes(world), 1, 'the new token has all its 20 seconds');
  } finally {
    await world.stop();
  }
});

/** The sandbox's OAuth 1.0a token endpoint calls: the link, then each renewal. */
const partnerTokenCalls = (world: LinkedWorld) => world.sandbox.sandbox.deps.db.prepare(`SELECT COUNT(*) FROM request_log WHERE path = '/oauth/AccessToken' AND status = 200`).pluck().get() as number;

margin("a partner app's 30-minute token is renewed by a call only in its last 5 minutes, through the same margin", async () => {
  const world = await startWorld('partner');
  try {
    const { outcome, pairingId } = await pairAndLink(world, 'TILL-1');
    if (outcome.kind !== 'linked') throw new Error(JSON.stringify(outcome));
    const key = await collectKey(world, pairingId);
    const read = async () => (await fetch(`${world.proxy.url}/api/v1/organisation`, { headers: { authorization: `Bearer ${key}` } })).status;
    assert.is(partnerTokenCalls(world), 1, 'the link');
    await world.advance(24 * 60 + 59);
    assert.is(await read(), 200);
    assert.is(partnerTokenCalls(world), 1, '5 minutes and a second left: not renewed');
    await world.advance(2);
    assert.is(await read(), 200);
    assert.is(partnerTokenCalls(world), 2, 'within 5 minutes of its end: renewed once');
    await world.advance(2);
    assert.is(await read(), 200);
    assert.is(partnerTokenCalls(world), 2, 'the renewed token is not renewed again');
  } finally {
    await world.stop();
  }
});

margin.run();
