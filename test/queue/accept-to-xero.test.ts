import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { control, ledger, runUntilSettled } from '../helpers/delivery';
import { startTillDelivery } from '../helpers/till-delivery';
import { assertValidXml } from '../helpers/xsd';

const accept = suite('queue.accept-to-xero');

/** The device API and the loop together: what an app posts is what Xero gets. */
accept('invoices and a payment posted by a till reach Xero once each; the jobs API reports Xero\'s ids and refusals', async () => {
  const { linked, world, key, post } = await startTillDelivery('TILL-9');
  try {
    const sale = (id: string, account = '200') => ({
      DocumentId: id,
      Type: 'ACCREC',
      Contact: { Name: 'Walk-in customer' },
      Date: '2026-11-28',
      LineAmountTypes: 'Inclusive',
      Reference: `Sale ${id}`,
      Status: 'AUTHORISED',
      LineItems: [{ Description: 'Flat white', Quantity: 2, UnitAmount: 5.5, AccountCode: account, TaxType: 'OUTPUT', Tracking: [{ Name: 'Location', Option: 'Harbourside' }] }],
    });
    const invoices = await post('/invoices', { Invoices: [sale('S-1'), sale('S-2', '420')] });
    const [payment] = await post('/payments', { Payments: [{ Invoice: { DocumentId: 'S-1' }, Account: { Code: '090' }, Date: '2026-11-28', Amount: 11, Reference: 'EFTPOS' }] });

    await runUntilSettled(world);
    const job = async (id: string) => (await (await fetch(`${world.proxy.url}/api/v1/jobs/${id}`, { headers: { authorization: `Bearer ${key}` } })).json()) as Record<string, unknown>;
    const [paid, refused, receipt] = [await job(invoices[0]!.id), await job(invoices[1]!.id), await job(payment!.id)];
    assert.is(paid['status'], 'delivered');
    assert.match(String(paid['xeroNumber']), /^INV-/);
    assert.is(refused['status'], 'failed');
    assert.ok(Array.isArray(refused['ValidationErrors']) && (refused['ValidationErrors'] as string[]).length > 0, "Xero's messages reach the app");
    assert.is(receipt['status'], 'delivered');

    const stored = await ledger(world, 'Invoice');
    const mine = stored.filter((doc) => doc.reference?.includes(invoices[0]!.documentKey));
    assert.is(mine.length, 1);
    assert.is(mine[0]!.id, paid['xeroId']);
    assert.is((mine[0]!.body as { Status: string }).Status, 'PAID', 'the payment was applied to the invoice the till named');
    const { requests } = (await control(world, 'GET', 'requests?limit=100')) as { requests: Array<{ method: string; path: string; requestBody: string | null }> };
    for (const write of requests.filter((r) => r.method === 'PUT')) await assertValidXml(write.requestBody!, write.path.endsWith('/Payments') ? 'Payment.xsd' : 'Invoice.xsd');
  } finally {
    await linked.stop();
  }
});

accept.run();
