import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { runUntilSettled } from '../helpers/delivery';
import { collectKey, pairAndLink, startWorld, type LinkedWorld } from '../helpers/linked';
import { Browser, givenAdminPassword, textOf } from '../helpers/web';

interface Context {
  world: LinkedWorld;
  key: string;
  browser: Browser;
}

const page = suite<Context>('connect.document-attachments');
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3000, 0x20), Buffer.from('\n%%EOF\n')]);

const invoice = (documentId: string, account = '200') => ({
  DocumentId: documentId,
  Type: 'ACCREC',
  Contact: { Name: 'Walk-in customer' },
  Date: '2026-11-28',
  LineAmountTypes: 'Inclusive',
  Status: 'AUTHORISED',
  LineItems: [{ Description: 'Consultation', Quantity: 1, UnitAmount: 80, AccountCode: account, TaxType: 'OUTPUT' }],
});

page.before(async (context) => {
  context.world = await startWorld('private', { organisationId: DEMO_ORGANISATIONS[0]!.id, proxy: { delivery: { manual: true } }, publicUrlIsSelf: true });
  const { pairingId } = await pairAndLink(context.world, 'PRACTICE-PC');
  context.key = await collectKey(context.world, pairingId);
  await givenAdminPassword(context.world.proxy.running.proxy.deps);
  context.browser = new Browser(context.world.proxy.url);
  assert.is((await context.browser.signIn()).status, 303);
});
page.after(async ({ world }) => world.stop());

async function post(context: Context, path: string, body: unknown): Promise<{ jobs: Array<{ id: string }> }> {
  const response = await fetch(`${context.world.proxy.url}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${context.key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.is(response.status, 202, await response.clone().text());
  return (await response.json()) as { jobs: Array<{ id: string }> };
}

page("a document's page lists its files and what became of each; a file whose invoice Xero refused says so, and links back to it", async (context) => {
  const { world } = context;
  const [good] = (await post(context, '/invoices', { Invoices: [invoice('INV-1')] })).jobs;
  const [refused] = (await post(context, '/invoices', { Invoices: [invoice('INV-2', '999')] })).jobs;
  const file = (documentId: string, name: string) => post(context, '/attachments', { DocumentId: documentId, FileName: name, MimeType: 'application/pdf', Content: PDF.toString('base64'), IncludeOnline: true });
  const [delivered] = (await file('INV-1', 'referral.pdf')).jobs;
  const [orphan] = (await file('INV-2', 'pathology.pdf')).jobs;
  const loop = { loop: world.proxy.running.delivery!, deps: world.proxy.running.proxy.deps, clock: world.clock, advance: world.advance };
  await runUntilSettled(loop);
  // Housekeeping fails the file whose invoice will not reach Xero.
  await loop.loop.drain();

  const invoicePage = textOf((await context.browser.get(`/documents/${good!.id}`)).text);
  assert.match(invoicePage, 'Attachments');
  assert.match(invoicePage, 'referral.pdf application/pdf 3 KB Yes Delivered');

  const filePage = await context.browser.get(`/documents/${orphan!.id}`);
  const text = textOf(filePage.text);
  assert.match(text, 'Attachment pathology.pdf');
  assert.match(text, 'Put right the document it waits for (the invoice a payment or credit note is for, the credit note a refund or allocation draws on, the document a file is for); it then goes after it.');
  assert.match(text, /For INV-2 ?; it is sent once that document is in Xero\./);
  assert.match(text, 'The document this file is for');
  assert.match(text, 'The file was not sent; send the document again, then the file.');
  assert.match(filePage.text, `href="/documents/${refused!.id}"`);
  // Needs attention names the file and why it did not go.
  const attention = textOf((await context.browser.get('/attention')).text);
  assert.match(attention, '1 attachment was not sent because the invoice it is for did not reach Xero.');
  assert.match(attention, 'pathology.pdf');
  const deliveredPage = textOf((await context.browser.get(`/documents/${delivered!.id}`)).text);
  assert.match(deliveredPage, 'The file');
  assert.match(deliveredPage, 'The file itself is kept sealed (encrypted with the master key)');
  assert.match(deliveredPage, '"FileName": "referral.pdf"');
});

page.run();
