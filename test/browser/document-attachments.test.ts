import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { checkPage, openConsoleBrowser, signIn, type ConsoleBrowser } from '../helpers/console-browser';
import { runUntilSettled } from '../helpers/delivery';
import { collectKey, pairAndLink, startWorld, type LinkedWorld } from '../helpers/linked';
import { givenAdminPassword } from '../helpers/web';

const browser = suite<{ world: LinkedWorld; console: ConsoleBrowser; invoice: string; file: string }>('browser.document-attachments');

browser.before(async (context) => {
  context.world = await startWorld('private', { organisationId: DEMO_ORGANISATIONS[0]!.id, proxy: { delivery: { manual: true } }, publicUrlIsSelf: true });
  const { pairingId } = await pairAndLink(context.world, 'PRACTICE-PC');
  const key = await collectKey(context.world, pairingId);
  const deps = context.world.proxy.running.proxy.deps;
  await givenAdminPassword(deps);
  const post = async (path: string, body: unknown) =>
    ((await (await fetch(`${context.world.proxy.url}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as { jobs: Array<{ id: string }> }).jobs[0]!.id;
  context.invoice = await post('/invoices', {
    Invoices: [{ DocumentId: 'visit-31', Type: 'ACCREC', Contact: { Name: 'Ms Jane Citizen' }, Date: '2026-11-28', Reference: 'Consultation', Status: 'AUTHORISED', LineItems: [{ Description: 'Consultation', Quantity: 1, UnitAmount: 88, AccountCode: '200', TaxType: 'OUTPUT' }] }],
  });
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(40_000, 0x20), Buffer.from('%%EOF\n')]);
  context.file = await post('/attachments', { DocumentId: 'visit-31', FileName: 'referral.pdf', MimeType: 'application/pdf', Content: pdf.toString('base64'), IncludeOnline: true });
  await runUntilSettled({ loop: context.world.proxy.running.delivery!, deps, clock: context.world.clock, advance: context.world.advance });
  context.console = await openConsoleBrowser(context.world.proxy.url);
  await signIn(context.console.page, context.world.proxy.url);
});
browser.after(async ({ world, console }) => {
  await console?.close();
  await world.stop();
});

browser("a person opens an invoice, sees the file sent with it and its state, and follows it to the file's own page and back", async ({ world, console, invoice, file }) => {
  const { page } = console;
  await page.goto(`${world.proxy.url}/documents/${invoice}`);
  const files = page.getByRole('region', { name: 'Attachments' });
  assert.is(await files.count(), 1);
  const row = files.getByRole('row', { name: /referral\.pdf/ });
  assert.match(await row.innerText(), /referral\.pdf\s+application\/pdf\s+39 KB\s+Yes\s+Delivered/);
  await checkPage(page, 'document-with-attachments');

  await row.getByRole('link', { name: 'referral.pdf' }).click();
  await page.waitForLoadState();
  assert.match(page.url(), `/documents/${file}`);
  assert.is(await page.getByRole('heading', { name: 'Attachment referral.pdf' }).count(), 1);
  await checkPage(page, 'attachment');
  await page.getByRole('region', { name: 'The file' }).getByRole('link', { name: 'visit-31' }).click();
  await page.waitForLoadState();
  assert.match(page.url(), `/documents/${invoice}`);
  assert.equal(console.violations, []);
});

browser.run();
