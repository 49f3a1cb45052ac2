import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDocument } from '../../src/domain/documents/parse-document';
import type { WageBill } from '../../src/domain/documents/wage-bill';
import { wageBillToInvoice } from '../../src/domain/documents/wage-bill-to-invoice';
import { xeroXml } from '../../src/domain/documents/xero-xml';
import { assertValidXml } from '../helpers/xsd';
import { invalid, json, xml } from '../helpers/documents';

/** A week's wages at Riverbend Medical Practice. */
const payRun = (overrides: Partial<WageBill> = {}): WageBill => ({
  periodStart: '2024-05-27',
  periodEnd: '2024-06-02',
  lines: [
    { description: 'Net wages', amount: 18240.55, earningsType: 'Ordinary hours' },
    { description: 'Superannuation', amount: 2231.4, earningsType: 'Super' },
    { description: 'PAYG withholding', amount: 4310, accountCode: '825' },
  ],
  ...overrides,
});

const parse = suite('documents.parseDocument wage-bill');

parse('a wage bill parses from JSON, and from XML to the same value', () => {
  const bill = payRun({ reference: 'Pay run 2024-22', dueDate: '2024-06-04', status: 'AUTHORISED', contact: 'Wages payable' });
  assert.equal(parseDocument('wage-bill', json(bill)), bill);
  const text = `<WageBill>
  <periodStart>2024-05-27</periodStart><periodEnd>2024-06-02</periodEnd>
  <lines>
    <line><description>Net wages</description><amount>18240.55</amount><earningsType>Ordinary hours</earningsType></line>
    <line><description>Superannuation</description><amount>2231.40</amount><earningsType>Super</earningsType></line>
    <line><description>PAYG withholding</description><amount>4310.00</amount><accountCode>825</accountCode></line>
  </lines>
  <reference>Pay run 2024-22</reference><dueDate>2024-06-04</dueDate><status>AUTHORISED</status><contact>Wages payable</contact>
</WageBill>`;
  assert.equal(parseDocument('wage-bill', xml(text)), bill);
});

parse('the period runs forwards, the bill is not negative, and the root element is <WageBill>', () => {
  const error = invalid(() => parseDocument('wage-bill', json(payRun({ periodEnd: '2024-05-20', lines: [{ description: 'Refund of overpayment', amount: -50 }] }))));
  assert.is(error.message, 'The WageBill document has 2 problems: periodEnd: must not be before periodStart (2024-05-27); lines: add up to -50.00, but a bill cannot be negative.');
  assert.is(invalid(() => parseDocument('wage-bill', xml('<Wages><periodStart>2024-05-27</periodStart></Wages>'))).message, 'The request body must have the root element <WageBill>, not <Wages> (XML line 1).');
});

const transform = suite('documents.wageBillToInvoice');

transform('an ACCPAY NoTax bill dated at the end of the period; each line\'s account its own, its earnings type\'s, or the wages account', () => {
  const invoice = wageBillToInvoice(payRun(), { wagesAccountCode: '477', earningsAccounts: { super: '478' } });
  assert.equal(invoice, {
    Type: 'ACCPAY',
    Contact: { Name: 'Wages payable' },
    Date: '2024-06-02T00:00:00',
    DueDate: '2024-06-02T00:00:00',
    LineAmountTypes: 'NoTax',
    InvoiceNumber: 'Wages 2024-05-27 to 2024-06-02',
    Status: 'DRAFT',
    LineItems: [
      { Description: 'Net wages', Quantity: 1, UnitAmount: 18240.55, AccountCode: '477' },
      { Description: 'Superannuation', Quantity: 1, UnitAmount: 2231.4, AccountCode: '478' },
      { Description: 'PAYG withholding', Quantity: 1, UnitAmount: 4310, AccountCode: '825' },
    ],
  });
});

transform('the app\'s reference, due date, status, contact and currency are kept; the bill validates against Invoice.xsd', async () => {
  const invoice = wageBillToInvoice(payRun({ reference: 'Pay run 2024-22', dueDate: '2024-06-04', status: 'AUTHORISED', contact: 'ATO & super fund', currency: 'AUD' }), { wagesAccountCode: '477', contactName: 'Unused' });
  assert.equal(
    { number: invoice.InvoiceNumber, due: invoice.DueDate, status: invoice.Status, contact: invoice.Contact, currency: invoice.CurrencyCode },
    { number: 'Pay run 2024-22', due: '2024-06-04T00:00:00', status: 'AUTHORISED', contact: { Name: 'ATO & super fund' }, currency: 'AUD' },
  );
  await assertValidXml(xeroXml('Invoices', [invoice]), 'Invoice.xsd');
});

transform('lines without an account need the wages account mapped, once', () => {
  const error = invalid(() => wageBillToInvoice(payRun(), {}));
  assert.is(error.message, 'lines[0].accountCode: is not given and no wages account is mapped (run: xero-proxy map set wages --account <code>).');
  assert.is(error.hint, 'xero-proxy map set wages --account <code>');
});

parse.run();
transform.run();
