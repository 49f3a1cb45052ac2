import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { call, startAccountingOnly, type AccountingServer } from '../helpers/accounting';
import { rawRequest } from '../helpers/raw-http';
import { assertValidXml } from '../helpers/xsd';
import { startTestSandbox } from '../helpers/sandbox';

const attachments = suite<{ server: AccountingServer; sales: string; bill: string; contact: string }>('sandbox.attachments');

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 0x20), Buffer.from('\n%%EOF\n')]);

attachments.before.each(async (context) => {
  context.server = await startAccountingOnly();
  const made = await call(context.server, 'PUT', '/Invoices', {
    acceptJson: true,
    json: {
      Invoices: [
        { Type: 'ACCREC', Contact: { Name: 'Walk-in customer' }, Date: '2026-03-02', LineItems: [{ Description: 'Consult', Quantity: 1, UnitAmount: 80, AccountCode: '200' }] },
        { Type: 'ACCPAY', Contact: { Name: 'Harbour Wholesale Supplies' }, Date: '2026-03-02', LineItems: [{ Description: 'Beans', Quantity: 1, UnitAmount: 80, AccountCode: '310' }] },
      ],
    },
  });
  assert.is(made.status, 200, made.text);
  [context.sales, context.bill] = made.json.Invoices.map((invoice: { InvoiceID: string }) => invoice.InvoiceID);
  context.contact = made.json.Invoices[0].Contact.ContactID;
});
attachments.after.each(({ server }) => server.stop());

const upload = (server: AccountingServer, method: 'PUT' | 'POST', path: string, body: Uint8Array, type = 'application/pdf') =>
  fetch(`${server.api}${path}`, { method, headers: { 'content-type': type, accept: 'application/json' }, body });

attachments('a file PUT to an invoice is listed with its name, type and size, and reads back byte for byte by name or by AttachmentID', async ({ server, sales }) => {
  const put = await upload(server, 'PUT', `/Invoices/${sales}/Attachments/referral.pdf?IncludeOnline=true`, PDF);
  assert.is(put.status, 200, await put.clone().text());
  const [made] = ((await put.json()) as { Attachments: Array<Record<string, unknown>> }).Attachments;
  assert.equal([made!['FileName'], made!['MimeType'], made!['ContentLength'], made!['IncludeOnline']], ['referral.pdf', 'application/pdf', PDF.length, true]);
  const list = await call(server, 'GET', `/Invoices/${sales}/Attachments`, { acceptJson: true });
  assert.equal(list.json.Attachments.map((file: { AttachmentID: string }) => file.AttachmentID), [made!['AttachmentID']]);
  for (const name of ['Referral.PDF', String(made!['AttachmentID'])]) {
    const read = await fetch(`${server.api}/Invoices/${sales}/Attachments/${name}`);
    assert.is(read.headers.get('content-type'), 'application/pdf');
    assert.ok(Buffer.from(await read.arrayBuffer()).equals(PDF), `read back by ${name}`);
  }
  const xml = await call(server, 'GET', `/Invoices/${sales}/Attachments`);
  assert.match(xml.text, '<Attachments><Attachment><AttachmentID>');
  await assertValidXml(xml.text, 'Response.xsd');
  const xmlPut = await fetch(`${server.api}/Invoices/${sales}/Attachments/second.pdf?IncludeOnline=true`, { method: 'PUT', headers: { 'content-type': 'application/pdf' }, body: PDF });
  await assertValidXml(await xmlPut.text(), 'Response.xsd');
});

attachments('a second PUT of the same name adds a second file; POST replaces the one of that name', async ({ server, sales }) => {
  for (let i = 0; i < 2; i++) assert.is((await upload(server, 'PUT', `/Invoices/${sales}/Attachments/scan.pdf`, PDF)).status, 200);
  assert.is((await call(server, 'GET', `/Invoices/${sales}/Attachments`, { acceptJson: true })).json.Attachments.length, 2);
  assert.is((await upload(server, 'POST', `/Invoices/${sales}/Attachments/scan.pdf`, PDF)).status, 200);
  assert.is((await call(server, 'GET', `/Invoices/${sales}/Attachments`, { acceptJson: true })).json.Attachments.length, 1);
});

attachments("Xero's limits: ten files a document, 500 to a name ending in a space, 404 for a document it does not have, IncludeOnline only on sales documents", async ({ server, sales, bill, contact }) => {
  for (let i = 1; i <= 10; i++) assert.is((await upload(server, 'PUT', `/Invoices/${sales}/Attachments/page-${i}.pdf`, PDF)).status, 200);
  const eleventh = await upload(server, 'PUT', `/Invoices/${sales}/Attachments/page-11.pdf`, PDF);
  assert.is(eleventh.status, 400);
  assert.equal(await eleventh.json(), { ErrorNumber: 10, Type: 'ValidationException', Message: 'A document can have at most 10 attachments; this one already has 10.' });

  const space = await upload(server, 'PUT', `/Invoices/${bill}/Attachments/${encodeURIComponent('scan.pdf ')}`, PDF);
  assert.is(space.status, 500);
  assert.is(await space.text(), 'An unhandled error with the Xero API occurred. Contact the Xero API team if problems persist.');

  const unknown = await upload(server, 'PUT', '/Invoices/00000000-0000-0000-0000-000000000001/Attachments/scan.pdf', PDF);
  assert.is(unknown.status, 404);
  assert.is(await unknown.text(), "The resource you're looking for cannot be found");
  assert.is((await call(server, 'GET', '/Invoices/00000000-0000-0000-0000-000000000001/Attachments')).status, 404);

  const online = await upload(server, 'PUT', `/Invoices/${bill}/Attachments/bill.pdf?IncludeOnline=true`, PDF);
  assert.is(online.status, 400);
  assert.match(((await online.json()) as { Message: string }).Message, 'IncludeOnline can only be set for attachments on sales invoices and sales credit notes.');
  const onContact = await upload(server, 'PUT', `/Contacts/${contact}/Attachments/id-card.png`, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]), 'image/png');
  assert.is(onContact.status, 200);
  assert.is((await upload(server, 'PUT', `/Invoices/${bill}/Attachments/empty.pdf`, new Uint8Array())).status, 400);
});

attachments('the whole sandbox takes a file of 10 MB and refuses one above it with 413 while it is read, as Xero does', async () => {
  const sandbox = await startTestSandbox();
  try {
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const over = await rawRequest(sandbox.url, { method: 'PUT', path: '/api.xro/2.0/Invoices/00000000-0000-0000-0000-000000000001/Attachments/big.pdf', headers: { 'content-type': 'application/pdf' }, repeat: { chunk, times: 11 } });
    assert.is(over.status, 413);
    assert.is(over.text, 'Request Entity Too Large');
    // Ten megabytes pass the limit and meet the API (here its signature check, as no app signed it).
    const within = await rawRequest(sandbox.url, { method: 'PUT', path: '/api.xro/2.0/Invoices/00000000-0000-0000-0000-000000000001/Attachments/big.pdf', headers: { 'content-type': 'application/pdf' }, repeat: { chunk, times: 10 } });
    assert.is(within.status, 400);
    assert.match(within.text, 'oauth_problem=');
    const invoices = await rawRequest(sandbox.url, { method: 'PUT', path: '/api.xro/2.0/Invoices', headers: { 'content-type': 'application/xml' }, repeat: { chunk, times: 4 } });
    assert.is(invoices.status, 413, 'other endpoints keep the 3.5 MB limit');
  } finally {
    await sandbox.stop();
  }
});

attachments.run();
