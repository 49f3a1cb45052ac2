import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { paymentToXero } from '../../src/domain/documents/invoice-to-xero';
import type { Payment } from '../../src/domain/documents/payments';
import { parseDocument } from '../../src/domain/documents/parse-document';
import { xeroXml } from '../../src/domain/documents/xero-xml';
import { AppError, isAppError } from '../../src/lib/errors';
import { assertValidXml } from '../helpers/xsd';
import { json } from '../helpers/documents';

const xml = (text: string) => ({ contentType: 'text/xml', bytes: new TextEncoder().encode(text) });

function thrown(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected an AppError, but nothing was thrown');
}

const INVOICE_ID = '4f7c3a1e-9b2d-4c8e-a6f5-0d1e2f3a4b5c';
const payment = (overrides: Partial<Payment> = {}): Payment => ({ Invoice: { InvoiceID: INVOICE_ID }, Account: { Code: '090' }, Date: '2024-06-03', Amount: 85, ...overrides });

const parse = suite('documents.parseDocument payments');

parse('a JSON payment comes back as sent; the XML one decodes to the same value', () => {
  const sent = { Payments: [payment({ Invoice: { DocumentId: 'PMS-INV-1' }, Reference: 'EFTPOS', DocumentId: 'PMS-PAY-1' })] };
  assert.equal(parseDocument('payments', json(sent)), sent);
  const text = `<Payments><Payment>
    <Invoice><DocumentId>PMS-INV-1</DocumentId></Invoice>
    <Account><Code>090</Code></Account>
    <Date>2024-06-03</Date>
    <Amount>85.00</Amount>
    <Reference>EFTPOS</Reference>
    <DocumentId>PMS-PAY-1</DocumentId>
  </Payment></Payments>`;
  assert.equal(parseDocument('payments', xml(text)), sent);
});

parse('the invoice and the account are each named exactly one way', () => {
  const error = thrown(() =>
    parseDocument('payments', json({ Payments: [payment({ Invoice: { InvoiceID: INVOICE_ID, InvoiceNumber: 'INV-1' } }), payment({ Invoice: {}, Account: { Code: '090', AccountID: INVOICE_ID } })] })),
  );
  assert.is(error.code, 'invalid');
  assert.is(
    error.message,
    'The Payments document has 3 problems: Payments[0].Invoice: must give only one of InvoiceID, InvoiceNumber or DocumentId; ' +
      'Payments[1].Invoice: must give one of InvoiceID, InvoiceNumber or DocumentId; Payments[1].Account: must give only one of Code or AccountID.',
  );
});

parse('Amount is more than zero with at most two decimal places; Date is required', () => {
  const error = thrown(() => parseDocument('payments', json({ Payments: [payment({ Amount: 0 }), payment({ Amount: 10.005 }), { ...payment(), Date: undefined }] })));
  assert.is(
    error.message,
    'The Payments document has 3 problems: Payments[0].Amount: must be more than 0; Payments[1].Amount: must have at most 2 decimal places; Payments[2].Date: is required.',
  );
});

parse('XML amounts that are not numbers are named with their line; a repeated DocumentId is refused', () => {
  const text = `<Payments>
  <Payment><Invoice><InvoiceNumber>INV-1</InvoiceNumber></Invoice><Account><Code>090</Code></Account><Date>2024-06-03</Date><Amount>1,000.00</Amount></Payment>
</Payments>`;
  assert.is(thrown(() => parseDocument('payments', xml(text))).message, 'Payments[0].Amount: must be a number (XML line 2).');
  const twice = { Payments: [payment({ DocumentId: 'P-1' }), payment({ DocumentId: 'P-2' }), payment({ DocumentId: 'P-1' })] };
  assert.is(thrown(() => parseDocument('payments', json(twice))).message, 'Payments[2].DocumentId: repeats the DocumentId of Payments[0].');
});

const toXero = suite('documents.paymentToXero');
const noInvoices = () => undefined;

toXero('an invoice named by InvoiceID or InvoiceNumber goes to Xero as named', () => {
  assert.equal(paymentToXero(payment({ Reference: 'R1' }), noInvoices), { Invoice: { InvoiceID: INVOICE_ID }, Account: { Code: '090' }, Date: '2024-06-03T00:00:00', Amount: 85, Reference: 'R1' });
  assert.equal(paymentToXero(payment({ Invoice: { InvoiceNumber: 'INV-0042' }, Account: { AccountID: INVOICE_ID } }), noInvoices), {
    Invoice: { InvoiceNumber: 'INV-0042' },
    Account: { AccountID: INVOICE_ID },
    Date: '2024-06-03T00:00:00',
    Amount: 85,
  });
});

toXero('an invoice named by the app\'s DocumentId is paid by the InvoiceID Xero gave it', () => {
  const seen: string[] = [];
  const xeroPayment = paymentToXero(payment({ Invoice: { DocumentId: 'PMS-INV-1' } }), (id) => (seen.push(id), INVOICE_ID));
  assert.equal(seen, ['PMS-INV-1']);
  assert.equal(xeroPayment.Invoice, { InvoiceID: INVOICE_ID });
});

toXero('an invoice not in Xero yet is not_found, so the queue waits for it', () => {
  const error = thrown(() => paymentToXero(payment({ Invoice: { DocumentId: 'PMS-INV-9' } }), noInvoices));
  assert.is(error.code, 'not_found');
  assert.is(error.message, 'Invoice.DocumentId: no invoice with DocumentId "PMS-INV-9" from this device is in Xero yet.');
});

toXero('the XML of parsed payments validates against Xero\'s Payment.xsd', async () => {
  const { Payments } = parseDocument('payments', json({ Payments: [payment({ Reference: 'Cash & card' }), payment({ Invoice: { InvoiceNumber: 'INV-1' }, Account: { AccountID: INVOICE_ID }, Amount: 0.01 })] }));
  await assertValidXml(xeroXml('Payments', Payments.map((entry) => paymentToXero(entry, noInvoices))), 'Payment.xsd');
});

parse.run();
toXero.run();
