import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { call, readXml, startAccountingOnly, type AccountingServer } from '../helpers/accounting';
import { assertValidXml } from '../helpers/xsd';

const query = suite<{ server: AccountingServer; ids: string[] }>('sandbox.accounting.query');

type Json = Record<string, unknown>;
const invoice = (reference: string, extra: Json = {}, unitAmount = 10): Json => ({
  Type: 'ACCREC',
  Contact: { ContactNumber: 'CUST-002' },
  Date: '2026-02-01',
  Reference: reference,
  Status: 'AUTHORISED',
  LineItems: [{ Description: 'Catering', Quantity: 1, UnitAmount: unitAmount, AccountCode: '200' }],
  ...extra,
});

query.before(async (context) => {
  const server = await startAccountingOnly({ start: '2026-03-02T09:30:00Z' });
  context.server = server;
  context.ids = [];
  const batches: Json[][] = [
    [invoice('Q-ALPHA', { Date: '2026-01-05' }, 50), invoice('Q-BETA', { Status: 'DRAFT' }, 20), invoice('Q-GAMMA', { Type: 'ACCPAY', Contact: { Name: 'Metro Power & Gas' } }, 30)],
  ];
  for (const batch of batches) {
    const answer = await call(server, 'PUT', '/Invoices', { json: { Invoices: batch }, acceptJson: true });
    assert.is(answer.status, 200, answer.text);
    context.ids.push(...answer.json.Invoices.map((i: { InvoiceID: string }) => i.InvoiceID));
  }
  // An hour later, one more invoice: If-Modified-Since separates them.
  server.clock.advance(3_600_000);
  const later = await call(server, 'PUT', '/Invoices', { json: { Invoices: [invoice('Q-DELTA', {}, 1.2345)] }, acceptJson: true, headers: {} });
  context.ids.push(later.json.Invoices[0].InvoiceID);
  // 150 small drafts for paging.
  const many = Array.from({ length: 150 }, (_, i) => invoice(`PAGE-${String(i).padStart(3, '0')}`, { Status: 'DRAFT' }));
  const paged = await call(server, 'PUT', '/Invoices', { json: { Invoices: many } });
  assert.is(paged.status, 200);
});
query.after(async (context) => {
  await context.server.stop();
});

async function references(server: AccountingServer, path: string, headers: Record<string, string> = {}): Promise<string[]> {
  const answer = await call(server, 'GET', path, { acceptJson: true, headers });
  assert.is(answer.status, 200, answer.text);
  return answer.json.Invoices.map((i: { Reference: string }) => i.Reference).filter((r: string) => r.startsWith('Q-'));
}

const where = (expression: string) => `/Invoices?where=${encodeURIComponent(expression)}`;

query('where: equality, inequality, AND, OR and parentheses', async ({ server }) => {
  assert.equal(await references(server, where('Reference=="Q-ALPHA"')), ['Q-ALPHA']);
  assert.equal(await references(server, where('Status=="AUTHORISED" AND Type=="ACCREC" AND Reference!="Q-DELTA"')), ['Q-ALPHA']);
  assert.equal(await references(server, where('(Reference=="Q-BETA" OR Reference=="Q-GAMMA") AND Total>25')), ['Q-GAMMA']);
  assert.equal(await references(server, where('Type=="ACCPAY" || Reference=="q-beta"')), ['Q-BETA', 'Q-GAMMA'], 'strings compare without regard to case');
});

query('where: numbers, dates, nested fields, Guid and string methods', async ({ server, ids }) => {
  assert.equal(await references(server, where('Total>=33 AND Total<=55')), ['Q-ALPHA', 'Q-GAMMA']);
  assert.equal(await references(server, where('Date<DateTime(2026,01,31)')), ['Q-ALPHA']);
  assert.equal(await references(server, where('Contact.Name=="Metro Power & Gas"')), ['Q-GAMMA']);
  assert.equal(await references(server, where(`InvoiceID==Guid("${ids[1]!.toUpperCase()}")`)), ['Q-BETA']);
  assert.equal(await references(server, where('Reference.StartsWith("q-a") OR Reference.Contains("ELT")')), ['Q-ALPHA', 'Q-DELTA']);
  assert.equal(await references(server, where('Reference.EndsWith("MMA") AND NOT (Type=="ACCREC")')), ['Q-GAMMA']);
  assert.equal(await references(server, where('SentToContact==false AND Reference.StartsWith("Q-B")')), ['Q-BETA']);
});

query('where: an unknown field or bad syntax is a 400 QueryParseException', async ({ server }) => {
  const unknown = await call(server, 'GET', where('Colour=="red"'), { acceptJson: true });
  assert.is(unknown.status, 400);
  assert.equal(unknown.json, { ErrorNumber: 16, Type: 'QueryParseException', Message: "No property or field 'Colour' exists in type 'Invoice' (at index 0)" });
  const syntax = await call(server, 'GET', where('Status=="DRAFT" AND'));
  assert.is(syntax.status, 400);
  const error = readXml(syntax.text);
  assert.equal([error.ErrorNumber, error.Type, error.Message], ['16', 'QueryParseException', 'Expression expected (at index 19)']);
  const types = await call(server, 'GET', where('Total=="ten"'), { acceptJson: true });
  assert.is(types.json.Message, "Operator '==' incompatible with operand types 'Decimal' and 'String' (at index 5)");
  const string = await call(server, 'GET', where('Reference=="open'), { acceptJson: true });
  assert.is(string.json.Message, 'Unterminated string literal (at index 11)');
  const nested = await call(server, 'GET', where('Contact.Colour=="x"'), { acceptJson: true });
  assert.is(nested.json.Message, "No property or field 'Colour' exists in type 'Contact' (at index 8)");
});

query('order: a field, a direction, and a comma list', async ({ server }) => {
  assert.equal(await references(server, '/Invoices?order=Total DESC'), ['Q-ALPHA', 'Q-GAMMA', 'Q-BETA', 'Q-DELTA']);
  assert.equal(await references(server, '/Invoices?order=Type, Reference DESC'), ['Q-GAMMA', 'Q-DELTA', 'Q-BETA', 'Q-ALPHA']);
  assert.equal(await references(server, '/Invoices?order=Contact.Name ASC,Date'), ['Q-GAMMA', 'Q-ALPHA', 'Q-BETA', 'Q-DELTA']);
  const bad = await call(server, 'GET', '/Invoices?order=Colour', { acceptJson: true });
  assert.is(bad.status, 400);
  assert.is(bad.json.Message, "No property or field 'Colour' exists in type 'Invoice'");
});

query('page: 100 per page, 1-based, line items included; without page everything, line items left out', async ({ server }) => {
  const page1 = await call(server, 'GET', '/Invoices?page=1', { acceptJson: true });
  const page2 = await call(server, 'GET', '/Invoices?page=2', { acceptJson: true });
  const page3 = await call(server, 'GET', '/Invoices?page=3', { acceptJson: true });
  assert.equal([page1.json.Invoices.length, page2.json.Invoices.length, page3.json.Invoices.length], [100, 54, 0]);
  assert.is(page1.json.Invoices[0].LineItems.length, 1);
  const all = await call(server, 'GET', '/Invoices', { acceptJson: true });
  assert.is(all.json.Invoices.length, 154);
  assert.equal(all.json.Invoices[0].LineItems, []);
  const xml = await call(server, 'GET', '/Invoices?page=2');
  await assertValidXml(xml.text);
});

query('If-Modified-Since keeps documents updated after the header, ISO or RFC 1123', async ({ server }) => {
  assert.equal(await references(server, '/Invoices', { 'If-Modified-Since': '2026-03-02T10:00:00' }), ['Q-DELTA']);
  assert.equal(await references(server, '/Invoices', { 'If-Modified-Since': 'Mon, 02 Mar 2026 10:00:00 GMT' }), ['Q-DELTA']);
  assert.equal(await references(server, '/Invoices', { 'If-Modified-Since': '2026-03-02T09:00:00' }), ['Q-ALPHA', 'Q-BETA', 'Q-GAMMA', 'Q-DELTA']);
});

query('IDs, InvoiceNumbers, Statuses and ContactIDs filter invoices', async ({ server, ids }) => {
  assert.equal(await references(server, `/Invoices?IDs=${ids[0]},${ids[2]}`), ['Q-ALPHA', 'Q-GAMMA']);
  assert.equal(await references(server, '/Invoices?Statuses=DRAFT&where=' + encodeURIComponent('Reference.StartsWith("Q-")')), ['Q-BETA']);
  const alpha = await call(server, 'GET', `/Invoices/${ids[0]}`, { acceptJson: true });
  const number = alpha.json.Invoices[0].InvoiceNumber;
  assert.equal(await references(server, `/Invoices?InvoiceNumbers=${number}`), ['Q-ALPHA']);
  const contactId = alpha.json.Invoices[0].Contact.ContactID;
  assert.equal(await references(server, `/Invoices?ContactIDs=${contactId}`), ['Q-ALPHA', 'Q-BETA', 'Q-DELTA']);
});

query('unitdp: unit amounts to 2 places unless unitdp=4 is asked for, on write and read', async ({ server, ids }) => {
  const plain = await call(server, 'GET', `/Invoices/${ids[3]}`, { acceptJson: true });
  assert.is(plain.json.Invoices[0].LineItems[0].UnitAmount, 1.23);
  const created = await call(server, 'PUT', '/Invoices?unitdp=4', { json: { Invoices: [invoice('UNITDP', { Status: 'DRAFT' }, 1.2345)] }, acceptJson: true });
  const id = created.json.Invoices[0].InvoiceID;
  assert.is(created.json.Invoices[0].LineItems[0].UnitAmount, 1.2345);
  assert.is(created.json.Invoices[0].LineItems[0].LineAmount, 1.23);
  const four = await call(server, 'GET', `/Invoices/${id}?unitdp=4`, { acceptJson: true });
  assert.is(four.json.Invoices[0].LineItems[0].UnitAmount, 1.2345);
  const two = await call(server, 'GET', `/Invoices/${id}`);
  assert.is(readXml(two.text).Invoices[0].LineItems[0].UnitAmount, '1.23');
});

query.run();
