import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { setCheckedMapping } from '../../src/services/mappings';
import { checkPage, openConsoleBrowser, signIn, type ConsoleBrowser } from '../helpers/console-browser';
import { ledger, runUntilSettled, type DeliveryWorld } from '../helpers/delivery';
import { collectKey, pairAndLink, startWorld, tickClocks, whileTimePasses } from '../helpers/linked';
import { givenAdminPassword } from '../helpers/web';
import { asCli } from '../helpers/actor';

interface Context {
  world: DeliveryWorld;
  key: string;
  browser: ConsoleBrowser;
}

const browser = suite<Context>('browser.mappings');

browser.before(async (context) => {
  const linked = await startWorld('private', { organisationId: DEMO_ORGANISATIONS[0]!.id, publicUrlIsSelf: true, proxy: { delivery: { manual: true } } });
  const { outcome, pairingId } = await pairAndLink(linked, 'TILL-0042');
  if (outcome.kind !== 'linked') throw new Error(JSON.stringify(outcome));
  context.world = { ...linked, loop: linked.proxy.running.delivery!, deps: linked.proxy.running.proxy.deps, organisationId: outcome.organisation.id };
  context.key = await collectKey(linked, pairingId);
  await givenAdminPassword(context.world.deps);
  const { deps, calls } = linked.proxy.running.proxy;
  for (const input of [
    { kind: 'category', name: 'Coffee', account: '200', tax: 'OUTPUT' },
    { kind: 'tender', name: 'cash', account: '090' },
    { kind: 'tender', name: 'eftpos', account: '615' },
  ] as const) {
    await whileTimePasses(linked, setCheckedMapping(asCli(deps), calls, outcome.organisation.id, input));
  }
  context.browser = await openConsoleBrowser(linked.proxy.url);
});
browser.after(async ({ world, browser: opened }) => {
  await opened?.close();
  await world?.stop();
});

browser('a shift with an unmapped category is accepted and held, the mapping is added on the page, and it is delivered', async ({ world, key, browser: { page, violations } }) => {
  const shift = {
    shiftId: 'TILL-0042-2026-11-28-PM',
    closedAt: '2026-11-28T22:05:00+10:00',
    sales: [
      { category: 'Coffee', gross: 412.5, tax: 37.5 },
      { category: 'Gelato', gross: 88, tax: 8 },
    ],
    tenders: [
      { type: 'cash', amount: 50.5 },
      { type: 'eftpos', amount: 450 },
    ],
  };
  const accepted = await fetch(`${world.proxy.url}/api/v1/pos/shifts`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(shift) });
  assert.is(accepted.status, 202);
  const { jobs } = (await accepted.json()) as { jobs: Array<{ id: string; status: string; heldReason: string }> };
  assert.equal(jobs.map((job) => job.status), ['held', 'held', 'held']);
  assert.match(jobs[0]!.heldReason, 'Waiting for a mapping: sales category "Gelato" is not mapped yet.');

  // The page reads the organisation's lists through the pacer, whose clock moves only when told.
  const ticking = tickClocks(world);
  try {
    await signIn(page, world.proxy.url);
    await page.getByRole('link', { name: 'Mappings' }).click();
    await page.waitForLoadState();
    assert.is(await page.getByRole('heading', { name: 'Names with no mapping yet (1)' }).count(), 1);
    assert.is(await page.getByRole('heading', { name: 'Sales category "Gelato"' }).count(), 1);
    await checkPage(page, 'mappings');

    const form = page.locator('#missing-1');
    await form.getByLabel('Account').selectOption({ label: '200 Sales' });
    await form.getByLabel('Tax rate').selectOption('OUTPUT');
    await form.getByRole('button', { name: 'Save mapping for "Gelato"' }).click();
    await page.waitForLoadState();
    const notice = await page.getByRole('status').first().innerText();
    assert.match(notice, 'Saved the mapping for sales category "Gelato"; Xero accepts it. 3 waiting Xero documents are now on the way to Xero.');
    assert.is(await page.getByRole('heading', { name: /Names with no mapping yet/ }).count(), 0);
    assert.match(await page.getByRole('table').first().innerText(), /Gelato\s+200 Sales, GST on Income \(OUTPUT\)/);
    await checkPage(page, 'mappings-saved');
  } finally {
    await ticking.stop();
  }
  assert.equal(violations, []);

  await runUntilSettled(world);
  const job = (await (await fetch(`${world.proxy.url}/api/v1/jobs/${jobs[0]!.id}`, { headers: { authorization: `Bearer ${key}` } })).json()) as { status: string; xeroNumber: string };
  assert.equal([job.status, job.xeroNumber], ['delivered', 'POS-TILL-0042-2026-11-28-PM']);
  const invoices = await ledger(world, 'Invoice');
  assert.equal((invoices[0]!.body as { LineItems: Array<{ Description: string; AccountCode: string }> }).LineItems.map((line) => line.Description), ['Coffee', 'Gelato']);
});

browser.run();
