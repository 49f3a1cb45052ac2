import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { markNeedsRelink } from '../../src/store/organisations';
import { collectKey, pairAndLink } from '../helpers/linked';
import { control, enqueue, insertDevice, invoicePayload, startDeliveryWorld, toStartOfXeroMinute, type DeliveryWorld } from '../helpers/delivery';
import { Browser, givenAdminPassword, textOf } from '../helpers/web';

const overview = suite('connect.overview');

const HARBOURSIDE = 'Harbourside Café';
const badInvoice = (n: number) => invoicePayload(n, { LineItems: [{ Description: 'Mystery', Quantity: 1, UnitAmount: 10, AccountCode: '999', TaxType: 'OUTPUT' }] });

async function signedIn(world: DeliveryWorld): Promise<Browser> {
  await givenAdminPassword(world.deps);
  // The pages check Origin against the public URL the world configures.
  const browser = new Browser(world.proxy.url, { origin: 'http://proxy.test' });
  assert.is((await browser.signIn()).status, 303);
  return browser;
}

/** The overview's text, and its HTML for what text cannot show (links, tables). */
async function look(browser: Browser): Promise<{ text: string; html: string }> {
  const page = await browser.get('/');
  assert.is(page.status, 200);
  return { text: textOf(page.text), html: page.text };
}

/** The sandbox's count of the API calls it answered (not OAuth or its control API). */
async function sandboxApiCalls(world: DeliveryWorld): Promise<number> {
  const { requests } = (await control(world, 'GET', 'requests?limit=5000')) as { requests: Array<{ path: string }> };
  return requests.filter((r) => r.path.startsWith('/api.xro/') || r.path.startsWith('/payroll.xro/')).length;
}

/** One row of a chart's table: its period's cells after the period. */
function chartRow(html: string, chartTitle: string, periodStart: string): string[] {
  const from = html.indexOf(`<summary>${chartTitle}: the numbers</summary>`);
  assert.ok(from >= 0, `no table for ${chartTitle}`);
  const table = html.slice(from, html.indexOf('</table>', from));
  const row = new RegExp(`<time datetime="${periodStart.replace(/[.]/g, '\\.')}">[^<]*</time></th>((?:<td>\\d+</td>)+)`).exec(table);
  assert.ok(row, `no row for ${periodStart} in ${chartTitle}`);
  return [...row[1]!.matchAll(/<td>(\d+)<\/td>/g)].map((m) => m[1]!);
}

overview('is green only once every document has reached Xero, and counts the calls Xero really answered', async () => {
  const world = await startDeliveryWorld();
  try {
    const browser = await signedIn(world);
    const device = insertDevice(world.deps, world.organisationId, 'TILL-1');
    // Linking read the Organisation before the proxy knew it; the calls counted start after.
    const atLink = await sandboxApiCalls(world);
    let { text } = await look(browser);
    assert.match(text, 'Everything has reached Xero.');
    assert.match(text, 'Xero calls today 0 of 5000');

    enqueue(world.deps, device, world.organisationId, 'invoice', [{ payload: invoicePayload(1) }, { payload: invoicePayload(2) }]);
    ({ text } = await look(browser));
    assert.not.match(text, 'Everything has reached Xero.');
    assert.match(text, '2 documents are on the way to Xero; nothing needs you.');
    assert.match(text, 'Queued Sending Held Failed Dead 2 0 0 0 0');
    assert.match(text, 'Last delivery None yet');

    await world.loop.drain();
    const now = world.clock.now().toISOString();
    const page = await look(browser);
    assert.match(page.text, 'Everything has reached Xero.');
    assert.match(page.text, 'Queued Sending Held Failed Dead 0 0 0 0 0');
    assert.match(page.text, `Last delivery just now (${now.slice(0, 16).replace('T', ' ')} UTC)`);
    const calls = (await sandboxApiCalls(world)) - atLink;
    assert.is(calls, 1, 'the two invoices went in one request');
    assert.match(page.text, `Xero calls today 1 of 5000`);
    // The sandbox also counted the linking's read: Xero's own count is the one it reports.
    assert.match(page.text, 'Xero says 4998 left today');

    const hour = `${now.slice(0, 13)}:00:00.000Z`;
    const day = `${now.slice(0, 10)}T00:00:00.000Z`;
    assert.equal(chartRow(page.html, 'Documents per hour, last 24 hours (UTC)', hour), ['2', '0']);
    assert.equal(chartRow(page.html, 'Documents per day, last 14 days (UTC)', day), ['2', '0']);
    assert.equal(chartRow(page.html, 'Xero calls per hour, last 24 hours (UTC)', hour), [String(calls)]);
    assert.equal(chartRow(page.html, 'Xero calls per day, last 14 days (UTC)', day), [String(calls)]);
    assert.match(page.html, '<svg viewBox="0 0 720 190" role="img" aria-labelledby="chart-hourly-title chart-hourly-desc"');
    assert.match(page.html, '<desc id="chart-hourly-desc">Documents per hour, last 24 hours (UTC). In total, delivered: 2, failed: 0; the most delivered in one period was 2');
  } finally {
    await world.stop();
  }
});

overview('a document Xero refused is on the banner with a link to where it is fixed, and in the device’s status', async () => {
  const world = await startDeliveryWorld();
  try {
    const browser = await signedIn(world);
    const paired = await pairAndLink(world, 'TILL-STATUS');
    const key = await collectKey(world, paired.pairingId);
    const device = insertDevice(world.deps, world.organisationId, 'TILL-1');
    enqueue(world.deps, device, world.organisationId, 'invoice', [{ payload: invoicePayload(1) }, { payload: badInvoice(2) }]);
    await world.loop.drain();

    const { text, html } = await look(browser);
    assert.not.match(text, 'Everything has reached Xero.');
    assert.match(text, `One thing needs you 1 document needs attention for ${HARBOURSIDE}. See what needs attention`);
    assert.match(html, '<a href="/attention">See what needs attention</a>');
    assert.match(text, 'Queued Sending Held Failed Dead 0 0 0 1 0');
    const now = world.clock.now().toISOString();
    assert.equal(chartRow(html, 'Documents per hour, last 24 hours (UTC)', `${now.slice(0, 13)}:00:00.000Z`), ['1', '1']);

    const status = (await (await fetch(`${world.proxy.url}/api/v1/status`, { headers: { authorization: `Bearer ${key}` } })).json()) as { warnings: string[] };
    assert.equal(status.warnings, [`1 document needs attention for ${HARBOURSIDE}.`]);
  } finally {
    await world.stop();
  }
});

overview('an organisation that must be linked again says so, with Link again and the documents that wait for it', async () => {
  const world = await startDeliveryWorld();
  try {
    const browser = await signedIn(world);
    const device = insertDevice(world.deps, world.organisationId, 'TILL-1');
    enqueue(world.deps, device, world.organisationId, 'invoice', [{ payload: invoicePayload(1) }, { payload: invoicePayload(2) }]);
    markNeedsRelink(world.deps.db, world.deps.clock, [world.organisationId], 'Xero no longer accepts this organisation’s token; link it again.');
    await world.loop.tick();

    const { text, html } = await look(browser);
    assert.match(text, `${HARBOURSIDE} must be linked again; 2 documents wait for it. Link ${HARBOURSIDE} again`);
    assert.match(html, `<a href="/organisations">Link ${HARBOURSIDE} again</a>`);
    assert.match(text, `Must be linked again — Xero no longer accepts this organisation’s token; link it again. Link ${HARBOURSIDE} again 2 documents wait for it; they go by themselves once it is linked.`);
    assert.match(html, /<form method="post" action="\/connect\/link" class="actions"><input type="hidden" name="csrf" value="[^"]+"\/?><button type="submit" class="primary">Link Harbourside Café again<\/button>/);
    assert.match(text, 'Queued Sending Held Failed Dead 0 0 2 0 0');
    assert.match(text, 'Sending Paused until it is linked again');
    assert.not.match(text, 'Everything has reached Xero.');
  } finally {
    await world.stop();
  }
});

overview('a queue that has not moved for 30 minutes, and a day budget Xero says is nearly spent, are said with their fix', async () => {
  const world = await startDeliveryWorld();
  try {
    const browser = await signedIn(world);
    const device = insertDevice(world.deps, world.organisationId, 'TILL-1');
    enqueue(world.deps, device, world.organisationId, 'invoice', [{ payload: invoicePayload(1) }]);
    await world.advance(29 * 60);
    assert.not.match((await look(browser)).text, 'has not moved');
    await world.advance(2 * 60);
    let { text } = await look(browser);
    assert.match(text, `The queue for ${HARBOURSIDE} has not moved for 31 minutes. Check the proxy`);

    // Xero's own count of the day: the sandbox leaves 2 calls after the next one.
    const before = await sandboxApiCalls(world);
    await control(world, 'PUT', 'limits', { perDay: 3 });
    await world.loop.drain();
    ({ text } = await look(browser));
    assert.not.match(text, 'has not moved');
    assert.match(text, 'Xero says 2 left today');
    assert.match(text, `Xero's daily call budget for ${HARBOURSIDE} is 100 % used (4998 of 5000 calls). See the limits`);
    assert.ok((await sandboxApiCalls(world)) > before);
  } finally {
    await world.stop();
  }
});

overview('a pause Xero asked for is shown with until when, from the pacer the delivery loop shares', async () => {
  const world = await startDeliveryWorld();
  try {
    const browser = await signedIn(world);
    const device = insertDevice(world.deps, world.organisationId, 'TILL-1');
    await toStartOfXeroMinute(world);
    await control(world, 'PUT', 'limits', { perMinute: 1 });
    enqueue(world.deps, device, world.organisationId, 'invoice', [{ payload: invoicePayload(1) }]);
    await world.loop.tick();
    enqueue(world.deps, device, world.organisationId, 'invoice', [{ payload: invoicePayload(2) }]);
    await world.advance(2);
    await world.loop.tick();
    const { text } = await look(browser);
    assert.match(text, 'Sending Paused: Xero asked the proxy to slow down until in under a minute', text);
    assert.match(text, 'Queued Sending Held Failed Dead 1 0 0 0 0');
    assert.match(text, '1 document is on the way to Xero; nothing needs you.');
  } finally {
    await world.stop();
  }
});

overview.run();
