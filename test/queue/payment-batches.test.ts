import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { findJob } from '../../src/store/jobs';
import { control, ledger, runUntilSettled } from '../helpers/delivery';
import { startTillDelivery } from '../helpers/till-delivery';
import { assertValidXml } from '../helpers/xsd';

const batches = suite('queue.payment-batches');

interface LoggedRequest {
  method: string;
  path: string;
  requestBody: string | null;
}

// PAYMENT_BATCHES_INVOICES=1000 runs a thousand of each (40 writes).
const INVOICES = Number(process.env['PAYMENT_BATCHES_INVOICES'] ?? 100);

/**
 * A till's day: sales posted ten at a time, each followed by the card payments for those sales,
 * naming their invoice by the app's DocumentId. Payments wait for their invoices, then go 50 a
 * call as invoices do: 100 invoices and their 100 payments take 2 + 2 writes.
 */
batches(`${INVOICES} invoices and their ${INVOICES} payments reach Xero in ${2 * Math.ceil(INVOICES / 50)} writes, each payment once, against its own invoice`, async () => {
  const { linked, world, post } = await startTillDelivery('TILL-50');
  try {
    const sale = (n: number) => ({
      DocumentId: `SALE-${n}`,
      Type: 'ACCREC',
      Contact: { Name: 'Walk-in customer' },
      Date: '2026-11-28',
      LineAmountTypes: 'Inclusive',
      Reference: `Sale ${n}`,
      Status: 'AUTHORISED',
      LineItems: [{ Description: 'Flat white', Quantity: 1, UnitAmount: 4 + (n % 7), AccountCode: '200', TaxType: 'OUTPUT' }],
    });
    const card = (n: number) => ({ Invoice: { DocumentId: `SALE-${n}` }, Account: { Code: '090' }, Date: '2026-11-28', Amount: 4 + (n % 7), Reference: `Card ${n}` });
    const { requests: before } = (await control(world, 'GET', 'requests?limit=1')) as { requests: Array<{ id: number }> };
    const invoiceJobs: string[] = [];
    const paymentJobs: string[] = [];
    for (let first = 0; first < INVOICES; first += 10) {
      const numbers = Array.from({ length: 10 }, (_, i) => first + i);
      invoiceJobs.push(...(await post('/invoices', { Invoices: numbers.map(sale) })).map((job) => job.id));
      paymentJobs.push(...(await post('/payments', { Payments: numbers.map(card) })).map((job) => job.id));
    }

    await runUntilSettled(world);

    const { requests } = (await control(world, 'GET', 'requests?limit=5000')) as { requests: Array<LoggedRequest & { id: number }> };
    // The log is newest first.
    const calls = requests.filter((r) => r.id > (before[0]?.id ?? 0) && r.path.startsWith('/api.xro/') && r.path !== '/api.xro/2.0/Organisation').reverse();
    const writes = calls.filter((r) => r.method === 'PUT' || r.method === 'POST');
    const lookUps = calls.filter((r) => r.method === 'GET');
    const perCall = Math.ceil(INVOICES / 50);
    assert.equal(
      writes.map((r) => r.path),
      [...Array<string>(perCall).fill('/api.xro/2.0/Invoices'), ...Array<string>(perCall).fill('/api.xro/2.0/Payments')],
      'invoices 50 a call, then payments 50 a call',
    );
    assert.is(lookUps.length, 0, 'nothing was looked up: every outcome was known');
    for (const write of writes) await assertValidXml(write.requestBody!, write.path.endsWith('/Payments') ? 'Payment.xsd' : 'Invoice.xsd');

    const invoices = new Map((await ledger(world, 'Invoice')).map((doc) => [doc.id, doc]));
    const payments = await ledger(world, 'Payment');
    assert.is(world.loop.stats.delivered, 2 * INVOICES);
    for (const [i, id] of paymentJobs.entries()) {
      const payment = findJob(world.deps.db, id)!;
      const invoice = findJob(world.deps.db, invoiceJobs[i]!)!;
      assert.is(payment.status, 'delivered');
      const inXero = payments.filter((doc) => doc.reference?.includes(payment.documentKey));
      assert.is(inXero.length, 1, `payment ${i} is in Xero once`);
      assert.is(inXero[0]!.id, payment.xeroId);
      const paid = (inXero[0]!.body as { Invoice: { InvoiceID: string } }).Invoice.InvoiceID;
      assert.is(paid, invoice.xeroId, `payment ${i} pays its own invoice`);
      assert.is((invoices.get(paid)!.body as { Status: string; AmountDue: number }).Status, 'PAID');
    }
  } finally {
    await linked.stop();
  }
});

batches.run();
