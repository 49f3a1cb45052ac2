import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { refreshReferenceData } from '../../src/schedule/jobs';
import { collectKey, pairAndLink, startWorld, whileTimePasses } from '../helpers/linked';

const reference = suite('api.reference');

reference('reference lists come from Xero once, then from the cache; stale copies are served when Xero is down', async () => {
  const world = await startWorld('private');
  try {
    const { pairingId } = await pairAndLink(world, 'TILL-1');
    const key = await collectKey(world, pairingId);
    const get = (kind: string) => fetch(`${world.proxy.url}/api/v1/reference/${kind}`, { headers: { authorization: `Bearer ${key}` } });
    const xeroCalls = async () => ((await (await fetch(`${world.sandbox.url}/sandbox/requests?limit=1000`)).json()) as { requests: Array<{ path: string }> }).requests.filter((r) => r.path === '/api.xro/2.0/Accounts').length;

    const first = await get('accounts');
    assert.is(first.status, 200);
    const body = (await first.json()) as { stale: boolean; Accounts: Array<{ Code: string }> };
    assert.ok(body.Accounts.some((a) => a.Code === '200'));
    assert.is(body.stale, false);
    await get('accounts');
    assert.is(await xeroCalls(), 1, 'the second read came from the cache');

    await world.advance(61 * 60);
    await fetch(`${world.sandbox.url}/sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ errorRates: { '503': 1 } }) });
    const stale = (await (await get('accounts')).json()) as { stale: boolean; Accounts: unknown[] };
    assert.equal([stale.stale, stale.Accounts.length], [true, body.Accounts.length]);
    await fetch(`${world.sandbox.url}/sandbox/faults`, { method: 'DELETE' });
    // The refresh's five reads are paced a second apart.
    await whileTimePasses(world, refreshReferenceData(world.proxy.running.proxy));
    assert.is(((await (await get('accounts')).json()) as { stale: boolean }).stale, false);

    for (const kind of ['tax-rates', 'items', 'contacts', 'tracking-categories']) assert.is((await get(kind)).status, 200, kind);
    const unknown = await get('invoices');
    assert.is(unknown.status, 404);
    assert.is(((await unknown.json()) as { error: { message: string } }).error.message, 'There is no reference list "invoices"; ask for one of accounts, tax-rates, items, contacts, tracking-categories.');
  } finally {
    await world.stop();
  }
});

reference.run();
