import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { elementOutcomes } from '../../src/domain/xero/element-outcomes';
import { XeroError } from '../../src/domain/xero/xero-error';

const outcomes = suite('xero.elementOutcomes');

outcomes('reads StatusAttributeString, falls back to HasErrors, and collects nested errors and warnings (JSON)', () => {
  const body = JSON.stringify({
    Id: 'a1',
    Status: 'OK',
    Payments: [
      { PaymentID: 'p-1', Amount: 10, StatusAttributeString: 'OK' },
      { Amount: 99, StatusAttributeString: 'ERROR', ValidationErrors: [{ Message: 'Payment amount exceeds the amount outstanding on this document' }], Invoice: { ValidationErrors: [{ Message: 'Invoice not of valid status for modification' }] } },
      { PaymentID: 'p-3', Amount: 5, StatusAttributeString: 'WARNING', Warnings: [{ Message: 'Only AUTHORISED invoices may have SentToContact updated.' }] },
      { Amount: 1, HasErrors: true, ValidationErrors: [{ Message: 'Account must be valid' }] },
    ],
  });
  assert.equal(elementOutcomes({ status: 200, headers: {}, body }, 'Payments').map(({ index, status, validationErrors, warnings }) => ({ index, status, validationErrors, warnings })), [
    { index: 0, status: 'OK', validationErrors: [], warnings: [] },
    { index: 1, status: 'ERROR', validationErrors: ['Payment amount exceeds the amount outstanding on this document', 'Invoice not of valid status for modification'], warnings: [] },
    { index: 2, status: 'WARNING', validationErrors: [], warnings: ['Only AUTHORISED invoices may have SentToContact updated.'] },
    { index: 3, status: 'ERROR', validationErrors: ['Account must be valid'], warnings: [] },
  ]);
});

outcomes('reads the status attribute and decodes each element to the JSON shape (XML)', () => {
  const body =
    '<Response xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Id>x</Id><Status>OK</Status><ProviderName>p</ProviderName><DateTimeUTC>2026-03-02T00:00:00</DateTimeUTC><Invoices>' +
    '<Invoice status="OK"><InvoiceID>i-1</InvoiceID><Reference>R1</Reference><LineItems><LineItem><AccountCode>200</AccountCode></LineItem></LineItems></Invoice>' +
    '<Invoice status="ERROR"><Reference>R2</Reference><ValidationErrors><ValidationError><Message>Account code \'999\' is not a valid code for this document.</Message></ValidationError></ValidationErrors></Invoice>' +
    '<Invoice><InvoiceID>i-3</InvoiceID><Reference>R3</Reference></Invoice>' +
    '</Invoices></Response>';
  const result = elementOutcomes({ status: 200, headers: {}, body }, 'Invoices');
  assert.equal(result.map((o) => [o.index, o.status, o.item['Reference'], o.validationErrors]), [
    [0, 'OK', 'R1', []],
    [1, 'ERROR', 'R2', ["Account code '999' is not a valid code for this document."]],
    [2, 'OK', 'R3', []],
  ]);
  assert.equal(result[0]!.item['LineItems'], [{ AccountCode: '200' }]);
});

outcomes("trusts Xero's declared status over stray messages, so a saved element is never reported failed", () => {
  const body = JSON.stringify({ Invoices: [{ InvoiceID: 'i-1', StatusAttributeString: 'OK', Contact: { ValidationErrors: [{ Message: 'echoed' }] } }] });
  assert.is(elementOutcomes({ status: 200, headers: {}, body }, 'Invoices')[0]!.status, 'OK');
});

outcomes('refuses an answer without the collection, and throws a non-200 as its problem', () => {
  for (const [response, message] of [
    [{ status: 200, headers: {}, body: '{"Contacts":[]}' }, "Xero's answer has no Invoices list."],
    [{ status: 200, headers: {}, body: '<Response><Contacts/></Response>' }, "Xero's answer has no <Invoices> list."],
    [{ status: 200, headers: {}, body: '{"Invoices": [' }, "Xero's answer listing Invoices is neither valid JSON nor valid XML."],
    [{ status: 503, headers: {}, body: 'The Xero API is currently offline for maintenance' }, 'Xero is temporarily unavailable. Xero said: "The Xero API is currently offline for maintenance".'],
  ] as const) {
    try {
      elementOutcomes(response, 'Invoices');
      assert.unreachable(message);
    } catch (error) {
      assert.instance(error, XeroError);
      assert.is((error as XeroError).message, message);
      assert.is((error as XeroError).delivery, 'answered');
    }
  }
});

outcomes.run();
