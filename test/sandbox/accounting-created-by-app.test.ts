import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { listDocumentsCreatedBy } from '../../src/sandbox/store/documents';
import { call, startAccountingOnly, type AccountingServer } from '../helpers/accounting';

const created = suite<{ server: AccountingServer; mine: string[]; theirs: string }>('sandbox.accounting.createdByMyApp');

type Json = Record<string, unknown>;
const invoice = (reference: string, unitAmount: number): Json => ({
  Type: 'ACCREC',
  Contact: { ContactNumber: 'CUST-002' },
  Date: '2026-03-02',
  Reference: reference,
  Status: 'AUTHORISED',
  LineItems: [{ Description: 'Catering', Quantity: 2, UnitAmount: unitAmount, AccountCode: '200' }],
});

created.before(async (context) => {
  context.server = await startAccountingOnly({ start: '2026-03-02T09:30:00Z' });
  const mine = await call(context.server, 'PUT', '/Invoices', { json: { Invoices: [invoice('MINE-1', 10), invoice('MINE-2', 20)] }, acceptJson: true });
  assert.is(mine.status, 200, mine.text);
  context.mine = mine.json.Invoices.map((i: { InvoiceID: string }) => i.InvoiceID);
  const theirs = await call(context.server, 'PUT', '/Invoices', { json: { Invoices: [invoice('THEIRS-1', 30)] }, acceptJson: true, headers: { 'x-test-app': 'another-app' } });
  assert.is(theirs.status, 200, theirs.text);
  context.theirs = theirs.json.Invoices[0].InvoiceID;
});
created.after(async ({ server }) => server.stop());

const ids = (answer: { json: { Invoices: Array<{ InvoiceID: string }> } }) => answer.json.Invoices.map((i) => i.InvoiceID).sort();

created('createdByMyApp=true lists only the invoices the calling app created; without it every invoice is listed', async ({ server, mine, theirs }) => {
  const own = await call(server, 'GET', '/Invoices?createdByMyApp=true', { acceptJson: true });
  assert.is(own.status, 200);
  assert.equal(ids(own), [...mine].sort());
  const other = await call(server, 'GET', '/Invoices?createdByMyApp=True', { acceptJson: true, headers: { 'x-test-app': 'another-app' } });
  assert.equal(ids(other), [theirs]);
  const all = await call(server, 'GET', '/Invoices?createdByMyApp=false', { acceptJson: true });
  for (const id of [...mine, theirs]) assert.ok(ids(all).includes(id), `${id} is listed without createdByMyApp`);
  // The demo data was made by a person in Xero, not by any app.
  const nobody = await call(server, 'GET', '/Invoices?createdByMyApp=true', { acceptJson: true, headers: { 'x-test-app': 'a-third-app' } });
  assert.equal(nobody.json.Invoices, []);
});

created('an app stays the creator of its invoice after another changes it', async ({ server, mine }) => {
  const updated = await call(server, 'POST', `/Invoices/${mine[1]}`, { json: { Invoices: [{ InvoiceID: mine[1], Status: 'VOIDED' }] }, acceptJson: true, headers: { 'x-test-app': 'another-app' } });
  assert.is(updated.status, 200, updated.text);
  const own = await call(server, 'GET', '/Invoices?createdByMyApp=true', { acceptJson: true });
  assert.equal(ids(own), [...mine].sort());
  assert.is(own.json.Invoices.find((i: { InvoiceID: string }) => i.InvoiceID === mine[1]).Status, 'VOIDED');
});

created('summaryOnly=true answers the lighter shape: the header and totals, without line items or payments, on a page too', async ({ server, mine }) => {
  const summary = await call(server, 'GET', '/Invoices?createdByMyApp=true&summaryOnly=true&page=1', { acceptJson: true });
  assert.is(summary.status, 200);
  const first = summary.json.Invoices.find((i: { InvoiceID: string }) => i.InvoiceID === mine[0]);
  assert.is(first.SubTotal, 20);
  assert.is(first.Total, 22);
  assert.is(first.Status, 'AUTHORISED');
  assert.is(first.Reference, 'MINE-1');
  assert.ok(first.UpdatedDateUTC);
  assert.equal(first.Contact.Name, 'Northside Catering');
  for (const heavy of ['LineItems', 'Payments', 'CreditNotes', 'Prepayments', 'Overpayments']) assert.not.ok(heavy in first, `${heavy} is left out of the summary`);
  const full = await call(server, 'GET', '/Invoices?createdByMyApp=true&page=1', { acceptJson: true });
  assert.is(full.json.Invoices.find((i: { InvoiceID: string }) => i.InvoiceID === mine[0]).LineItems.length, 1);
});

created('If-Modified-Since with createdByMyApp lists only this app\'s invoices changed after that moment', async ({ server, mine }) => {
  server.clock.advance(3_600_000);
  const since = server.clock.now().toISOString().slice(0, 19);
  server.clock.advance(60_000);
  const touched = await call(server, 'POST', `/Invoices/${mine[0]}`, { json: { Invoices: [{ InvoiceID: mine[0], Reference: 'MINE-1 (edited)' }] }, acceptJson: true });
  assert.is(touched.status, 200, touched.text);
  const changed = await call(server, 'GET', '/Invoices?createdByMyApp=true&summaryOnly=true&page=1', { acceptJson: true, headers: { 'if-modified-since': since } });
  assert.equal(ids(changed), [mine[0]]);
});

created('credit notes and refunds record the app that created them, as invoices and payments do', async ({ server }) => {
  const note = { Type: 'ACCRECCREDIT', Contact: { ContactNumber: 'CUST-002' }, Date: '2026-03-02', Reference: 'MINE-CN', Status: 'AUTHORISED', LineItems: [{ Description: 'Returned', Quantity: 1, UnitAmount: 10, AccountCode: '200' }] };
  const mine = await call(server, 'PUT', '/CreditNotes', { json: { CreditNotes: [note] }, acceptJson: true });
  assert.is(mine.status, 200, mine.text);
  const theirs = await call(server, 'PUT', '/CreditNotes', { json: { CreditNotes: [{ ...note, Reference: 'THEIRS-CN' }] }, acceptJson: true, headers: { 'x-test-app': 'another-app' } });
  assert.is(theirs.status, 200, theirs.text);
  const noteId = mine.json.CreditNotes[0].CreditNoteID as string;
  const refund = await call(server, 'PUT', '/Payments', { json: { Payments: [{ CreditNote: { CreditNoteID: noteId }, Account: { Code: '090' }, Date: '2026-03-02', Amount: 5, Reference: 'Cash back' }] }, acceptJson: true });
  assert.is(refund.status, 200, refund.text);
  // The calling app is "test" unless the request says otherwise (test/helpers/routes-only.ts).
  const { db } = server.deps;
  const notesOf = (app: string) => listDocumentsCreatedBy<{ CreditNoteID: string }>(db, server.org.id, 'CreditNote', app).map((n) => n.CreditNoteID);
  assert.equal(notesOf('test'), [noteId]);
  assert.equal(notesOf('another-app'), [theirs.json.CreditNotes[0].CreditNoteID]);
  const refunds = (app: string) => listDocumentsCreatedBy<{ PaymentID: string }>(db, server.org.id, 'Payment', app).map((p) => p.PaymentID);
  assert.ok(refunds('test').includes(refund.json.Payments[0].PaymentID), 'the refund is the app\'s');
  assert.not.ok(refunds('another-app').includes(refund.json.Payments[0].PaymentID));
});

created.run();
