import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { control } from '../helpers/delivery';
import { pairAndGrant, refreshes, startGrantWorld, tokenCalls } from '../helpers/grant-world';
import { collectKey } from '../helpers/linked';

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

margin.run();
