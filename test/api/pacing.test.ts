import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { refreshReferenceData } from '../../src/schedule/jobs';
import { addDevice } from '../../src/services/devices';
import { findJob } from '../../src/store/jobs';
import { control, enqueue, insertDevice, invoicePayload, runUntilSettled, startDeliveryWorld, statusCounts, toStartOfXeroMinute, type DeliveryWorld } from '../helpers/delivery';
import { asCli } from '../helpers/actor';
import { SPACING_MARGIN } from '../../src/services/pacer';

const pacing = suite('api.pacing');

interface Logged {
  at: string;
  method: string;
  path: string;
  status: number;
  problem: string | null;
}

/** The calls that reached the sandbox's Xero APIs, oldest first. */
async function xeroRequests(world: DeliveryWorld): Promise<Logged[]> {
  const { requests } = (await control(world, 'GET', 'requests?limit=5000')) as { requests: Logged[] };
  return requests.filter((r) => r.path.startsWith('/api.xro/')).reverse();
}

/** A device of the café with its key, and a function reading through the pass-through with it. */
function device(world: DeliveryWorld): { key: string; read: () => Promise<Response>; reference: (kind: string) => Promise<Response> } {
  const { apiKey } = addDevice(asCli(world.deps), { deviceId: 'BACK-OFFICE', organisation: world.organisationId, rights: ['reference', 'accounting.read'] });
  const headers = { authorization: `Bearer ${apiKey}`, accept: 'application/json' };
  return {
    key: apiKey,
    read: () => fetch(`${world.proxy.url}/api/v1/xero/api.xro/2.0/Organisation`, { headers }),
    reference: (kind) => fetch(`${world.proxy.url}/api/v1/reference/${kind}`, { headers }),
  };
}

pacing("device reads through the pass-through and delivery share the organisation's pace: Xero never sees more than its per-minute limit", async () => {
  const env = { XERO_PROXY_XERO_RATE_LIMIT_PER_MINUTE: '10' };
  const world = await startDeliveryWorld({ env, batchSize: 1, paceWaitMs: 100, sandboxSettings: { rateLimitStatus: 429 } });
  try {
    await control(world, 'PUT', 'limits', { perMinute: 10 });
    const { read } = device(world);
    enqueue(world.deps, insertDevice(world.deps, world.organisationId, 'POS-1'), world.organisationId, 'invoice', Array.from({ length: 20 }, (_, i) => ({ payload: invoicePayload(i) })));

    // Three simulated minutes: a device reads every fourth second, the loop steps every second.
    const answers: Response[] = [];
    for (let second = 0; second < 180; second++) {
      if (second % 4 === 0) answers.push(await read());
      await world.loop.tick();
      await world.advance(1);
    }
    await runUntilSettled(world);

    assert.equal(statusCounts(world), { delivered: 20 });
    const log = await xeroRequests(world);
    const perMinute = new Map<number, number>();
    for (const r of log) perMinute.set(Math.floor(Date.parse(r.at) / 60_000), (perMinute.get(Math.floor(Date.parse(r.at) / 60_000)) ?? 0) + 1);
    assert.ok(Math.max(...perMinute.values()) <= 10, `at most 10 calls in any of Xero's minutes (${[...perMinute.values()].join(', ')})`);
    assert.not.ok(log.some((r) => r.status === 429), 'Xero never had to answer a rate limit');
    assert.ok(log.filter((r) => r.path.endsWith('/Organisation')).length >= 5, 'device reads reached Xero');
    assert.ok(log.filter((r) => r.method === 'PUT').length >= 15, 'so did the deliveries');

    const waited = answers.filter((a) => a.status === 429);
    assert.ok(waited.length > 0 && answers.some((a) => a.status === 200), 'some reads went through, others were told to come back');
    const body = (await waited[0]!.json()) as { error: { code: string; message: string } };
    assert.is(body.error.code, 'rate_limited');
    assert.match(body.error.message, /^Calls to Xero for this organisation are spread to 10 a minute, and other calls are ahead of this one; try again in \d seconds?\.$/);
    const retryAfter = Number(waited[0]!.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 6, `Retry-After names the organisation's next turn (${retryAfter})`);
  } finally {
    await world.stop();
  }
});

pacing('a 429 from Xero to a delivery write pauses the organisation for every caller: the pass-through answers 429 with Retry-After, reference reads are served stale', async () => {
  const world = await startDeliveryWorld({ paceWaitMs: 100, sandboxSettings: { rateLimitStatus: 429 } });
  try {
    const { read, reference } = device(world);
    assert.is((await reference('accounts')).status, 200, 'the accounts are cached');
    await world.advance(61 * 60);
    // This Xero allows one call a minute, though the proxy paces to sixty: a device's read spends it.
    await toStartOfXeroMinute(world);
    await control(world, 'PUT', 'limits', { perMinute: 1 });
    assert.is((await read()).status, 200);
    await world.advance(1 + SPACING_MARGIN);
    const [job] = enqueue(world.deps, insertDevice(world.deps, world.organisationId, 'POS-1'), world.organisationId, 'invoice', [{ payload: invoicePayload(1) }]);
    await world.loop.tick();
    assert.is(world.loop.stats.rateLimited, 1, 'Xero answered the write with 429');
    const callsSoFar = (await xeroRequests(world)).length;

    const refused = await read();
    assert.is(refused.status, 429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 50 && retryAfter <= 60, `Retry-After is what Xero asked for (${retryAfter})`);
    assert.equal(((await refused.json()) as { error: { code: string; message: string } }).error, {
      code: 'rate_limited',
      message: `Xero asked for a pause in calls for this organisation; try again in ${retryAfter} seconds.`,
      hint: "The proxy spaces calls to stay within Xero's limits for the organisation; try again later.",
    });
    const cached = (await (await reference('accounts')).json()) as { stale: boolean; Accounts: unknown[] };
    assert.equal([cached.stale, cached.Accounts.length > 0], [true, true], 'the cached accounts, marked stale');
    assert.is(await reference('items').then((r) => r.status), 429, 'a list never cached cannot be served');
    await refreshReferenceData(world.proxy.running.proxy);
    assert.is((await xeroRequests(world)).length, callsSoFar, 'none of them reached Xero, nor did the hourly refresh');

    await world.advance(retryAfter);
    assert.is((await read()).status, 200, 'the pause is over');
    await runUntilSettled(world);
    assert.is(findJob(world.deps.db, job!.id)!.status, 'delivered');
  } finally {
    await world.stop();
  }
});

pacing.run();
