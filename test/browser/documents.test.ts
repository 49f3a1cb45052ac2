import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { findJob } from '../../src/store/jobs';
import { checkPage, openConsoleBrowser, signIn, type ConsoleBrowser } from '../helpers/console-browser';
import { runUntilSettled } from '../helpers/delivery';
import { collectKey, pairAndLink, startWorld, type LinkedWorld } from '../helpers/linked';
import { givenAdminPassword } from '../helpers/web';

const CAFE = DEMO_ORGANISATIONS[0]!;

const browser = suite<{ world: LinkedWorld; console: ConsoleBrowser; refused: string }>('browser.documents');

browser.before(async (context) => {
  context.world = await startWorld('private', { organisationId: CAFE.id, proxy: { delivery: { manual: true } }, publicUrlIsSelf: true });
  const { pairingId } = await pairAndLink(context.world, 'TILL-1');
  const key = await collectKey(context.world, pairingId);
  const deps = context.world.proxy.running.proxy.deps;
  await givenAdminPassword(deps);
  const line = (account: string) => ({ Description: 'Flat white', Quantity: 2, UnitAmount: 4.5, AccountCode: account, TaxType: 'OUTPUT' });
  const invoice = (id: string, account: string) => ({ DocumentId: id, Type: 'ACCREC', Contact: { Name: 'Walk-in customer' }, Date: '2026-11-28', LineAmountTypes: 'Inclusive', Reference: `Table ${id}`, Status: 'AUTHORISED', LineItems: [line(account)] });
  const answer = await fetch(`${context.world.proxy.url}/api/v1/invoices`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ Invoices: [invoice('T-1', '200'), invoice('T-2', '999')] }),
  });
  const accepted = (await answer.json()) as { jobs: Array<{ id: string }> };
  context.refused = accepted.jobs[1]!.id;
  await runUntilSettled({ loop: context.world.proxy.running.delivery!, deps, clock: context.world.clock, advance: context.world.advance });
  context.console = await openConsoleBrowser(context.world.proxy.url);
  await signIn(context.console.page, context.world.proxy.url);
});
browser.after(async ({ world, console }) => {
  await console?.close();
  await world.stop();
});

browser('a person finds the refused document in the list, reads why on its page, and presses Retry now', async ({ world, console, refused }) => {
  const { page } = console;
  await page.goto(`${world.proxy.url}/documents`);
  assert.is(await page.getByRole('heading', { name: '2 documents' }).count(), 1);
  await page.getByLabel('Status').selectOption('failed');
  await page.getByRole('button', { name: 'Show documents' }).click();
  await page.waitForLoadState();
  assert.match(page.url(), 'status=failed');
  assert.is(await page.getByRole('heading', { name: '1 document' }).count(), 1);
  await checkPage(page, 'documents');

  await page.getByRole('link', { name: 'Table T-2' }).click();
  await page.waitForLoadState();
  assert.match(page.url(), `/documents/${refused}`);
  const errors = findJob(world.proxy.running.proxy.deps.db, refused)!.errors!;
  assert.match(await page.locator('main').innerText(), errors[0]!);
  await checkPage(page, 'document');

  await page.getByRole('button', { name: 'Retry now' }).click();
  await page.waitForLoadState();
  assert.match(page.url(), '?done=retried');
  assert.match(await page.getByRole('status').first().innerText(), 'The document is queued again');
  assert.is(findJob(world.proxy.running.proxy.deps.db, refused)!.status, 'queued');
  assert.is(await page.getByRole('cell', { name: 'Queued again', exact: true }).count(), 1);
  assert.equal(console.violations, []);
});

browser.run();
