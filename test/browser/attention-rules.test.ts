import * as assert from 'uvu/assert';
import { setCheckedMapping } from '../../src/services/mappings';
import { checkOrganisation } from '../../src/services/organisation-checks';
import { findJob } from '../../src/store/jobs';
import { asCli } from '../helpers/actor';
import { checkPage, signIn } from '../helpers/console-browser';
import { control, enqueue, insertDevice, invoicePayload } from '../helpers/delivery';
import { whileTimePasses } from '../helpers/linked';
import { CAFE, linkedConsoleSuite, settle } from '../helpers/linked-console';

const browser = linkedConsoleSuite('browser.attention-rules', 'PRACTICE-PC', { schedule: false });

browser('Needs attention says which lock date holds an invoice and which mapping points at an archived account; Retry all, once the adviser has moved the date, sends the invoice', async ({ world, browser: { page, violations }, organisationId }) => {
  const { deps, calls } = world.proxy.running.proxy;
  await control(world, 'PUT', `organisations/${CAFE.id}/lock-dates`, { periodLockDate: '2026-06-30', endOfYearLockDate: '2025-06-30' });
  await whileTimePasses(world, setCheckedMapping(asCli(deps), calls, organisationId, { kind: 'category', name: 'Consults', account: '260', tax: 'OUTPUT' }));
  await control(world, 'POST', `organisations/${CAFE.id}/accounts/260/archive`);
  await world.advance(5);
  await whileTimePasses(world, checkOrganisation(deps, calls, organisationId));

  const device = insertDevice(deps, organisationId, 'RECEPTION');
  const [job] = enqueue(deps, device, organisationId, 'invoice', [{ payload: invoicePayload(12, { Date: '2026-06-15' }) }]);
  await settle(world);
  assert.is(findJob(deps.db, job!.id)!.status, 'held');

  await signIn(page, world.proxy.url);
  await page.goto(`${world.proxy.url}/attention`);
  const held = page.getByRole('region', { name: `Dated before the lock date — ${CAFE.name}` });
  const heldText = await held.innerText();
  assert.match(heldText, '1 invoice waits because it is dated on or before the period lock date (2026-06-30), when the books are closed.');
  assert.match(heldText, 'have the app send the document again with a later date');
  assert.match(heldText, "ask the organisation's adviser to move the lock date in Xero (Settings, Advanced settings, Financial settings)");
  const mappings = page.getByRole('region', { name: `A mapping points at something archived or deleted in Xero — ${CAFE.name}` });
  assert.match(await mappings.innerText(), 'category "Consults" → account 260 (Other Revenue) is archived in Xero');
  assert.is(await mappings.getByRole('link', { name: 'Change the mappings' }).getAttribute('href'), `/mappings?organisation=${organisationId}`);
  await checkPage(page, 'attention-rules-1-lock-date-and-mapping');

  // The adviser moves the period lock date back; Retry all reads it from Xero before sending.
  await control(world, 'PUT', `organisations/${CAFE.id}/lock-dates`, { periodLockDate: '2026-05-31' });
  await world.advance(60);
  await held.getByRole('button', { name: /^Retry all/ }).click();
  await page.waitForLoadState();
  assert.match(await page.getByRole('status').innerText(), '1 document is back in the queue.');
  await settle(world);
  assert.is(findJob(deps.db, job!.id)!.status, 'delivered');
  await page.reload();
  assert.is(await page.getByRole('region', { name: `Dated before the lock date — ${CAFE.name}` }).count(), 0);
  await checkPage(page, 'attention-rules-2-sent');
  assert.equal(violations, [], 'no page broke its own Content-Security-Policy');
});

browser.run();
