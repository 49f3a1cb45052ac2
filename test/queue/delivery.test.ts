import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { findJob } from '../../src/store/jobs';
import { assertValidXml } from '../helpers/xsd';
import { control, enqueue, insertDevice, invoicePayload, ledger, runUntilSettled, startDeliveryWorld, statusCounts, type DeliveryWorld } from '../helpers/delivery';

const delivery = suite('queue.delivery-loop');

interface LoggedRequest {
  method: string;
  path: string;
  query: string;
  status: number;
  requestBody: string | null;
  problem: string | null;
}

/** The sandbox's log of the loop's API calls (not OAuth, control or the linking's Organisation read), oldest first. */
async function apiRequests(world: DeliveryWorld): Promise<LoggedRequest[]> {
  const { requests } = (await control(world, 'GET', 'requests?limit=5000')) as { requests: LoggedRequest[] };
  return requests.filter((r) => r.path.startsWith('/api.xro/') && r.path !== '/api.xro/2.0/Organisation').reverse();
}

delivery('a batch of three invoices with one invalid: two delivered with Xero ids, one failed with Xero\'s own message, in one request', async () => {
  const world = await startDeliveryWorld();
  try {
    const device = insertDevice(world.deps, world.organisationId, 'TILL-1');
    const jobs = enqueue(world.deps, device, world.organisationId, 'invoice', [
      { payload: invoicePayload(1) },
      { payload: invoicePayload(2, { LineItems: [{ Description: 'Mystery', Quantity: 1, UnitAmount: 10, AccountCode: '999', TaxType: 'OUTPUT' }] }) },
      { payload: invoicePayload(3) },
    ]);
    await world.loop.drain();
    const [first, bad, third] = jobs.map((job) => findJob(world.deps.db, job.id)!);
    assert.is(first!.status, 'delivered');
    assert.is(third!.status, 'delivered');
    assert.is(bad!.status, 'failed');
    const stored = await ledger(world, 'Invoice');
    const byReference = new Map(stored.map((doc) => [doc.reference, doc]));
    assert.is(first!.xeroId, byReference.get(`Table 1 [${first!.documentKey}]`)?.id);
    assert.is(third!.xeroNumber, byReference.get(`Table 3 [${third!.documentKey}]`)?.number);
    assert.match(first!.xeroNumber!, /^INV-\d+$/);
    assert.is((first!.result as { InvoiceID: string }).InvoiceID, first!.xeroId);
    assert.equal(bad!.errors, ["Account code '999' is not a valid code for this document."]);
    assert.not.ok(byReference.has(`Table 2 [${bad!.documentKey}]`), 'the invalid invoice is not in Xero');

    const requests = await apiRequests(world);
    assert.is(requests.length, 1, 'one request carried the batch');
    assert.is(requests[0]!.method, 'PUT');
    assert.is(requests[0]!.path, '/api.xro/2.0/Invoices');
    assert.is(requests[0]!.query, '?summarizeErrors=false');
    await assertValidXml(requests[0]!.requestBody!, 'Invoice.xsd');
    assert.is(world.loop.stats.calls, 1);
  } finally {
    await world.stop();
  }
});

delivery('a payment waits for its invoice, then goes with the InvoiceID Xero gave it; a payment of a refused invoice fails saying why', async () => {
  const world = await startDeliveryWorld();
  try {
    const device = insertDevice(world.deps, world.organisationId, 'TILL-1');
    const [good, bad] = enqueue(world.deps, device, world.organisationId, 'invoice', [
      { payload: invoicePayload(7) },
      { payload: invoicePayload(8, { Contact: {} }) },
    ]);
    const paymentOf = (invoiceJob: string, n: number) => ({
      payload: { Invoice: { DocumentId: `INV-APP-${n}` }, Account: { Code: '090' }, Date: '2026-11-28', Amount: 15.5, Reference: `Card ${n}` },
      dependsOn: invoiceJob,
    });
    const [paid, orphan] = enqueue(world.deps, device, world.organisationId, 'payment', [paymentOf(good!.id, 7), paymentOf(bad!.id, 8)]);
    await runUntilSettled(world);

    const invoice = findJob(world.deps.db, good!.id)!;
    const payment = findJob(world.deps.db, paid!.id)!;
    assert.is(invoice.status, 'delivered');
    assert.is(payment.status, 'delivered');
    assert.ok(payment.xeroId);
    assert.is((payment.result as { Invoice: { InvoiceID: string } }).Invoice.InvoiceID, invoice.xeroId);
    const failedInvoice = findJob(world.deps.db, bad!.id)!;
    assert.is(failedInvoice.status, 'failed');
    const orphaned = findJob(world.deps.db, orphan!.id)!;
    assert.is(orphaned.status, 'failed');
    assert.equal(orphaned.errors, [
      `The invoice this payment is for (document ${failedInvoice.documentKey}) was not delivered to Xero: Xero refused it (${failedInvoice.errors!.join(' ')}). The payment was not sent; send the invoice again, then the payment.`,
    ]);

    const payments = await ledger(world, 'Payment');
    assert.equal(payments.map((p) => p.reference), [`Card 7 [${payment.documentKey}]`]);
    const writes = (await apiRequests(world)).filter((r) => r.method === 'PUT');
    assert.equal(writes.map((r) => r.path), ['/api.xro/2.0/Invoices', '/api.xro/2.0/Payments']);
    await assertValidXml(writes[1]!.requestBody!, 'Payment.xsd');
    assert.not.match(writes[1]!.requestBody!, 'DocumentId', "the app's own ids never reach Xero");
  } finally {
    await world.stop();
  }
});

delivery('a connection dropped after Xero saved the batch: the invoices are looked up by key and marked delivered, never sent twice', async () => {
  const world = await startDeliveryWorld();
  try {
    const device = insertDevice(world.deps, world.organisationId, 'TILL-1');
    const jobs = enqueue(world.deps, device, world.organisationId, 'invoice', Array.from({ length: 30 }, (_, i) => ({ payload: invoicePayload(i) })));
    await control(world, 'PUT', 'faults', { dropAfterCommitRate: 1 });
    await world.loop.drain();
    const afterDrop = findJob(world.deps.db, jobs[0]!.id)!;
    assert.is(afterDrop.status, 'queued');
    assert.ok(afterDrop.outcomeUnknown, 'the drop leaves the outcome unknown');
    assert.match(afterDrop.lastError!, 'it may have reached Xero');
    await control(world, 'DELETE', 'faults');
    await runUntilSettled(world);

    assert.equal(statusCounts(world), { delivered: 30 });
    const stored = await ledger(world, 'Invoice');
    const created = stored.filter((doc) => doc.reference?.includes('[XP-'));
    assert.is(created.length, 30, 'each invoice exists once');
    for (const job of jobs) {
      const done = findJob(world.deps.db, job.id)!;
      assert.is(done.xeroId, created.find((doc) => doc.reference!.includes(job.documentKey))!.id);
    }
    const requests = await apiRequests(world);
    assert.equal(
      requests.map((r) => `${r.method} ${r.path}`),
      ['PUT /api.xro/2.0/Invoices', 'GET /api.xro/2.0/Invoices', 'GET /api.xro/2.0/Invoices'],
      'one write, then two look-ups of at most 20 keys, and no second write',
    );
    assert.match(decodeURIComponent(requests[1]!.query), /^\?where=\(Reference != null AND \(Reference\.Contains\("XP-[0-9A-Z]{12}"\)( OR Reference\.Contains\("XP-[0-9A-Z]{12}"\)){19}\)\)$/);
    assert.is(world.loop.stats.found, 30);
  } finally {
    await world.stop();
  }
});

delivery('a bill (ACCPAY, which has no Reference at Xero) carries its key in its number, and is found by it after a dropped answer', async () => {
  const world = await startDeliveryWorld();
  try {
    const device = insertDevice(world.deps, world.organisationId, 'POS-1');
    const [bill] = enqueue(world.deps, device, world.organisationId, 'invoice', [
      { payload: invoicePayload(1, { Type: 'ACCPAY', Contact: { Name: 'Harbour Wholesale Supplies' }, InvoiceNumber: 'HWS-5531', LineItems: [{ Description: 'Beans', Quantity: 1, UnitAmount: 220, AccountCode: '310', TaxType: 'INPUT' }] }) },
    ]);
    await control(world, 'PUT', 'faults', { dropAfterCommitRate: 1 });
    await world.loop.drain();
    await control(world, 'DELETE', 'faults');
    await runUntilSettled(world);
    const done = findJob(world.deps.db, bill!.id)!;
    assert.is(done.status, 'delivered');
    assert.is(done.xeroNumber, `HWS-5531 [${bill!.documentKey}]`);
    const stored = (await ledger(world, 'Invoice')).filter((doc) => doc.number?.includes(bill!.documentKey));
    assert.equal(stored.map((doc) => doc.id), [done.xeroId], 'stored once');
    const lookups = (await apiRequests(world)).filter((r) => r.method === 'GET');
    assert.is(decodeURIComponent(lookups[0]!.query), `?where=(InvoiceNumber != null AND (InvoiceNumber.Contains("${bill!.documentKey}")))`);
  } finally {
    await world.stop();
  }
});

delivery.run();
