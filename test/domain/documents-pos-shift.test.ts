import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDocument } from '../../src/domain/documents/parse-document';
import type { PosShift } from '../../src/domain/documents/pos-shift';
import { shiftTotals } from '../../src/domain/documents/shift-balance';
import { shiftToDocuments, type ShiftMappings } from '../../src/domain/documents/shift-to-documents';
import type { XeroInvoice, XeroPayment } from '../../src/domain/documents/xero-types';

/** The shift's documents when it is a sales day: an invoice and its payments. */
function invoiceDay(...args: Parameters<typeof shiftToDocuments>): { invoice: XeroInvoice; payments: XeroPayment[] } {
  const documents = shiftToDocuments(...args);
  if (!documents.invoice) throw new Error('the shift became a credit note');
  return documents;
}
import { xeroXml } from '../../src/domain/documents/xero-xml';
import { assertValidXml } from '../helpers/xsd';
import { invalid, json, xml } from '../helpers/documents';

/** A Friday evening at Harbourside Café: sales 3,549.70, a card surcharge, cash rounded to 5c. */
const friday = (overrides: Partial<PosShift> = {}): PosShift => ({
  shiftId: 'TILL-0042-2024-05-31-PM',
  closedAt: '2024-05-31T22:40:00+10:00',
  location: 'Harbourside',
  department: 'Front of House',
  sales: [
    { category: 'Coffee', gross: 1247.5, tax: 113.41, quantity: 261 },
    { category: 'Food', gross: 2206.2, tax: 200.56 },
    { category: 'Bottled water', gross: 96, tax: 0 },
  ],
  fees: [{ description: 'Card surcharge 1.5%', amount: 21.35, accountCode: '260' }],
  tenders: [
    { type: 'cash', amount: 842.45 },
    { type: 'eftpos', amount: 2728.65 },
  ],
  tracking: { location: 'Harbourside', department: 'Front of House' },
  ...overrides,
});

const MAPPINGS: ShiftMappings = {
  categories: { Coffee: { accountCode: '200', taxType: 'OUTPUT' }, Food: { accountCode: '200', taxType: 'OUTPUT' }, 'Bottled water': { accountCode: '200', taxType: 'EXEMPTOUTPUT' } },
  tenders: { cash: { accountCode: '092' }, EFTPOS: { accountCode: '615' } },
  roundingAccountCode: '260',
  discrepancyAccountCode: '429',
  noTaxType: 'BASEXCLUDED',
};

/** What an Inclusive invoice of quantity-1 lines totals, in cents. */
const totalCents = (invoice: XeroInvoice) => invoice.LineItems.reduce((sum, line) => sum + Math.round((line.UnitAmount ?? 0) * 100) * (line.Quantity ?? 1), 0);

const parse = suite('documents.parseDocument pos-shift');

parse('a balanced shift parses from JSON, and from XML to the same value', () => {
  const shift = friday();
  assert.equal(parseDocument('pos-shift', json(shift)), shift);
  const text = `<PosShift>
  <shiftId>TILL-0042-2024-05-31-PM</shiftId><closedAt>2024-05-31T22:40:00+10:00</closedAt>
  <location>Harbourside</location><department>Front of House</department>
  <sales>
    <sale><category>Coffee</category><gross>1247.50</gross><tax>113.41</tax><quantity>261</quantity></sale>
    <sale><category>Food</category><gross>2206.20</gross><tax>200.56</tax></sale>
    <sale><category>Bottled water</category><gross>96</gross><tax>0.00</tax></sale>
  </sales>
  <fees><fee><description>Card surcharge 1.5%</description><amount>21.35</amount><accountCode>260</accountCode></fee></fees>
  <tenders><tender><type>cash</type><amount>842.45</amount></tender><tender><type>eftpos</type><amount>2728.65</amount></tender></tenders>
  <tracking><location>Harbourside</location><department>Front of House</department></tracking>
</PosShift>`;
  assert.equal(parseDocument('pos-shift', xml(text)), shift);
});

parse('a difference within the rounding tolerance is accepted; a larger one is refused with the numbers', () => {
  assert.equal(shiftTotals(friday()), { sales: 3549.7, refunds: 0, fees: 21.35, other: 0, discrepancy: 0, tenders: 3571.1, rounding: 0.05 });
  const short = friday({ tenders: [{ type: 'cash', amount: 830.05 }, { type: 'eftpos', amount: 2728.65 }] });
  assert.is(
    invalid(() => parseDocument('pos-shift', json(short))).message,
    'tenders: add up to 3558.70, but sales (3549.70) + fees (21.35) + discrepancy (0.00) come to 3571.05, a difference of -12.35, more than the rounding tolerance of 0.05 ' +
      '(send the till\'s over/short as "discrepancy", or correct the amounts).',
  );
  assert.ok(parseDocument('pos-shift', json({ ...short, discrepancy: -12.4 })), 'the till says it is 12.40 short');
  assert.ok(parseDocument('pos-shift', json(short), { roundingTolerance: 20 }), 'a configured tolerance of 20.00');
});

parse('tax is part of gross; XML problems carry their lines', () => {
  const text = `<PosShift>
  <shiftId>S-1</shiftId>
  <closedAt>2024-05-31 22:40</closedAt>
  <sales>
    <sale><category>Coffee</category><gross>11.00</gross><tax>1.00</tax></sale>
    <sale><category>Refunds</category><gross>-5.50</gross><tax>0.50</tax></sale>
  </sales>
  <tenders><tender><type>cash</type><amount>5.50</amount></tender></tenders>
</PosShift>`;
  assert.is(
    invalid(() => parseDocument('pos-shift', xml(text))).message,
    'closedAt: must be a date and time as YYYY-MM-DDThh:mm:ss, optionally with Z or an offset such as +10:00 (XML line 3).',
  );
  const fixed = text.replace('2024-05-31 22:40', '2024-05-31T22:40');
  assert.is(invalid(() => parseDocument('pos-shift', xml(fixed))).message, 'sales[1].tax: must be part of gross (-5.50): tax-inclusive amounts hold their tax (XML line 6).');
});

parse('sales and tenders are required; an unknown field is refused with the one meant', () => {
  const error = invalid(() => parseDocument('pos-shift', json({ shiftId: 'S-1', closedAt: '2024-05-31T22:40:00', tender: [] })));
  assert.is(error.message, 'The PosShift document has 3 problems: sales: is required; tenders: is required; tender: is not a known field (did you mean tenders?).');
});

const transform = suite('documents.shiftToDocuments');

transform('one Inclusive summary invoice, a line per category with the till\'s tax, fees and rounding, tracked alike', () => {
  const { invoice } = invoiceDay(friday(), MAPPINGS);
  const tracking = [
    { Name: 'Location', Option: 'Harbourside' },
    { Name: 'Department', Option: 'Front of House' },
  ];
  assert.equal(invoice, {
    Type: 'ACCREC',
    Contact: { Name: 'POS Sales' },
    Date: '2024-05-31T00:00:00',
    DueDate: '2024-05-31T00:00:00',
    LineAmountTypes: 'Inclusive',
    InvoiceNumber: 'POS-TILL-0042-2024-05-31-PM',
    Reference: 'POS shift TILL-0042-2024-05-31-PM (Harbourside, Front of House)',
    Status: 'AUTHORISED',
    LineItems: [
      { Description: 'Coffee (261 sold)', Quantity: 1, UnitAmount: 1247.5, AccountCode: '200', TaxType: 'OUTPUT', TaxAmount: 113.41, Tracking: tracking },
      { Description: 'Food', Quantity: 1, UnitAmount: 2206.2, AccountCode: '200', TaxType: 'OUTPUT', TaxAmount: 200.56, Tracking: tracking },
      { Description: 'Bottled water', Quantity: 1, UnitAmount: 96, AccountCode: '200', TaxType: 'EXEMPTOUTPUT', TaxAmount: 0, Tracking: tracking },
      { Description: 'Card surcharge 1.5%', Quantity: 1, UnitAmount: 21.35, AccountCode: '260', Tracking: tracking },
      { Description: 'Rounding', Quantity: 1, UnitAmount: 0.05, AccountCode: '260', TaxType: 'BASEXCLUDED', Tracking: tracking },
    ],
  });
  assert.is(totalCents(invoice), 357_110, 'the invoice totals what the tenders took');
  assert.is.not(invoice.LineItems[0]!.Tracking, invoice.LineItems[1]!.Tracking, 'no two lines share one Tracking list');
});

transform('a payment per tender into its mapped account (matched without regard to case), paying the invoice in full', () => {
  const { invoice, payments } = invoiceDay(friday(), MAPPINGS);
  assert.equal(payments, [
    { Invoice: { InvoiceNumber: 'POS-TILL-0042-2024-05-31-PM' }, Account: { Code: '092' }, Date: '2024-05-31T00:00:00', Amount: 842.45, Reference: 'cash takings, shift TILL-0042-2024-05-31-PM' },
    { Invoice: { InvoiceNumber: 'POS-TILL-0042-2024-05-31-PM' }, Account: { Code: '615' }, Date: '2024-05-31T00:00:00', Amount: 2728.65, Reference: 'eftpos takings, shift TILL-0042-2024-05-31-PM' },
  ]);
  assert.is(payments.reduce((sum, payment) => sum + Math.round(payment.Amount * 100), 0), totalCents(invoice));
});

transform('a short till: the stated discrepancy is its own untaxed line, the cash rounding another; a tender of nothing pays nothing', () => {
  const shift = friday({ fees: [], discrepancy: -12.4, tenders: [{ type: 'cash', amount: 808.7 }, { type: 'eftpos', amount: 2728.65 }, { type: 'voucher', amount: 0 }] });
  const { invoice, payments } = invoiceDay(shift, MAPPINGS);
  assert.equal(
    invoice.LineItems.slice(3).map(({ Description, UnitAmount, AccountCode, TaxType }) => ({ Description, UnitAmount, AccountCode, TaxType })),
    [
      { Description: 'Till short', UnitAmount: -12.4, AccountCode: '429', TaxType: 'BASEXCLUDED' },
      { Description: 'Rounding', UnitAmount: 0.05, AccountCode: '260', TaxType: 'BASEXCLUDED' },
    ],
  );
  assert.is(totalCents(invoice), 353_735);
  assert.equal(payments.map((payment) => payment.Amount), [808.7, 2728.65]);
});

transform('a till over with no rounding; the shift\'s contact, trading date and currency; a configured prefix and tracking categories', () => {
  const shift = friday({ fees: [], discrepancy: 3, tenders: [{ type: 'eftpos', amount: 3552.7 }], contact: 'Walk-in customers', tradingDate: '2024-05-30', currency: 'AUD', tracking: { location: 'Harbourside' } });
  const { invoice } = invoiceDay(shift, { ...MAPPINGS, invoiceNumberPrefix: 'HB-', trackingCategories: { location: 'Site' } });
  assert.equal(
    { contact: invoice.Contact, date: invoice.Date, currency: invoice.CurrencyCode, number: invoice.InvoiceNumber, last: invoice.LineItems.at(-1) },
    {
      contact: { Name: 'Walk-in customers' },
      date: '2024-05-30T00:00:00',
      currency: 'AUD',
      number: 'HB-TILL-0042-2024-05-31-PM',
      last: { Description: 'Till over', Quantity: 1, UnitAmount: 3, AccountCode: '429', TaxType: 'BASEXCLUDED', Tracking: [{ Name: 'Site', Option: 'Harbourside' }] },
    },
  );
});

transform('every missing mapping is listed with the command that makes it, and nothing is built', () => {
  const error = invalid(() =>
    shiftToDocuments(friday({ fees: [{ description: 'Delivery', amount: 21.35 }] }), { categories: { coffee: { accountCode: '200', taxType: 'OUTPUT' } }, tenders: { cash: { accountCode: '092' } } }),
  );
  assert.is(
    error.message,
    '6 mappings are missing: sales[1].category: has no account mapped for sales category "Food" (run: xero-proxy map set category "Food" --account <code> --tax <tax type>); ' +
      'sales[2].category: has no account mapped for sales category "Bottled water" (run: xero-proxy map set category "Bottled water" --account <code> --tax <tax type>); ' +
      'fees[0].accountCode: is not given and no fee account is mapped (run: xero-proxy map set fees --account <code>); ' +
      'tenders: needs the rounding account for 0.05, and none is mapped (run: xero-proxy map set rounding --account <code>); ' +
      'tenders: needs a tax type without tax, and none is mapped (run: xero-proxy map set no-tax --tax <tax type>); ' +
      'tenders[1].type: has no account mapped for tender "eftpos" (run: xero-proxy map set tender "eftpos" --account <code>).',
  );
  assert.is(error.field, 'sales[1].category');
  assert.is(error.details?.length, 6);
  assert.is(error.hint?.split('\n')[0], 'xero-proxy map set category "Food" --account <code> --tax <tax type>');
});

transform('a name with shell characters is quoted so the command can be pasted', () => {
  const shift = friday({ sales: [{ category: 'Kids "$5" meals', gross: 3571.05, tax: 324.64 }], fees: [] });
  assert.is(invalid(() => shiftToDocuments(shift, MAPPINGS)).hint, 'xero-proxy map set category "Kids \\"\\$5\\" meals" --account <code> --tax <tax type>');
});

transform('an unbalanced shift is refused here too, with the mapping\'s tolerance', () => {
  const shift = friday({ tenders: [{ type: 'cash', amount: 3571.4 }] });
  assert.match(invalid(() => shiftToDocuments(shift, MAPPINGS)).message, /^tenders: add up to 3571\.40, .* a difference of 0\.35, more than the rounding tolerance of 0\.05 /);
  assert.is(invoiceDay(shift, { ...MAPPINGS, roundingTolerance: 0.5 }).invoice.LineItems.at(-1)!.UnitAmount, 0.35);
});

transform('the invoice and payments validate against Xero\'s Invoice.xsd and Payment.xsd', async () => {
  const { invoice, payments } = invoiceDay(friday({ discrepancy: -0.4, tenders: [{ type: 'cash', amount: 842.05 }, { type: 'eftpos', amount: 2728.65 }] }), MAPPINGS);
  await assertValidXml(xeroXml('Invoices', [invoice]), 'Invoice.xsd');
  await assertValidXml(xeroXml('Payments', payments), 'Payment.xsd');
});

const awkward = suite('documents.shiftToDocuments awkward days');

awkward('refunds, tips and gift cards read from XML; an unbalanced one names them in its numbers', () => {
  const text = `<PosShift><shiftId>S-9</shiftId><closedAt>2026-11-28T22:00:00</closedAt>
  <sales><sale><category>Coffee</category><gross>100</gross><tax>9.09</tax></sale></sales>
  <refunds><refund><category>Coffee</category><gross>10</gross><tax>0.91</tax></refund></refunds>
  <tenders><tender><type>cash</type><amount>-5</amount></tender><tender><type>EFTPOS</type><amount>110</amount></tender></tenders>
  <tips>5</tips><giftCards><sold>20</sold><redeemed>10</redeemed></giftCards></PosShift>`;
  const shift = parseDocument('pos-shift', xml(text));
  assert.equal([shift.refunds?.[0]?.gross, shift.tips, shift.giftCards], [10, 5, { sold: 20, redeemed: 10 }]);
  assert.equal(shiftTotals(shift), { sales: 100, refunds: 10, fees: 0, other: 15, discrepancy: 0, tenders: 105, rounding: 0 });
  assert.match(invalid(() => parseDocument('pos-shift', xml(text.replace('<tips>5</tips>', '<tips>15</tips>')))).message, 'sales (100.00) − refunds (10.00) + tips and gift cards (25.00)');
});

awkward('a negative day is a credit note whose lines are the invoice\'s turned round, refunded from the tenders that paid out', () => {
  const shift = friday({ sales: [{ category: 'Food', gross: 20, tax: 1.82 }], refunds: [{ category: 'Food', gross: 50, tax: 4.55 }], tenders: [{ type: 'cash', amount: 20 }, { type: 'EFTPOS', amount: -50 }], fees: [] });
  const mappings = { ...MAPPINGS, settingAccounts: { suspense: '850' } };
  const { invoice, creditNote, payments } = shiftToDocuments(shift, mappings);
  assert.is(invoice, undefined);
  assert.equal([creditNote!.Type, creditNote!.Status, creditNote!.CreditNoteNumber], ['ACCRECCREDIT', 'AUTHORISED', `POS-${shift.shiftId}`]);
  assert.equal(creditNote!.LineItems.map((line) => [line.UnitAmount, line.TaxAmount, line.AccountCode]), [[-20, -1.82, '200'], [50, 4.55, '200'], [20, undefined, '850']]);
  assert.equal(payments.map((p) => [p.Account, p.Amount, p.CreditNote]), [[{ Code: '615' }, 50, {}]]);
  const missing = (() => { try { shiftToDocuments(shift, MAPPINGS); return ''; } catch (error) { return (error as Error).message; } })();
  assert.match(missing, 'tenders[0].amount: needs the suspense account for -20.00, and none is mapped (run: xero-proxy map set suspense --account <code>)');
});

parse.run();
transform.run();
awkward.run();
