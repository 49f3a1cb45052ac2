import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { call, readXml, startAccountingOnly, type AccountingServer } from '../helpers/accounting';
import { assertValidXml } from '../helpers/xsd';

const payments = suite<{ server: AccountingServer; authorised: { id: string; number: string }; draftId: string }>('sandbox.accounting.payments');

payments.before(async (context) => {
  const server = await startAccountingOnly();
  context.server = server;
  const line = { Description: 'Function catering', Quantity: 1, UnitAmount: 100, AccountCode: '200', TaxType: 'OUTPUT' };
  const created = await call(server, 'PUT', '/Invoices', {
    acceptJson: true,
    json: {
      Invoices: [
        { Type: 'ACCREC', Contact: { ContactNumber: 'CUST-002' }, Status: 'AUTHORISED', Reference: 'PAY-ME', LineItems: [line] },
        { Type: 'ACCREC', Contact: { ContactNumber: 'CUST-002' }, Status: 'DRAFT', Reference: 'DRAFT-ONE', LineItems: [line] },
      ],
    },
  });
  assert.is(created.status, 200, created.text);
  context.authorised = { id: created.json.Invoices[0].InvoiceID, number: created.json.Invoices[0].InvoiceNumber };
  context.draftId = created.json.Invoices[1].InvoiceID;
});
payments.after(async (context) => {
  await context.server.stop();
});

const paymentXml = (invoice: string, account: string, amount: string, reference = 'EFTPOS 1234') =>
  `<Payments><Payment><Invoice>${invoice}</Invoice><Account>${account}</Account><Date>2026-03-02T00:00:00</Date><Amount>${amount}</Amount><Reference>${reference}</Reference></Payment></Payments>`;

async function paymentErrors(server: AccountingServer, body: unknown): Promise<string[]> {
  const answer = await call(server, 'PUT', '/Payments', { json: { Payments: [body] }, acceptJson: true });
  assert.is(answer.status, 400, answer.text);
  assert.is(answer.json.Type, 'ValidationException');
  return answer.json.Elements[0].ValidationErrors.map((error: { Message: string }) => error.Message);
}

payments('a part payment in XML to a bank account reduces AmountDue and is listed on the invoice', async ({ server, authorised }) => {
  const body = paymentXml(`<InvoiceID>${authorised.id}</InvoiceID>`, '<Code>090</Code>', '40.00');
  await assertValidXml(body, 'Payment.xsd');
  const answer = await call(server, 'PUT', '/Payments', { xml: body });
  assert.is(answer.status, 200, answer.text);
  await assertValidXml(answer.text);
  const payment = readXml(answer.text).Payments[0];
  assert.equal([payment.Amount, payment.Reference, payment.Status, payment.PaymentType, payment.Account.Code], ['40.00', 'EFTPOS 1234', 'AUTHORISED', 'ACCRECPAYMENT', '090']);
  const invoice = await call(server, 'GET', `/Invoices/${authorised.id}`, { acceptJson: true });
  const got = invoice.json.Invoices[0];
  assert.equal([got.Status, got.AmountPaid, got.AmountDue, got.Payments.length, got.Payments[0].Reference], ['AUTHORISED', 40, 70, 1, 'EFTPOS 1234']);
  const xml = await call(server, 'GET', `/Invoices/${authorised.id}`);
  await assertValidXml(xml.text);
});

payments('over-paying is refused with Xero\'s message', async ({ server, authorised }) => {
  const messages = await paymentErrors(server, { Invoice: { InvoiceID: authorised.id }, Account: { Code: '090' }, Date: '2026-03-02', Amount: 70.01 });
  assert.equal(messages, ['Payment amount exceeds the amount outstanding on this document']);
});

payments('a payment from an account that is neither a bank account nor payment-enabled is refused', async ({ server, authorised }) => {
  const messages = await paymentErrors(server, { Invoice: { InvoiceID: authorised.id }, Account: { Code: '200' }, Date: '2026-03-02', Amount: 1 });
  assert.equal(messages, ['Account type is invalid for making a payment to/from']);
});

payments('a payment to a DRAFT invoice is refused', async ({ server, draftId }) => {
  const messages = await paymentErrors(server, { Invoice: { InvoiceID: draftId }, Account: { Code: '090' }, Date: '2026-03-02', Amount: 1 });
  assert.equal(messages, ['Payments can only be made to AUTHORISED documents']);
});

payments('Date, Amount, Invoice and Account are required', async ({ server }) => {
  const messages = await paymentErrors(server, { Reference: 'nothing' });
  assert.equal(messages, [
    'An Invoice, CreditNote, Prepayment or Overpayment must be specified for a payment.',
    'An Account (Code or AccountID) must be specified for a payment.',
    'A Date must be specified for a payment.',
    'A valid Amount must be specified for a payment.',
  ]);
  const unknown = await paymentErrors(server, { Invoice: { InvoiceNumber: 'INV-9999' }, Account: { Code: '777' }, Date: '2026-03-02', Amount: 1 });
  assert.equal(unknown, ['The document with the supplied id was not found for this endpoint.', "The Account code '777' could not be found."]);
});

payments('paying the rest by InvoiceNumber to a payment-enabled account by AccountID marks the invoice PAID', async ({ server, authorised }) => {
  const accounts = await call(server, 'GET', `/Accounts?where=${encodeURIComponent('Code=="615"')}`, { acceptJson: true });
  const eftpos = accounts.json.Accounts[0];
  assert.is(eftpos.EnablePaymentsToAccount, true);
  const answer = await call(server, 'POST', '/Payments', {
    acceptJson: true,
    json: { Invoice: { InvoiceNumber: authorised.number }, Account: { AccountID: eftpos.AccountID }, Date: '2026-03-03', Amount: 70, Reference: 'Settlement' },
  });
  assert.is(answer.status, 200, answer.text);
  const payment = answer.json.Payments[0];
  assert.is(payment.Date, '/Date(1772496000000+0000)/');
  assert.is(payment.Invoice.Status, 'PAID');
  const invoice = await call(server, 'GET', `/Invoices/${authorised.id}`, { acceptJson: true });
  const got = invoice.json.Invoices[0];
  assert.equal([got.Status, got.AmountPaid, got.AmountDue, got.Payments.length], ['PAID', 110, 0, 2]);
  assert.is(got.FullyPaidOnDate, '/Date(1772496000000+0000)/');
  const again = await paymentErrors(server, { Invoice: { InvoiceID: authorised.id }, Account: { Code: '090' }, Date: '2026-03-03', Amount: 1 });
  assert.equal(again, ['Payments can only be made to AUTHORISED documents']);
});

payments('PUT /Payments?summarizeErrors=false saves the valid payments and marks each', async ({ server }) => {
  const created = await call(server, 'PUT', '/Invoices', {
    acceptJson: true,
    json: { Invoices: [{ Type: 'ACCPAY', Contact: { ContactNumber: 'SUPP-002' }, Status: 'AUTHORISED', Reference: 'POWER', LineItems: [{ Description: 'Power', UnitAmount: 50, AccountCode: '429' }] }] },
  });
  const id = created.json.Invoices[0].InvoiceID;
  const answer = await call(server, 'PUT', '/Payments?summarizeErrors=false', {
    acceptJson: true,
    json: { Payments: [
      { Invoice: { InvoiceID: id }, Account: { Code: '091' }, Date: '2026-03-02', Amount: 20 },
      { Invoice: { InvoiceID: id }, Account: { Code: '091' }, Date: '2026-03-02', Amount: 500 },
    ] },
  });
  assert.is(answer.status, 200);
  const [ok, bad] = answer.json.Payments;
  assert.equal([ok.StatusAttributeString, ok.HasValidationErrors, ok.PaymentType], ['OK', false, 'ACCPAYPAYMENT']);
  assert.equal([bad.StatusAttributeString, bad.HasValidationErrors], ['ERROR', true]);
  assert.equal(bad.ValidationErrors, [{ Message: 'Payment amount exceeds the amount outstanding on this document' }]);
  const list = await call(server, 'GET', `/Payments?where=${encodeURIComponent(`Invoice.InvoiceID==Guid("${id}")`)}`, { acceptJson: true });
  assert.is(list.json.Payments.length, 1);
  const one = await call(server, 'GET', `/Payments/${ok.PaymentID}`);
  assert.is(one.status, 200);
  await assertValidXml(one.text);
});

payments('deleting a payment reopens the invoice', async ({ server, authorised }) => {
  const invoice = await call(server, 'GET', `/Invoices/${authorised.id}`, { acceptJson: true });
  const paymentId = invoice.json.Invoices[0].Payments[1].PaymentID;
  const deleted = await call(server, 'POST', `/Payments/${paymentId}`, { json: { Payments: [{ Status: 'DELETED' }] }, acceptJson: true });
  assert.is(deleted.status, 200, deleted.text);
  assert.is(deleted.json.Payments[0].Status, 'DELETED');
  const after = await call(server, 'GET', `/Invoices/${authorised.id}`, { acceptJson: true });
  const got = after.json.Invoices[0];
  assert.equal([got.Status, got.AmountPaid, got.AmountDue, got.Payments.length, got.FullyPaidOnDate], ['AUTHORISED', 40, 70, 1, undefined]);
});

payments.run();
