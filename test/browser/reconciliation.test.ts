import * as assert from 'uvu/assert';
import { findJob } from '../../src/store/jobs';
import { usageSince } from '../../src/store/organisation-usage';
import { checkPage, signIn } from '../helpers/console-browser';
import { control, enqueue, insertDevice, invoicePayload } from '../helpers/delivery';
import { tickClocks } from '../helpers/linked';
import { CAFE, linkedConsoleSuite, settle } from '../helpers/linked-console';

const browser = linkedConsoleSuite('browser.reconciliation', 'RECONCILE-TILL');

browser('a person compares a clean day from the overview and reads nothing found; after the invoice is voided in Xero the page says so with what to do, and Mark as dealt with stops the alert', async ({ world, browser: { page, violations }, organisationId }) => {
  const deps = world.proxy.running.proxy.deps;
  const device = insertDevice(deps, organisationId, 'FRONT-TILL');
  const [job] = enqueue(deps, device, organisationId, 'invoice', [{ payload: invoicePayload(7) }]);
  await settle(world);
  const invoice = findJob(deps.db, job!.id)!;
  assert.is(invoice.status, 'delivered');
  const day = invoice.deliveredAt!.slice(0, 10);
  const calls = () => usageSince(deps.db, day).find((row) => row.organisationId === organisationId)?.calls ?? 0;
  // The pacer spaces calls on the proxy's clock, which stands still unless moved.
  const clocks = tickClocks(world);
  try {
    await signIn(page, world.proxy.url);
    const card = page.getByRole('region', { name: `${CAFE.name} (${CAFE.shortCode})` });
    await card.getByRole('link', { name: 'Not compared with Xero yet' }).click();
    await page.waitForLoadState();
    assert.is(await page.title(), 'Reconciliation · Xero Comms Proxy');
    assert.is(new URL(page.url()).searchParams.get('organisation'), organisationId);

    const before = calls();
    await page.getByLabel('Organisation').selectOption({ label: CAFE.name });
    await page.getByLabel('Day of delivery (UTC)').fill(day);
    await page.getByRole('button', { name: 'Compare with Xero' }).click();
    await page.waitForLoadState();
    assert.is(await page.getByRole('status').innerText(), `${CAFE.name}, ${day}: Nothing found: Xero holds every document as the proxy delivered it (1 delivered document compared with Xero, 1 Xero call).`);
    assert.is(calls(), before + 1, "the comparison's call counts in the day's usage");
    await checkPage(page, 'reconciliation-clean');

    await control(world, 'POST', `organisations/${CAFE.id}/invoices/${invoice.xeroId}/void`);
    await page.getByLabel('Day of delivery (UTC)').fill(day);
    await page.getByRole('button', { name: 'Compare with Xero' }).click();
    await page.waitForLoadState();
    assert.is(await page.getByRole('alert').innerText(), `${CAFE.name}, ${day}: 1 document is no longer in Xero as the proxy delivered it (1 delivered document compared with Xero, 1 Xero call).`);
    const run = page.getByRole('region', { name: `${CAFE.name} — deliveries of ${day}` });
    const text = await run.innerText();
    assert.match(text, new RegExp(`Invoice ${invoice.xeroNumber} \\(till FRONT-TILL\\) was voided in Xero on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC, after the proxy delivered it on`));
    assert.match(text, 'What to do: If that was a mistake, enter the sale in Xero again');
    assert.is(await run.getByRole('link', { name: `See the document for Invoice ${invoice.xeroNumber} (till FRONT-TILL)` }).getAttribute('href'), `/documents/${invoice.id}`);
    await checkPage(page, 'reconciliation-found');

    await page.goto(`${world.proxy.url}/`);
    const banner = page.getByRole('alert');
    assert.match(await banner.innerText(), `The daily reconciliation found 1 document for ${CAFE.name} voided, deleted or changed in Xero after delivery.`);
    await banner.getByRole('link', { name: 'See what was found' }).click();
    await page.waitForLoadState();
    assert.is(new URL(page.url()).pathname, '/reconciliation');

    await run.getByRole('button', { name: `Mark as dealt with (${CAFE.name}, ${day})` }).click();
    await page.waitForLoadState();
    assert.is(await page.getByRole('status').innerText(), `${CAFE.name}, ${day}: marked dealt with. Its alert stops.`);
    assert.match(await page.getByRole('region', { name: `${CAFE.name} — deliveries of ${day}` }).innerText(), /Marked dealt with by admin:\S+ on /);

    await page.goto(`${world.proxy.url}/`);
    assert.not.match(await page.locator('main').innerText(), 'The daily reconciliation found');
    assert.is(await card.getByRole('link', { name: `Deliveries of ${day}: 1 document changed in Xero (dealt with)` }).getAttribute('href'), `/reconciliation?organisation=${organisationId}`);
    assert.equal(violations, []);
  } finally {
    await clocks.stop();
  }
});

browser.run();
