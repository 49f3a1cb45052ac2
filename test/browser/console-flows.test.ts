import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { setCheckedMapping } from '../../src/services/mappings';
import { checkPage, openConsoleBrowser, signIn, type ConsoleBrowser } from '../helpers/console-browser';
import { control, ledger, runUntilSettled, type DeliveryWorld } from '../helpers/delivery';
import { collectKey, pairAndLink, startWorld, tickClocks, whileTimePasses } from '../helpers/linked';
import { givenAdminPassword } from '../helpers/web';
import { asCli } from '../helpers/actor';

/**
 * The console's first promise, as a shop owner meets it: an end-of-shift refused because its
 * sales account was archived in Xero shows on the overview and in Needs attention in plain words;
 * the person maps the category to another account on the mappings page, presses Retry all, and
 * the documents page shows the invoice delivered with Xero's number.
 */
const CAFE = DEMO_ORGANISATIONS[0]!;
const flows = suite<{ world: DeliveryWorld; key: string; browser: ConsoleBrowser }>('browser.console-flows');

flows.before(async (context) => {
  const linked = await startWorld('private', { organisationId: CAFE.id, publicUrlIsSelf: true, proxy: { delivery: { manual: true } } });
  const { outcome, pairingId } = await pairAndLink(linked, 'TILL-0042');
  if (outcome.kind !== 'linked') throw new Error(JSON.stringify(outcome));
  context.world = { ...linked, loop: linked.proxy.running.delivery!, deps: linked.proxy.running.proxy.deps, organisationId: outcome.organisation.id };
  context.key = await collectKey(linked, pairingId);
  await givenAdminPassword(context.world.deps);
  const { deps, calls } = linked.proxy.running.proxy;
  for (const input of [{ kind: 'category', name: 'Coffee', account: '200', tax: 'OUTPUT' }, { kind: 'tender', name: 'eftpos', account: '615' }] as const) {
    await whileTimePasses(linked, setCheckedMapping(asCli(deps), calls, outcome.organisation.id, input));
  }
  context.browser = await openConsoleBrowser(linked.proxy.url);
});
flows.after(async ({ world, browser }) => {
  await browser?.close();
  await world?.stop();
});

flows('a shift refused for an archived account is explained, remapped on /mappings, retried from /attention and shown delivered on /documents', async ({ world, key, browser: { page, violations } }) => {
  await control(world, 'POST', `organisations/${CAFE.id}/accounts/200/archive`);
  const shift = { shiftId: 'TILL-0042-2026-12-03-PM', closedAt: '2026-12-03T22:05:00+10:00', sales: [{ category: 'Coffee', gross: 412.5, tax: 37.5 }], tenders: [{ type: 'eftpos', amount: 412.5 }] };
  const accepted = await fetch(`${world.proxy.url}/api/v1/pos/shifts`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(shift) });
  assert.is(accepted.status, 202);
  const { jobs } = (await accepted.json()) as { jobs: Array<{ id: string }> };
  await runUntilSettled(world);

  // The page reads the organisation's lists through the pacer, whose clock moves only when told.
  const ticking = tickClocks(world);
  try {
    await signIn(page, world.proxy.url);
    const banner = await page.locator('main').innerText();
    assert.match(banner, /documents? need attention for Harbourside Café/);
    assert.not.match(banner, 'Everything has reached Xero.');
    await checkPage(page, 'flow-1-overview-attention');

    await page.getByRole('link', { name: 'Needs attention' }).first().click();
    await page.waitForLoadState();
    const group = page.getByRole('region', { name: 'Account archived or deleted in Xero — Harbourside Café' });
    assert.match(await group.innerText(), 'Xero refused 1 invoice because account 200 is archived or deleted in Xero.');
    await checkPage(page, 'flow-2-attention');

    await group.getByRole('link', { name: 'Change the mapping' }).click();
    await page.waitForLoadState();
    await page.getByRole('link', { name: 'Change sales category "Coffee"' }).click();
    await page.waitForLoadState();
    const form = page.locator('#add-category');
    await form.getByLabel('Account').selectOption({ label: '260 Other Revenue' });
    await form.getByRole('button', { name: 'Save sales category' }).click();
    await page.waitForLoadState();
    assert.match(await page.getByRole('status').first().innerText(), /Saved the mapping for sales category "Coffee"/);
    await checkPage(page, 'flow-3-mappings');

    await page.getByRole('link', { name: 'Needs attention' }).first().click();
    await page.waitForLoadState();
    await page.getByRole('region', { name: 'Account archived or deleted in Xero — Harbourside Café' }).getByRole('button', { name: /^Retry all/ }).click();
    await page.waitForLoadState();
    assert.match(await page.getByRole('status').first().innerText(), /back in the queue/);
  } finally {
    await ticking.stop();
  }
  // The payment that was stopped with its invoice goes again with it: one Retry all is enough.
  await runUntilSettled(world);
  await page.reload();
  assert.match(await page.locator('main').innerText(), 'Nothing needs attention');

  await page.goto(`${world.proxy.url}/documents?q=${encodeURIComponent(shift.shiftId)}`);
  const rows = await page.getByRole('table').first().innerText();
  assert.match(rows, 'POS-TILL-0042-2026-12-03-PM');
  assert.not.match(rows, /Refused|Stopped|Held/);
  await checkPage(page, 'flow-4-documents-delivered');
  const invoice = (await ledger(world, 'Invoice')).find((entry) => entry.number === 'POS-TILL-0042-2026-12-03-PM')!;
  assert.equal((invoice.body as { LineItems: Array<{ AccountCode: string }> }).LineItems.map((line) => line.AccountCode), ['260']);
  const job = (await (await fetch(`${world.proxy.url}/api/v1/jobs/${jobs[0]!.id}`, { headers: { authorization: `Bearer ${key}` } })).json()) as { status: string };
  assert.is(job.status, 'delivered');
  assert.equal(violations, []);
});

flows.run();
