import * as assert from 'uvu/assert';
import { findJob } from '../../src/store/jobs';
import { checkPage, signIn } from '../helpers/console-browser';
import { control, enqueue, insertDevice, invoicePayload } from '../helpers/delivery';
import { CAFE, linkedConsoleSuite, settle } from '../helpers/linked-console';

const browser = linkedConsoleSuite('browser.attention', 'ATTENTION-TILL');

browser('a person opens Needs attention, reads why Xero refused the invoice, presses Retry all once the account is back, and it is delivered', async ({ world, browser: { page, violations }, organisationId }) => {
  const deps = world.proxy.running.proxy.deps;
  const device = insertDevice(deps, organisationId, 'FRONT-TILL');
  await control(world, 'POST', `organisations/${CAFE.id}/accounts/200/archive`);
  const [job] = enqueue(deps, device, organisationId, 'invoice', [{ payload: invoicePayload(7) }]);
  await settle(world);
  assert.is(findJob(deps.db, job!.id)!.status, 'failed');

  await signIn(page, world.proxy.url);
  await page.goto(`${world.proxy.url}/attention`);
  assert.is(await page.title(), 'Needs attention · Xero Comms Proxy');
  const group = page.getByRole('region', { name: 'Account archived or deleted in Xero — Harbourside Café' });
  assert.match(await group.innerText(), 'Xero refused 1 invoice because account 200 is archived or deleted in Xero.');
  assert.is(await group.getByRole('link', { name: 'Change the mapping' }).getAttribute('href'), `/mappings?organisation=${organisationId}`);
  assert.is(await group.getByRole('link', { name: 'Table 7' }).getAttribute('href'), `/documents/${job!.id}`);
  await checkPage(page, 'attention');

  await control(world, 'POST', `organisations/${CAFE.id}/accounts/200/restore`);
  await group.getByRole('button', { name: /^Retry all/ }).click();
  await page.waitForLoadState();
  assert.is(new URL(page.url()).pathname, '/attention');
  assert.match(await page.getByRole('status').innerText(), '1 document is back in the queue.');

  await settle(world);
  await page.reload();
  assert.match(await page.locator('main').innerText(), 'Nothing needs attention: every document has reached Xero or is on its way.');
  await checkPage(page, 'attention-clear');
  const delivered = findJob(deps.db, job!.id)!;
  assert.is(delivered.status, 'delivered');
  assert.match(delivered.xeroNumber ?? '', /^INV-/);
  assert.equal(violations, []);
});

browser.run();
