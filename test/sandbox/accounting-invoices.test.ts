import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { call, readXml, startAccountingOnly, type AccountingServer } from '../helpers/accounting';
import { assertValidXml } from '../helpers/xsd';

const invoices = suite<{ server: AccountingServer }>('sandbox.accounting.invoices');

invoices.before(async (context) => {
  context.server = await startAccountingOnly();
});
invoices.after(async (context) => {
  await context.server.stop();
});

const CASH_CUSTOMER = 'Cash Customer';

function invoiceXml(fields: { reference: string; status?: string; number?: string; types?: string; lines?: string }): string {
  return (
    `<Invoices><Invoice><Type>ACCREC</Type><Contact><Name>${CASH_CUSTOMER}</Name></Contact>` +
    `<Date>2026-03-01T00:00:00</Date><DueDate>2026-03-31T00:00:00</DueDate>` +
    (fields.types ? `<LineAmountTypes>${fields.types}</LineAmountTypes>` : '') +
    (fields.number ? `<InvoiceNumber>${fields.number}</InvoiceNumber>` : '') +
    `<Reference>${fields.reference}</Reference><Status>${fields.status ?? 'AUTHORISED'}</Status>` +
    `<LineItems>${fields.lines ?? '<LineItem><Description>Large coffee</Description><Quantity>3</Quantity><UnitAmount>5.50</UnitAmount><AccountCode>200</AccountCode><TaxType>OUTPUT</TaxType></LineItem>'}</LineItems>` +
    `</Invoice></Invoices>`
  );
}

invoices('creates an invoice from raw XML and answers Xero\'s Response envelope, valid against the XSD', async ({ server }) => {
  const body = invoiceXml({ reference: 'RAW-XML' });
  await assertValidXml(body, 'Invoice.xsd');
  const answer = await call(server, 'PUT', '/Invoices', { xml: body });
  assert.is(answer.status, 200);
  assert.match(answer.contentType, 'text/xml');
  await assertValidXml(answer.text);
  const invoice = readXml(answer.text).Invoices[0];
  assert.is(invoice.Reference, 'RAW-XML');
  assert.is(invoice.Status, 'AUTHORISED');
  assert.is(invoice.InvoiceNumber, 'INV-0001');
  assert.is(invoice.LineItems[0].LineAmount, '16.50');
  assert.is(invoice.LineItems[0].TaxAmount, '1.65');
  assert.is(invoice.Total, '18.15');
  assert.is(invoice.Date, '2026-03-01T00:00:00');
  assert.match(invoice.InvoiceID, /^[0-9a-f-]{36}$/);
});

invoices('creates an invoice from the classic xml= form field and numbers it in sequence', async ({ server }) => {
  const answer = await call(server, 'PUT', '/Invoices', { xml: invoiceXml({ reference: 'FORM-FIELD' }), form: true });
  assert.is(answer.status, 200);
  await assertValidXml(answer.text);
  assert.is(readXml(answer.text).Invoices[0].InvoiceNumber, 'INV-0002');
});

invoices('accepts a bare <Invoice> root, as pyxero sends for one object', async ({ server }) => {
  const bare = invoiceXml({ reference: 'BARE-ROOT' }).replace(/^<Invoices>/, '').replace(/<\/Invoices>$/, '');
  await assertValidXml(bare, 'Invoice.xsd');
  const answer = await call(server, 'PUT', '/Invoices', { xml: bare });
  assert.is(answer.status, 200);
  assert.is(readXml(answer.text).Invoices[0].Reference, 'BARE-ROOT');
});

invoices('creates from JSON and reads the invoice back in JSON with .NET dates and in XML', async ({ server }) => {
  const created = await call(server, 'PUT', '/Invoices', {
    acceptJson: true,
    json: {
      Invoices: [
        {
          Type: 'ACCPAY',
          Contact: { ContactNumber: 'SUPP-001' },
          Date: '2026-02-10',
          DueDate: '/Date(1772323200000+0000)/',
          Reference: 'JSON-BILL',
          LineItems: [{ Description: 'Beans', Quantity: 10, UnitAmount: 22, AccountCode: '310', TaxType: 'INPUT' }],
        },
      ],
    },
  });
  assert.is(created.status, 200);
  const bill = created.json.Invoices[0];
  assert.is(bill.Type, 'ACCPAY');
  assert.is(bill.Status, 'DRAFT');
  assert.is(bill.InvoiceNumber, undefined, 'bills are not numbered automatically');
  assert.is(bill.Contact.Name, 'Harbour Wholesale Supplies');
  assert.is(bill.Date, '/Date(1770681600000+0000)/');
  assert.is(bill.DateString, '2026-02-10T00:00:00');
  assert.is(bill.DueDate, '/Date(1772323200000+0000)/');
  assert.is(bill.UpdatedDateUTC, `/Date(${Date.parse('2026-03-02T09:30:00Z')}+0000)/`);
  assert.equal([bill.SubTotal, bill.TotalTax, bill.Total, bill.AmountDue], [220, 22, 242, 242]);

  const asJson = await call(server, 'GET', `/Invoices/${bill.InvoiceID}`, { acceptJson: true });
  assert.is(asJson.status, 200);
  assert.equal(asJson.json.Invoices[0].LineItems[0].LineAmount, 220);
  const asXml = await call(server, 'GET', `/Invoices/${bill.InvoiceID}`);
  await assertValidXml(asXml.text);
  const xmlBill = readXml(asXml.text).Invoices[0];
  assert.is(xmlBill.DueDate, '2026-03-01T00:00:00');
  assert.is(xmlBill.TotalTax, '22.00');
  assert.is(xmlBill.LineItems[0].Quantity, '10.0000');
});

invoices('prices Exclusive, Inclusive and NoTax lines as Xero does, with discounts', async ({ server }) => {
  const line = (extra = '') => `<LineItem><Description>Catering</Description><Quantity>3</Quantity><UnitAmount>33.33</UnitAmount><AccountCode>200</AccountCode><TaxType>OUTPUT</TaxType>${extra}</LineItem>`;
  const cases = [
    { types: 'Exclusive', lines: line(), expect: { LineAmount: '99.99', TaxAmount: '10.00', SubTotal: '99.99', TotalTax: '10.00', Total: '109.99' } },
    { types: 'Inclusive', lines: line(), expect: { LineAmount: '99.99', TaxAmount: '9.09', SubTotal: '90.90', TotalTax: '9.09', Total: '99.99' } },
    { types: 'NoTax', lines: line(), expect: { LineAmount: '99.99', TaxAmount: '0.00', SubTotal: '99.99', TotalTax: '0.00', Total: '99.99' } },
    { types: 'Exclusive', lines: line('<DiscountRate>10</DiscountRate>'), expect: { LineAmount: '89.99', TaxAmount: '9.00', SubTotal: '89.99', TotalTax: '9.00', Total: '98.99' } },
  ];
  for (const [index, test] of cases.entries()) {
    const body = invoiceXml({ reference: `TOTALS-${index}`, types: test.types, lines: test.lines });
    await assertValidXml(body, 'Invoice.xsd');
    const answer = await call(server, 'PUT', '/Invoices', { xml: body });
    assert.is(answer.status, 200, answer.text);
    await assertValidXml(answer.text);
    const invoice = readXml(answer.text).Invoices[0];
    const got = { LineAmount: invoice.LineItems[0].LineAmount, TaxAmount: invoice.LineItems[0].TaxAmount, SubTotal: invoice.SubTotal, TotalTax: invoice.TotalTax, Total: invoice.Total };
    assert.equal(got, test.expect, `${test.types} case ${index}`);
  }
});

invoices('fills a line from its ItemCode and tags tracking by name', async ({ server }) => {
  const lines = '<LineItem><ItemCode>MUFFIN</ItemCode><Quantity>4</Quantity><Tracking><TrackingCategory><Name>Location</Name><Option>Harbourside</Option></TrackingCategory></Tracking></LineItem>';
  const body = invoiceXml({ reference: 'ITEM-LINE', lines });
  await assertValidXml(body, 'Invoice.xsd');
  const answer = await call(server, 'PUT', '/Invoices', { xml: body });
  assert.is(answer.status, 200, answer.text);
  await assertValidXml(answer.text);
  const line = readXml(answer.text).Invoices[0].LineItems[0];
  assert.equal([line.Description, line.UnitAmount, line.AccountCode, line.TaxType, line.LineAmount], ['Blueberry Muffin', '4.50', '200', 'OUTPUT', '18.00']);
  assert.is(line.Tracking[0].Option, 'Harbourside');
  assert.match(line.Tracking[0].TrackingOptionID, /^[0-9a-f-]{36}$/);
});

invoices('PUT refuses an InvoiceID that already exists; POST updates it', async ({ server }) => {
  const created = await call(server, 'PUT', '/Invoices', { xml: invoiceXml({ reference: 'PUT-POST', status: 'DRAFT' }), acceptJson: true });
  const id = created.json.Invoices[0].InvoiceID as string;
  const again = await call(server, 'PUT', '/Invoices', { json: { Invoices: [{ InvoiceID: id, Reference: 'changed' }] }, acceptJson: true });
  assert.is(again.status, 400);
  assert.is(again.json.Type, 'ValidationException');
  assert.is(again.json.Elements[0].ValidationErrors[0].Message, `An invoice with InvoiceID ${id} already exists; PUT only creates. Use POST to update it.`);

  const updated = await call(server, 'POST', '/Invoices', { json: { Invoices: [{ InvoiceID: id, Reference: 'changed', Status: 'AUTHORISED' }] }, acceptJson: true });
  assert.is(updated.status, 200, updated.text);
  assert.is(updated.json.Invoices[0].InvoiceID, id);
  assert.is(updated.json.Invoices[0].Reference, 'changed');
  assert.is(updated.json.Invoices[0].Status, 'AUTHORISED');
  assert.is(updated.json.Invoices[0].Total, 18.15, 'lines are kept when an update leaves them out');

  const unknown = await call(server, 'POST', '/Invoices', { json: { Invoices: [{ InvoiceID: '5b1c0d1e-0000-4000-8000-000000000000', Reference: 'x' }] }, acceptJson: true });
  assert.is(unknown.status, 400);
  assert.is(unknown.json.Elements[0].ValidationErrors[0].Message, 'An existing Invoice with the specified InvoiceID could not be found');
});

invoices('POST by InvoiceNumber updates that invoice, and an unknown number creates one', async ({ server }) => {
  const byNumber = await call(server, 'POST', '/Invoices', { json: { Invoices: [{ InvoiceNumber: 'INV-0001', Reference: 'renamed' }] }, acceptJson: true });
  assert.is(byNumber.status, 200, byNumber.text);
  assert.is(byNumber.json.Invoices[0].Reference, 'renamed');
  assert.is(byNumber.json.Invoices[0].Total, 18.15);
  const created = await call(server, 'POST', '/Invoices', { xml: invoiceXml({ reference: 'POST-NEW', number: 'WEB-1001' }) });
  assert.is(created.status, 200, created.text);
  assert.is(readXml(created.text).Invoices[0].InvoiceNumber, 'WEB-1001');
});

invoices('POST /Invoices/{number} updates one invoice; voiding needs AUTHORISED, deleting needs DRAFT', async ({ server }) => {
  const voided = await call(server, 'POST', '/Invoices/WEB-1001', { xml: '<Invoice><Status>VOIDED</Status></Invoice>' });
  assert.is(voided.status, 200, voided.text);
  await assertValidXml(voided.text);
  assert.is(readXml(voided.text).Invoices[0].Status, 'VOIDED');
  const again = await call(server, 'POST', '/Invoices/WEB-1001', { xml: '<Invoice><Status>AUTHORISED</Status></Invoice>' });
  assert.is(again.status, 400);
  await assertValidXml(again.text);
  assert.is(readXml(again.text).Elements[0].ValidationErrors[0].Message, 'Invoice not of valid status for modification');

  const draft = await call(server, 'PUT', '/Invoices', { xml: invoiceXml({ reference: 'TO-DELETE', status: 'DRAFT' }), acceptJson: true });
  const id = draft.json.Invoices[0].InvoiceID;
  const voidDraft = await call(server, 'POST', `/Invoices/${id}`, { json: { Status: 'VOIDED' }, acceptJson: true });
  assert.is(voidDraft.status, 400);
  assert.is(voidDraft.json.Elements[0].ValidationErrors[0].Message, 'Invoice not of valid status for modification');
  const deleted = await call(server, 'POST', `/Invoices/${id}`, { json: { Status: 'DELETED' }, acceptJson: true });
  assert.is(deleted.status, 200, deleted.text);
  assert.is(deleted.json.Invoices[0].Status, 'DELETED');
});

invoices('ACCREC invoice numbers are unique; ACCPAY numbers need not be', async ({ server }) => {
  const duplicate = await call(server, 'PUT', '/Invoices', { xml: invoiceXml({ reference: 'DUP', number: 'INV-0001' }) });
  assert.is(duplicate.status, 400);
  await assertValidXml(duplicate.text);
  assert.is(readXml(duplicate.text).Elements[0].ValidationErrors[0].Message, 'Invoice # must be unique.');
  const bill = (n: number) => ({ Type: 'ACCPAY', InvoiceNumber: 'SUPPLIER-77', Reference: `BILL-${n}`, Contact: { Name: 'Metro Power & Gas' }, LineItems: [{ Description: 'Power', UnitAmount: 100, AccountCode: '429' }] });
  const bills = await call(server, 'PUT', '/Invoices', { json: { Invoices: [bill(1), bill(2)] }, acceptJson: true });
  assert.is(bills.status, 200, bills.text);
  assert.equal(bills.json.Invoices.map((i: { InvoiceNumber: string }) => i.InvoiceNumber), ['SUPPLIER-77', 'SUPPLIER-77']);
});

invoices('an unknown invoice is Xero\'s plain-text 404', async ({ server }) => {
  for (const key of ['0b6c5a5e-1111-4222-8333-944455556666', 'INV-9999']) {
    const answer = await call(server, 'GET', `/Invoices/${key}`);
    assert.is(answer.status, 404);
    assert.is(answer.text, "The resource you're looking for cannot be found");
  }
  const post = await call(server, 'POST', '/Invoices/INV-9999', { json: { Reference: 'x' } });
  assert.is(post.status, 404);
});

invoices('stores the reference in the documents table so it can be looked up', async ({ server }) => {
  const row = server.deps.db.prepare("SELECT number, reference FROM documents WHERE type = 'Invoice' AND reference = 'FORM-FIELD'").get() as { number: string; reference: string };
  assert.equal(row, { number: 'INV-0002', reference: 'FORM-FIELD' });
});

invoices('a body that is not well-formed XML is a PostDataInvalidException', async ({ server }) => {
  const answer = await call(server, 'PUT', '/Invoices', { xml: '<Invoices><Invoice>' });
  assert.is(answer.status, 400);
  const error = readXml(answer.text);
  assert.is(error.ErrorNumber, '14');
  assert.is(error.Type, 'PostDataInvalidException');
  assert.match(error.Message, 'The XML is not well-formed');
});

invoices('reports committedWrite only when something was saved, so the drop-after-commit fault can act', async ({ server }) => {
  const marks = () => server.committed.slice(-1)[0];
  await call(server, 'PUT', '/Invoices', { xml: invoiceXml({ reference: 'COMMIT-1' }) });
  assert.is(marks(), true);
  await call(server, 'GET', '/Invoices?page=1');
  assert.is(marks(), false);
  const refused = await call(server, 'PUT', '/Invoices', { xml: invoiceXml({ reference: 'COMMIT-2', number: 'INV-0001' }) });
  assert.is(refused.status, 400);
  assert.is(marks(), false);
  const partly = await call(server, 'PUT', '/Invoices?summarizeErrors=false', { json: [{ Type: 'ACCREC', Contact: { Name: CASH_CUSTOMER }, LineItems: [{ Description: 'x', UnitAmount: 1 }] }, { Type: 'ACCREC' }], acceptJson: true });
  assert.is(partly.status, 200);
  assert.equal(partly.json.Invoices.map((i: { StatusAttributeString: string }) => i.StatusAttributeString), ['OK', 'ERROR'], 'a bare JSON array is read as the collection');
  assert.is(marks(), true);
});

invoices.run();

const numbering = suite('sandbox.accounting.invoice-numbers');

numbering('a new sales invoice takes the number after the highest INV- number in use, compared as numbers; bills and other shapes do not count', async () => {
  const server = await startAccountingOnly();
  try {
    const sale = (fields: Record<string, unknown>) => ({ Type: 'ACCREC', Contact: { Name: CASH_CUSTOMER }, LineItems: [{ Description: 'Coffee', UnitAmount: 5, AccountCode: '200' }], ...fields });
    const bill = { Type: 'ACCPAY', InvoiceNumber: 'INV-5000', Contact: { Name: 'Metro Power & Gas' }, LineItems: [{ Description: 'Power', UnitAmount: 100, AccountCode: '429' }] };
    const given = await call(server, 'PUT', '/Invoices', { json: { Invoices: [sale({ InvoiceNumber: 'INV-999' }), sale({ InvoiceNumber: 'INV-0100' }), sale({ InvoiceNumber: 'INV-2000X' }), bill] }, acceptJson: true });
    assert.is(given.status, 200, given.text);
    const next = await call(server, 'PUT', '/Invoices', { json: { Invoices: [sale({}), sale({})] }, acceptJson: true });
    assert.equal(next.json.Invoices.map((i: { InvoiceNumber: string }) => i.InvoiceNumber), ['INV-1000', 'INV-1001']);
  } finally {
    await server.stop();
  }
});

numbering.run();
