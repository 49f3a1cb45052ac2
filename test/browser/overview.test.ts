import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { findJob } from '../../src/store/jobs';
import { markNeedsRelink } from '../../src/store/organisations';
import { checkPage, openConsoleBrowser, signIn, type ConsoleBrowser } from '../helpers/console-browser';
import { enqueue, insertDevice, invoicePayload } from '../helpers/delivery';
import { pairAndLink, startWorld, type LinkedWorld } from '../helpers/linked';
import { givenAdminPassword } from '../helpers/web';

const HARBOURSIDE = DEMO_ORGANISATIONS[0]!;

interface Context {
  world: LinkedWorld;
  browser: ConsoleBrowser;
  organisationId: string;
}

const overview = suite<Context>('browser.overview');

overview.before(async (context) => {
  // A partner app: linking again goes through Xero's (the sandbox's) Allow page, as a person would.
  context.world = await startWorld('partner', { publicUrlIsSelf: true, proxy: { delivery: { manual: true } } });
  const { outcome } = await pairAndLink(context.world, 'TILL-0042', HARBOURSIDE.id);
  if (outcome.kind !== 'linked') throw new Error(JSON.stringify(outcome));
  context.organisationId = outcome.organisation.id;
  await givenAdminPassword(context.world.proxy.running.proxy.deps);
  context.browser = await openConsoleBrowser(context.world.proxy.url);
  await signIn(context.browser.page, context.world.proxy.url);
});

overview.after(async (context) => {
  await context.browser?.close();
  await context.world?.stop();
});

overview('an organisation in needs_relink is linked again from the overview and its held documents go', async ({ world, browser, organisationId }) => {
  const { page, violations } = browser;
  const deps = world.proxy.running.proxy.deps;
  const loop = world.proxy.running.delivery!;
  const device = insertDevice(deps, organisationId, 'TILL-7');
  const jobs = enqueue(deps, device, organisationId, 'invoice', [{ payload: invoicePayload(1) }, { payload: invoicePayload(2) }]);
  markNeedsRelink(deps.db, deps.clock, [organisationId], "Xero no longer accepts this organisation's token (token_rejected); link it again.");
  await loop.tick();
  assert.equal(jobs.map((job) => findJob(deps.db, job.id)!.status), ['held', 'held']);

  await page.goto(`${world.proxy.url}/`);
  assert.is(await page.title(), 'Overview · Xero Comms Proxy');
  const banner = page.getByRole('alert');
  assert.match(await banner.innerText(), `${HARBOURSIDE.name} must be linked again; 2 documents wait for it.`);
  assert.is(await banner.getByRole('link', { name: `Link ${HARBOURSIDE.name} again` }).getAttribute('href'), '/organisations');
  assert.not.match(await page.locator('main').innerText(), 'Everything has reached Xero.');
  await checkPage(page, 'overview-relink');

  // Link again: to Xero's Allow page and back.
  await page.getByRole('button', { name: `Link ${HARBOURSIDE.name} again` }).click();
  assert.ok(page.url().startsWith(`${world.sandbox.url}/oauth/Authorize?oauth_token=`), page.url());
  await page.getByLabel(HARBOURSIDE.name, { exact: false }).check();
  await page.getByRole('button', { name: 'Allow access' }).click();
  assert.ok(page.url().startsWith(`${world.proxy.url}/connect/callback?oauth_token=`), page.url());
  assert.match(await page.locator('main').innerText(), `${HARBOURSIDE.name} is now linked to this proxy.`);

  // The delivery loop releases the held documents and sends them.
  await loop.drain();
  assert.equal(jobs.map((job) => findJob(deps.db, job.id)!.status), ['delivered', 'delivered']);
  await page.goto(`${world.proxy.url}/`);
  assert.match(await page.getByRole('status').first().innerText(), 'Everything has reached Xero.');
  const card = page.getByRole('region', { name: HARBOURSIDE.name });
  assert.match(await card.innerText(), 'Linked');
  assert.match(await card.innerText(), /Last delivery\s+just now/);
  assert.is(await page.getByRole('button', { name: `Link ${HARBOURSIDE.name} again` }).count(), 0);

  // The charts' numbers, for anyone who reads a table rather than a picture.
  await page.getByText('Documents per hour, last 24 hours (UTC): the numbers').click();
  const hour = `${deps.clock.now().toISOString().slice(0, 13)}:00:00.000Z`;
  const row = page.locator('table.chart-table').first().locator('tr', { has: page.locator(`time[datetime="${hour}"]`) });
  assert.equal(await row.locator('td').allInnerTexts(), ['2', '0']);
  await checkPage(page, 'overview');
  assert.equal(violations, [], 'no page broke its own Content-Security-Policy');
});

overview.run();
