import { suite } from 'uvu';
import { oauth1Auth } from '../../src/domain/xero/auth';
import * as assert from 'uvu/assert';
import { batchBody, buildBatchWrite, encodeBatchElement } from '../../src/domain/xero/batch-write';
import { processReferenceLookup, referenceFilter, referenceHoldsKey } from '../../src/domain/xero/reference-lookup';
import { XeroError } from '../../src/domain/xero/xero-error';
import { AppError } from '../../src/lib/errors';
import { Secret } from '../../src/lib/secret';
import { assertValidXml } from '../helpers/xsd';

const batch = suite('domain.xero-batch-write');

const invoice = {
  DocumentId: 'visit-8812',
  Type: 'ACCREC',
  Contact: { Name: 'Ms Jane Citizen & Co <Pty>' },
  Date: '2026-11-28',
  DueDate: '2026-12-12',
  LineAmountTypes: 'Inclusive',
  Status: 'AUTHORISED',
  Reference: 'Table 4 [XP-7K3M9Q2WZ4AB]',
  SentToContact: false,
  LineItems: [
    { Description: 'Standard consultation', Quantity: 1.5, UnitAmount: 88, AccountCode: '200', TaxType: 'OUTPUT', DiscountRate: 10, Tracking: [{ Name: 'Location', Option: 'Harbourside' }] },
    { Description: 'Discount', Quantity: 1, UnitAmount: -8.25, AccountCode: '200', TaxType: 'OUTPUT', ItemCode: null },
  ],
};

batch('an invoice in Xero\'s JSON shape becomes XML that Invoice.xsd accepts: dates with a time, list items named from the XSD, the app\'s DocumentId left out', async () => {
  const xml = batchBody('Invoices', [encodeBatchElement('Invoices', invoice), encodeBatchElement('Invoices', { ...invoice, Type: 'ACCPAY', InvoiceNumber: 'HWS-5531 [XP-7K3M9Q2WZ4AC]' })]);
  await assertValidXml(xml, 'Invoice.xsd');
  assert.match(xml, '<Date>2026-11-28T00:00:00</Date>');
  assert.match(xml, '<Tracking><TrackingCategory><Name>Location</Name><Option>Harbourside</Option></TrackingCategory></Tracking>');
  assert.match(xml, '<Name>Ms Jane Citizen &amp; Co &lt;Pty&gt;</Name>');
  assert.match(xml, '<UnitAmount>-8.25</UnitAmount>');
  assert.not.match(xml, 'DocumentId');
  assert.not.match(xml, 'ItemCode', 'nulls are left out');
  assert.ok(xml.startsWith('<Invoices><Invoice><Type>ACCREC</Type>'));
});

batch('a payment becomes XML that Payment.xsd accepts', async () => {
  const xml = batchBody('Payments', [encodeBatchElement('Payments', { Invoice: { InvoiceID: '0f0e4bd4-1b4e-4d8f-a5f7-6a1c5f6f2f01' }, Account: { Code: '090' }, Date: '2026-11-28', Amount: 15.5, Reference: 'Card 7 [XP-7K3M9Q2WZ4AB]' })]);
  await assertValidXml(xml, 'Payment.xsd');
});

batch('the write is a signed PUT with summarizeErrors=false, an XML body and a JSON answer asked for', () => {
  const consumer = { consumerKey: 'CK', consumerSecret: new Secret('CS'), signatureMethod: 'HMAC-SHA1' as const };
  const access = { token: 'T', secret: new Secret('TS') };
  const input = {
    apiUrl: 'https://api.xero.com',
    auth: oauth1Auth(consumer, access, new Date('2026-11-28T00:00:00Z')),
    collection: 'Invoices' as const,
    body: '<Invoices />',
  };
  const request = buildBatchWrite(input);
  assert.is(request.method, 'PUT');
  assert.is(request.url, 'https://api.xero.com/api.xro/2.0/Invoices?summarizeErrors=false');
  assert.equal([request.headers['Accept'], request.headers['Content-Type'], request.body], ['application/json', 'application/xml; charset=utf-8', '<Invoices />']);
  assert.match(request.headers['Authorization']!, /^OAuth .*oauth_signature_method="HMAC-SHA1"/);
  assert.match(request.headers['Idempotency-Key']!, /^xp-[A-Za-z0-9_-]{43}$/);
  const again = buildBatchWrite({ ...input, auth: oauth1Auth(consumer, access, new Date('2026-11-28T00:05:00Z')) });
  assert.is(again.headers['Idempotency-Key'], request.headers['Idempotency-Key'], 'the same batch keeps its key');
  assert.is.not(buildBatchWrite({ ...input, body: '<Invoices><Invoice /></Invoices>' }).headers['Idempotency-Key'], request.headers['Idempotency-Key']);
});

batch('the look-up filter guards each field against null, since Xero fails a string method on a missing field', () => {
  assert.is(
    referenceFilter([
      { key: 'XP-A', field: 'Reference' },
      { key: 'XP-B', field: 'InvoiceNumber' },
      { key: 'XP-C', field: 'Reference' },
    ]),
    '(Reference != null AND (Reference.Contains("XP-A") OR Reference.Contains("XP-C"))) OR (InvoiceNumber != null AND (InvoiceNumber.Contains("XP-B")))',
  );
  assert.throws(() => referenceFilter([]), (error: unknown) => error instanceof AppError && error.code === 'internal');
  assert.throws(() => referenceFilter(Array.from({ length: 21 }, (_, i) => ({ key: `XP-${i}`, field: 'Reference' as const }))), /1 to 20 keys, not 21/);
});

batch('the look-up answer is matched by whole keys in Reference or InvoiceNumber, never by a longer key that contains one', () => {
  const response = {
    status: 200,
    headers: {},
    body: JSON.stringify({ Invoices: [{ InvoiceID: 'a', Reference: 'Table 1 [XP-ABC]' }, { InvoiceID: 'b', InvoiceNumber: 'HWS-1 [XP-AB]' }, { InvoiceID: 'c' }] }),
  };
  const found = processReferenceLookup(response, 'Invoices', ['XP-AB', 'XP-ABC', 'XP-ZZ']);
  assert.equal([...found].map(([key, doc]) => [key, doc['InvoiceID']]), [['XP-AB', 'b'], ['XP-ABC', 'a']]);
  assert.ok(referenceHoldsKey('XP-AB', 'XP-AB'));
  assert.not.ok(referenceHoldsKey('XP-ABC XP-ABD', 'XP-AB'));
  assert.ok(referenceHoldsKey('XP-ABC [XP-AB]', 'XP-AB'), 'a later whole occurrence still counts');
});

batch('a failed look-up is thrown as its problem, so the jobs stay outcome-unknown', () => {
  try {
    processReferenceLookup({ status: 500, headers: {}, body: 'An error occurred in Xero.' }, 'Invoices', ['XP-A']);
    assert.unreachable('should throw');
  } catch (error) {
    assert.instance(error, XeroError);
    assert.is((error as XeroError).problem?.kind, 'server_error');
  }
});

batch.run();
