import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { call, startAccountingOnly, type AccountingServer } from '../helpers/accounting';

// Xero's default sales invoice sequence, within one batch and across requests: the sandbox reads
// the highest number once per request and follows it as the batch's own invoices take numbers.
const numbering = suite<{ server: AccountingServer }>('sandbox.accounting.numbering');

numbering.before(async (context) => {
  context.server = await startAccountingOnly();
});
numbering.after(async (context) => {
  await context.server.stop();
});

const sale = (reference: string, number?: string) => ({
  Type: 'ACCREC',
  Contact: { Name: 'Cash Customer' },
  Date: '2026-03-01',
  Reference: reference,
  ...(number ? { InvoiceNumber: number } : {}),
  LineItems: [{ Description: 'Large coffee', Quantity: 1, UnitAmount: 5.5, AccountCode: '200', TaxType: 'OUTPUT' }],
});
const bill = (number: string) => ({
  Type: 'ACCPAY',
  Contact: { ContactNumber: 'SUPP-001' },
  Date: '2026-03-01',
  InvoiceNumber: number,
  LineItems: [{ Description: 'Beans', Quantity: 1, UnitAmount: 22, AccountCode: '310', TaxType: 'INPUT' }],
});

const numbersOf = (answer: { json: { Invoices: Array<{ InvoiceNumber?: string; StatusAttributeString?: string }> } }) => answer.json.Invoices.map((invoice) => invoice.InvoiceNumber);

numbering('a batch numbers its sales invoices in sequence, after any number one of them was given, never after a bill\'s', async ({ server }) => {
  const batch = await call(server, 'PUT', '/Invoices?summarizeErrors=false', {
    acceptJson: true,
    json: { Invoices: [sale('A'), sale('B', 'INV-0050'), sale('C'), bill('INV-0999'), sale('D'), sale('E', 'SHOP-7'), sale('F')] },
  });
  assert.is(batch.status, 200);
  assert.equal(
    batch.json.Invoices.map((invoice: { StatusAttributeString: string }) => invoice.StatusAttributeString),
    ['OK', 'OK', 'OK', 'OK', 'OK', 'OK', 'OK'],
  );
  assert.equal(numbersOf(batch), ['INV-0001', 'INV-0050', 'INV-0051', 'INV-0999', 'INV-0052', 'SHOP-7', 'INV-0053']);

  const next = await call(server, 'PUT', '/Invoices', { acceptJson: true, json: { Invoices: [sale('G')] } });
  assert.equal(numbersOf(next), ['INV-0054']);
});

numbering('an invoice renumbered in a batch is seen by the next one to be numbered in that batch', async ({ server }) => {
  const g = (await call(server, 'GET', '/Invoices/INV-0054', { acceptJson: true })).json.Invoices[0];
  const batch = await call(server, 'POST', '/Invoices?summarizeErrors=false', {
    acceptJson: true,
    json: { Invoices: [sale('H'), { InvoiceID: g.InvoiceID, InvoiceNumber: 'INV-0100' }, sale('I')] },
  });
  assert.is(batch.status, 200);
  assert.equal(numbersOf(batch), ['INV-0055', 'INV-0100', 'INV-0101']);
});

numbering.run();
