import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { ledger, runUntilSettled } from '../helpers/delivery';
import { pairAndGrant, refreshes, revokedGrants, startGrantWorld } from '../helpers/grant-world';
import { collectKey } from '../helpers/linked';

const delivery = suite('queue.oauth2-delivery');
const [CAFE, PRACTICE] = DEMO_ORGANISATIONS;

const sale = (id: string) => ({
  DocumentId: id,
  Type: 'ACCREC',
  Contact: { Name: 'Walk-in customer' },
  Date: '2026-11-28',
  LineAmountTypes: 'Inclusive',
  Reference: `Sale ${id}`,
  Status: 'AUTHORISED',
  LineItems: [{ Description: 'Flat white', Quantity: 2, UnitAmount: 5.5, AccountCode: '200', TaxType: 'OUTPUT', Tracking: [{ Name: 'Location', Option: 'Harbourside' }] }],
});

delivery('invoices and a payment from a till reach its organisation with Bearer, xero-tenant-id and an Idempotency-Key; an expired access token is refreshed once on the way', async () => {
  const world = await startGrantWorld('oauth2', { proxy: { delivery: { manual: true } } });
  try {
    const { pairingId, chosen } = await pairAndGrant(world, 'TILL-1', [CAFE!.id, PRACTICE!.id], CAFE!.id);
    const key = await collectKey(world, pairingId);
    const loop = { loop: world.proxy.running.delivery!, deps: world.proxy.running.proxy.deps, clock: world.clock, advance: world.advance };
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${world.proxy.url}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.is(response.status, 202, await response.clone().text());
      return ((await response.json()) as { jobs: Array<{ id: string; documentKey: string }> }).jobs;
    };
    const job = async (id: string) => (await (await fetch(`${world.proxy.url}/api/v1/jobs/${id}`, { headers: { authorization: `Bearer ${key}` } })).json()) as Record<string, unknown>;

    const invoices = await post('/invoices', { Invoices: [sale('S-1'), sale('S-2')] });
    const [payment] = await post('/payments', { Payments: [{ Invoice: { DocumentId: 'S-1' }, Account: { Code: '090' }, Date: '2026-11-28', Amount: 11, Reference: 'EFTPOS' }] });
    await runUntilSettled(loop);
    for (const { id } of [...invoices, payment!]) assert.is((await job(id))['status'], 'delivered');

    const stored = (await ledger(world, 'Invoice')).filter((doc) => invoices.some((invoice) => doc.reference?.includes(invoice.documentKey)));
    assert.is(stored.length, 2, 'each invoice once');
    const inCafe = (await (await fetch(`${world.sandbox.url}/sandbox/ledger?type=Invoice&organisationId=${CAFE!.id}`)).json()) as { documents: unknown[] };
    assert.is(inCafe.documents.length, 2, "in the café's books, the tenant the till was linked to");
    const inPractice = (await (await fetch(`${world.sandbox.url}/sandbox/ledger?type=Invoice&organisationId=${PRACTICE!.id}`)).json()) as { documents: unknown[] };
    assert.is(inPractice.documents.length, 0, 'none in the other organisation of the grant');
    const writes = world.sent.filter((request) => request.method === 'PUT');
    assert.ok(writes.length >= 2);
    for (const write of writes) {
      assert.is(write.headers['xero-tenant-id'], CAFE!.id);
      assert.match(write.headers['Authorization']!, /^Bearer \S+$/);
      assert.match(write.headers['Idempotency-Key']!, /^xp-[A-Za-z0-9_-]{43}$/);
    }
    assert.is(refreshes(world), 0);

    // Half an hour on, the access token has ended: the next delivery refreshes the grant once.
    await world.advance(31 * 60);
    const [later] = await post('/invoices', { Invoices: [sale('S-3')] });
    await runUntilSettled(loop);
    assert.is((await job(later!.id))['status'], 'delivered');
    assert.is(refreshes(world), 1);
    assert.is(revokedGrants(world), 0);
    assert.is(chosen.tenantId, CAFE!.id);
  } finally {
    await world.stop();
  }
});

delivery.run();
