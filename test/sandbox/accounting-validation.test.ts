import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { call, readXml, startAccountingOnly, type AccountingServer } from '../helpers/accounting';
import { assertValidXml } from '../helpers/xsd';

const validation = suite<{ server: AccountingServer }>('sandbox.accounting.validation');

validation.before(async (context) => {
  context.server = await startAccountingOnly();
});
validation.after(async (context) => {
  await context.server.stop();
});

type Json = Record<string, unknown>;
const line = (extra: Json = {}): Json => ({ Description: 'Coffee', Quantity: 1, UnitAmount: 10, AccountCode: '200', TaxType: 'OUTPUT', ...extra });
const invoice = (extra: Json = {}, lineExtra: Json = {}): Json => ({ Type: 'ACCREC', Contact: { Name: 'Cash Customer' }, Date: '2026-03-01', LineItems: [line(lineExtra)], ...extra });

/** PUTs one invoice with the default (summarised) errors and returns its messages. */
async function messagesFor(server: AccountingServer, body: Json): Promise<string[]> {
  const answer = await call(server, 'PUT', '/Invoices', { json: { Invoices: [body] }, acceptJson: true });
  assert.is(answer.status, 400, answer.text);
  assert.is(answer.json.ErrorNumber, 10);
  assert.is(answer.json.Type, 'ValidationException');
  assert.is(answer.json.Message, 'A validation exception occurred');
  return answer.json.Elements[0].ValidationErrors.map((error: { Message: string }) => error.Message);
}

const RULES: Array<[string, Json, string]> = [
  ['an unknown account code', invoice({}, { AccountCode: '999' }), "Account code '999' is not a valid code for this document."],
  ['a bank account on a line', invoice({}, { AccountCode: '090' }), "Account code '090' is not a valid code for this document."],
  ['an archived account', invoice({}, { AccountCode: '420' }), "Account code '420' has been archived, or has been deleted. Each line item must reference a valid account."],
  ['an unknown tax type', invoice({}, { TaxType: 'XYZ' }), 'The TaxType code XYZ does not exist or cannot be used for this type of transaction.'],
  ['an archived tax type', invoice({}, { TaxType: 'TAX001' }), 'The TaxType code TAX001 does not exist or cannot be used for this type of transaction.'],
  ['an unknown item code', invoice({}, { ItemCode: 'NOPE' }), "Item code 'NOPE' is not valid."],
  ['a line with neither description nor item', invoice({}, { Description: undefined }), 'The description field is mandatory for each line item.'],
  ['no line items', invoice({ LineItems: [] }), 'One or more line items must be specified'],
  ['no contact', invoice({ Contact: undefined }), 'A Contact must be specified for this type of transaction'],
  ['an empty contact', invoice({ Contact: {} }), 'The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber'],
  ['an unknown ContactID', invoice({ Contact: { ContactID: '9a0e8d5c-0000-4000-8000-000000000001' } }), 'An existing Contact with the specified ContactID could not be found'],
  ['a missing Type', invoice({ Type: undefined }), 'Invoice Type must be specified (ACCREC or ACCPAY).'],
  ['an unknown Type', invoice({ Type: 'ACCRECCREDIT' }), "Invoice Type 'ACCRECCREDIT' is not valid; use ACCREC or ACCPAY."],
  ['a PAID status on creation', invoice({ Status: 'PAID' }), 'Invoice not of valid status for creation'],
  ['a VOIDED status on creation', invoice({ Status: 'VOIDED' }), 'Invoice not of valid status for creation'],
  ['a foreign currency', invoice({ CurrencyCode: 'USD' }), 'Organisation is not subscribed to currency USD'],
  ['a bad date', invoice({ Date: '2026-02-30' }), "The Date '2026-02-30' is not a valid date."],
  ['a bad quantity', invoice({}, { Quantity: 'lots' }), "The Quantity 'lots' is not a valid number."],
  ['a bad LineAmountTypes', invoice({ LineAmountTypes: 'Gross' }), "LineAmountTypes 'Gross' is not valid; use Exclusive, Inclusive or NoTax."],
  ['an unknown tracking category', invoice({}, { Tracking: [{ Name: 'Region', Option: 'North' }] }), "The tracking category 'Region' does not exist or is not active."],
  ['an unknown tracking option', invoice({}, { Tracking: [{ Name: 'Location', Option: 'Moon' }] }), "The tracking option 'Moon' does not exist for tracking category 'Location'."],
];

for (const [what, body, message] of RULES) {
  validation(`refuses ${what} with Xero's message`, async ({ server }) => {
    assert.ok((await messagesFor(server, body)).includes(message), `expected "${message}"`);
  });
}

validation('lists every problem of an element, as pyxero\'s recorded response shows', async ({ server }) => {
  const messages = await messagesFor(server, { Type: 'ACCREC', Status: 'PAID', LineItems: [] });
  assert.equal(messages, ['A Contact must be specified for this type of transaction', 'One or more line items must be specified', 'Invoice not of valid status for creation']);
});

validation('summarizeErrors=false: a mixed batch of three answers 200, saves only the valid ones, and marks each', async ({ server }) => {
  const before = (server.deps.db.prepare("SELECT COUNT(*) AS n FROM documents WHERE type = 'Invoice'").get() as { n: number }).n;
  const answer = await call(server, 'PUT', '/Invoices?summarizeErrors=false', {
    acceptJson: true,
    json: { Invoices: [invoice({ Reference: 'MIX-1' }), invoice({ Reference: 'MIX-2' }, { AccountCode: '999' }), invoice({ Reference: 'MIX-3' })] },
  });
  assert.is(answer.status, 200);
  const [first, second, third] = answer.json.Invoices;
  assert.equal([first.StatusAttributeString, second.StatusAttributeString, third.StatusAttributeString], ['OK', 'ERROR', 'OK']);
  assert.equal([first.HasErrors, second.HasErrors, third.HasErrors], [false, true, false]);
  assert.equal(second.ValidationErrors, [{ Message: "Account code '999' is not a valid code for this document." }]);
  assert.is(second.InvoiceID, '00000000-0000-0000-0000-000000000000');
  assert.match(first.InvoiceID, /^[0-9a-f-]{36}$/);
  const after = (server.deps.db.prepare("SELECT COUNT(*) AS n FROM documents WHERE type = 'Invoice'").get() as { n: number }).n;
  assert.is(after - before, 2);
  const saved = server.deps.db.prepare("SELECT reference FROM documents WHERE type = 'Invoice' AND reference LIKE 'MIX-%' ORDER BY seq").all();
  assert.equal(saved, [{ reference: 'MIX-1' }, { reference: 'MIX-3' }]);
});

validation('summarizeErrors=false in XML puts status="OK|ERROR" on each element and validates', async ({ server }) => {
  const xml =
    '<Invoices>' +
    '<Invoice><Type>ACCREC</Type><Contact><Name>Cash Customer</Name></Contact><Reference>XMLMIX-1</Reference><LineItems><LineItem><Description>Tea</Description><UnitAmount>4.00</UnitAmount><AccountCode>200</AccountCode></LineItem></LineItems></Invoice>' +
    '<Invoice><Type>ACCREC</Type><Contact><Name>Cash Customer</Name></Contact><Reference>XMLMIX-2</Reference><LineItems><LineItem><Description>Tea</Description><UnitAmount>4.00</UnitAmount><AccountCode>999</AccountCode></LineItem></LineItems></Invoice>' +
    '</Invoices>';
  await assertValidXml(xml, 'Invoice.xsd');
  const answer = await call(server, 'PUT', '/Invoices?summarizeErrors=false', { xml });
  assert.is(answer.status, 200);
  await assertValidXml(answer.text);
  assert.match(answer.text, /<Invoice status="OK">/);
  assert.match(answer.text, /<Invoice status="ERROR"><ValidationErrors><ValidationError><Message>Account code &apos;999&apos; is not a valid code for this document.<\/Message>/);
  assert.not.match(answer.text, 'HasErrors');
});

validation('summarised errors: 400 lists only the failed elements while the valid ones are still saved', async ({ server }) => {
  const answer = await call(server, 'PUT', '/Invoices', {
    json: { Invoices: [invoice({ Reference: 'SUM-1' }), invoice({ Reference: 'SUM-2', Contact: undefined })] },
  });
  assert.is(answer.status, 400);
  await assertValidXml(answer.text);
  const error = readXml(answer.text);
  assert.is(error.ErrorNumber, '10');
  assert.is(error.Type, 'ValidationException');
  assert.is(error.Elements.length, 1);
  assert.is(error.Elements[0].Reference, 'SUM-2');
  assert.equal(error.Elements[0].ValidationErrors, [{ Message: 'A Contact must be specified for this type of transaction' }]);
  assert.match(answer.text, '<DataContractBase xsi:type="Invoice">');
  const saved = server.deps.db.prepare("SELECT reference FROM documents WHERE type = 'Invoice' AND reference LIKE 'SUM-%'").all();
  assert.equal(saved, [{ reference: 'SUM-1' }]);
});

validation('a contact named but unknown is created with the invoice, and only if the invoice is saved', async ({ server }) => {
  const failed = await call(server, 'PUT', '/Invoices', { json: { Invoices: [invoice({ Contact: { Name: 'Ghost Pty Ltd' } }, { AccountCode: '999' })] } });
  assert.is(failed.status, 400);
  const ghosts = server.deps.db.prepare("SELECT id FROM documents WHERE type = 'Contact' AND reference = 'Ghost Pty Ltd'").all();
  assert.is(ghosts.length, 0);
  const ok = await call(server, 'PUT', '/Invoices', { json: { Invoices: [invoice({ Contact: { Name: 'Ghost Pty Ltd', ContactNumber: 'GHOST-1' } })] }, acceptJson: true });
  assert.is(ok.status, 200, ok.text);
  const contactId = ok.json.Invoices[0].Contact.ContactID;
  const contact = await call(server, 'GET', '/Contacts/GHOST-1', { acceptJson: true });
  assert.is(contact.status, 200);
  assert.is(contact.json.Contacts[0].ContactID, contactId);
  assert.is(contact.json.Contacts[0].IsCustomer, true);
  const again = await call(server, 'PUT', '/Invoices', { json: { Invoices: [invoice({ Contact: { Name: 'ghost pty ltd' } })] }, acceptJson: true });
  assert.is(again.json.Invoices[0].Contact.ContactID, contactId, 'a name matches an existing contact without regard to case');
});

validation('a paid invoice cannot be edited', async ({ server }) => {
  const created = await call(server, 'PUT', '/Invoices', { json: { Invoices: [invoice({ Status: 'AUTHORISED', Reference: 'TO-PAY' })] }, acceptJson: true });
  const id = created.json.Invoices[0].InvoiceID;
  const paid = await call(server, 'PUT', '/Payments', { json: { Payments: [{ Invoice: { InvoiceID: id }, Account: { Code: '090' }, Date: '2026-03-02', Amount: 11 }] }, acceptJson: true });
  assert.is(paid.status, 200, paid.text);
  const edit = await call(server, 'POST', `/Invoices/${id}`, { json: { Reference: 'edited' }, acceptJson: true });
  assert.is(edit.status, 400);
  assert.is(edit.json.Elements[0].ValidationErrors[0].Message, 'This document cannot be edited as it has a payment or credit note allocated to it.');
});

validation.run();
