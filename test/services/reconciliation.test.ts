import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { silentLogger } from '../../src/lib/logger';
import { registerJobs } from '../../src/schedule/jobs';
import { Scheduler } from '../../src/schedule/registry';
import { runAlerts } from '../../src/services/alerts';
import { reconcileDay, reconcileYesterday } from '../../src/services/reconciliation';
import { reviewRun } from '../../src/services/reconciliation-report';
import { findJob, type Job } from '../../src/store/jobs';
import { usageSince } from '../../src/store/organisation-usage';
import { findRun } from '../../src/store/reconciliations';
import { asCli } from '../helpers/actor';
import { startOfNextUtcDay, whileTimePasses } from '../helpers/linked';
import { startWebhookSink } from '../helpers/alert-sinks';
import { control, enqueue, insertDevice, invoicePayload, runUntilSettled, startDeliveryWorld as startLinkedDeliveryWorld, type DeliveryWorld } from '../helpers/delivery';

const CAFE = DEMO_ORGANISATIONS[0]!;

/** A delivery world whose day has just begun, so each test's day of deliveries stays one day. */
async function startDeliveryWorld(options: Parameters<typeof startLinkedDeliveryWorld>[0] = {}): Promise<DeliveryWorld> {
  const world = await startLinkedDeliveryWorld(options);
  await startOfNextUtcDay(world);
  return world;
}
const reconciliation = suite('services.reconciliation');

const today = (world: DeliveryWorld) => world.clock.now().toISOString().slice(0, 10);
const callsToday = (world: DeliveryWorld) => usageSince(world.deps.db, today(world)).find((row) => row.organisationId === world.organisationId)?.calls ?? 0;
// The proxy's clock stands still between steps, so time passes while the pacer spaces the reads.
const reconcile = (world: DeliveryWorld) => whileTimePasses(world, reconcileDay(asCli({ ...world.deps, transport: fetch }), world.proxy.running.proxy.calls, world.organisationId, today(world), { trigger: 'cli' }));

/** Delivers two invoices, one of them paid, as a till would, and returns their jobs once delivered. */
async function deliverDay(world: DeliveryWorld): Promise<{ unpaid: Job; paid: Job; payment: Job }> {
  const device = insertDevice(world.deps, world.organisationId, 'FRONT-TILL');
  const [unpaid, paid] = enqueue(world.deps, device, world.organisationId, 'invoice', [{ payload: invoicePayload(1) }, { payload: invoicePayload(2) }]);
  const [payment] = enqueue(world.deps, device, world.organisationId, 'payment', [
    { payload: { Invoice: { DocumentId: 'TABLE-2' }, Account: { Code: '090' }, Date: '2026-11-28', Amount: 15.5, Reference: 'EFTPOS' }, dependsOn: paid!.id },
  ]);
  await runUntilSettled(world);
  const jobs = { unpaid: findJob(world.deps.db, unpaid!.id)!, paid: findJob(world.deps.db, paid!.id)!, payment: findJob(world.deps.db, payment!.id)! };
  for (const job of Object.values(jobs)) assert.is(job.status, 'delivered', `${job.kind} ${job.id} is delivered`);
  return jobs;
}

reconciliation('a clean day reports nothing found, and the calls it made are counted in the day\'s usage', async () => {
  const world = await startDeliveryWorld();
  try {
    await deliverDay(world);
    const before = callsToday(world);
    const run = await reconcile(world);
    assert.is(run.error, null);
    assert.is(run.state, 'clean');
    assert.is(run.checked, 3);
    assert.equal(run.findings, []);
    // One page of this app's invoices, one of the payments.
    assert.is(run.calls, 2);
    assert.is(callsToday(world), before + 2);
    // The reads Xero saw: this app's invoices in summary and the payments, paged; never /Journals.
    const log = (await control(world, 'GET', 'requests?limit=200')) as { requests: Array<{ method: string; path: string; query: string | null; status: number }> };
    const reads = log.requests.filter((request) => request.method === 'GET' && request.path.startsWith('/api.xro/')).slice(0, 2);
    assert.equal(
      reads.reverse().map((request) => [request.method, request.path, request.query, request.status]),
      [
        ['GET', '/api.xro/2.0/Invoices', '?createdByMyApp=true&summaryOnly=true&page=1', 200],
        ['GET', '/api.xro/2.0/Payments', '?page=1', 200],
      ],
    );
    assert.equal(findRun(world.deps.db, world.organisationId, today(world))?.state, 'clean');
  } finally {
    await world.stop();
  }
});

reconciliation('an invoice voided in Xero after delivery and a payment deleted there are found, each naming the document and its till', async () => {
  const world = await startDeliveryWorld();
  try {
    const { unpaid, paid, payment } = await deliverDay(world);
    await world.advance(3600);
    // As in Xero, an invoice with a payment on it is voided only once the payment is removed.
    const refused = await fetch(`${world.sandbox.url}/sandbox/organisations/${CAFE.id}/invoices/${paid.xeroNumber}/void`, { method: 'POST' });
    assert.is(refused.status, 409);
    assert.is(((await refused.json()) as { error: { message: string } }).error.message, 'This document cannot be edited as it has a payment or credit note allocated to it.');
    await control(world, 'POST', `organisations/${CAFE.id}/invoices/${unpaid.xeroId}/void`);
    await control(world, 'POST', `organisations/${CAFE.id}/payments/${payment.xeroId}/delete`);
    const before = callsToday(world);
    const run = await reconcile(world);
    assert.is(run.state, 'found');
    assert.equal(
      run.findings.map((finding) => [finding.kind, finding.finding, finding.jobId]),
      [
        ['invoice', 'voided', unpaid.id],
        ['payment', 'deleted', payment.id],
      ],
    );
    const voided = run.findings[0]!;
    assert.is(voided.xeroNumber, unpaid.xeroNumber);
    assert.is(voided.expected, 15.5);
    assert.ok(voided.xeroUpdatedAt && voided.xeroUpdatedAt > unpaid.deliveredAt!, 'Xero changed it after delivery');
    assert.is(callsToday(world), before + run.calls);
    const stored = findRun(world.deps.db, world.organisationId, today(world))!;
    assert.equal(stored.findings, run.findings);
  } finally {
    await world.stop();
  }
});

reconciliation('a day of more invoices than Xero puts on a page is read page by page, and a voided one on the second page is found', async () => {
  const world = await startDeliveryWorld();
  try {
    const device = insertDevice(world.deps, world.organisationId, 'FRONT-TILL');
    const jobs = enqueue(world.deps, device, world.organisationId, 'invoice', Array.from({ length: 105 }, (_, i) => ({ payload: invoicePayload(i + 1) })));
    await runUntilSettled(world);
    const last = findJob(world.deps.db, jobs.at(-1)!.id)!;
    assert.is(last.status, 'delivered');
    const clean = await reconcile(world);
    assert.equal([clean.state, clean.checked, clean.calls], ['clean', 105, 2]);

    await control(world, 'POST', `organisations/${CAFE.id}/invoices/${last.xeroId}/void`);
    const found = await reconcile(world);
    assert.equal([found.state, found.calls, found.findings.map((f) => [f.finding, f.jobId])], ['found', 2, [['voided', last.id]]]);
    const log = (await control(world, 'GET', 'requests?limit=300')) as { requests: Array<{ method: string; path: string; query: string | null }> };
    const reads = log.requests.filter((request) => request.method === 'GET' && request.path === '/api.xro/2.0/Invoices').slice(0, 2).reverse();
    assert.equal(reads.map((request) => request.query), ['?createdByMyApp=true&summaryOnly=true&page=1', '?createdByMyApp=true&summaryOnly=true&page=2']);
  } finally {
    await world.stop();
  }
});

reconciliation('an invoice this app no longer lists as its own is asked for by id before it is called missing; one Xero has not at all is missing', async () => {
  const world = await startDeliveryWorld();
  try {
    const { unpaid, paid } = await deliverDay(world);
    const sandboxDb = world.sandbox.sandbox.deps.db;
    // As if made under an earlier registration of the app (before a move to OAuth 2.0): Xero still has it.
    sandboxDb.prepare("UPDATE documents SET created_by_app = 'earlier-app' WHERE type = 'Invoice' AND id = ?").run(unpaid.xeroId!.toLowerCase());
    const earlier = await reconcile(world);
    assert.equal([earlier.state, earlier.calls, earlier.findings], ['clean', 3, []]);

    // Xero never forgets an invoice, but a document of another tenant or a restored file can be absent.
    sandboxDb.prepare("DELETE FROM documents WHERE type = 'Invoice' AND id = ?").run(unpaid.xeroId!.toLowerCase());
    const gone = await reconcile(world);
    assert.equal(gone.findings.map((f) => [f.finding, f.jobId, f.expected, f.actual]), [['missing', unpaid.id, 15.5, null]]);
    assert.ok(paid.xeroId);
  } finally {
    await world.stop();
  }
});

reconciliation('a day with nothing delivered makes no call to Xero, and an unknown day is refused naming the field', async () => {
  const world = await startDeliveryWorld();
  try {
    const before = callsToday(world);
    const run = await reconcile(world);
    assert.is(run.state, 'clean');
    assert.is(run.calls, 0);
    assert.is(callsToday(world), before);
    try {
      await reconcileDay(asCli({ ...world.deps, transport: fetch }), world.proxy.running.proxy.calls, world.organisationId, '2026-02-30', { trigger: 'cli' });
      assert.unreachable('an impossible day is refused');
    } catch (error) {
      assert.is((error as { code?: string }).code, 'invalid');
      assert.is((error as Error).message, 'date: "2026-02-30" is not a day written YYYY-MM-DD, e.g. 2026-11-28.');
    }
  } finally {
    await world.stop();
  }
});

reconciliation('the daily schedule reconciles yesterday, and what it finds is alerted with what to do until a person marks it dealt with', async () => {
  const hooks = await startWebhookSink();
  const world = await startDeliveryWorld({ env: { XERO_PROXY_ALERTS_WEBHOOK_URL: hooks.url } });
  try {
    const scheduler = new Scheduler(silentLogger);
    registerJobs(scheduler, world.proxy.running.proxy);
    const listed = scheduler.list().find((job) => job.name === 'reconcile');
    await scheduler.stop();
    assert.is(listed?.cron, '45 3 * * *');

    const { unpaid } = await deliverDay(world);
    const day = today(world);
    await world.advance(3600);
    await control(world, 'POST', `organisations/${CAFE.id}/invoices/${unpaid.xeroId}/void`);
    await world.advance(86_400);
    const runs = await whileTimePasses(world, reconcileYesterday({ ...world.deps, transport: fetch }, world.proxy.running.proxy.calls));
    assert.equal(runs.map((run) => [run.day, run.state, run.trigger, run.findings.length]), [[day, 'found', 'schedule', 1]]);

    await runAlerts(world.deps);
    const alerts = hooks.hooks.map((hook) => JSON.parse(hook.body) as { event: string; cause: string; summary: string; action: string; url: string });
    const found = alerts.find((alert) => alert.cause === 'reconciliation_found');
    assert.ok(found, JSON.stringify(alerts));
    assert.is(found.event, 'raised');
    assert.is(
      found.summary,
      `The daily reconciliation found 1 document for Harbourside Café that Xero no longer holds as the proxy delivered it (${day}): Invoice ${unpaid.xeroNumber} (till FRONT-TILL) was voided in Xero on ${found.summary.match(/voided in Xero on (\S+ \S+ UTC)/)![1]}, after the proxy delivered it on ${unpaid.deliveredAt!.slice(0, 16).replace('T', ' ')} UTC.`,
    );
    assert.match(found.action, 'press Mark as dealt with once it is');
    assert.is(found.url, `http://proxy.test/reconciliation?organisation=${world.organisationId}`);

    reviewRun(asCli(world.deps), runs[0]!.id);
    await runAlerts(world.deps);
    const cleared = hooks.hooks.map((hook) => JSON.parse(hook.body) as { event: string; cause: string }).filter((alert) => alert.cause === 'reconciliation_found');
    assert.equal(cleared.map((alert) => alert.event), ['raised', 'cleared']);
  } finally {
    await world.stop();
    await hooks.stop();
  }
});

reconciliation.run();
