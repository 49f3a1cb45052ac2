import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { batchBody, buildBatchWrite, encodeBatchElement } from '../../src/domain/xero/batch-write';
import { claimJobs, findJob } from '../../src/store/jobs';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { runCli } from '../helpers/cli';
import { control, enqueue, insertDevice, invoicePayload, ledger, runUntilSettled, startDeliveryWorld, statusCounts, type DeliveryWorld } from '../helpers/delivery';

const recovery = suite('queue.delivery-recovery');
const CAFE = DEMO_ORGANISATIONS[0]!;

/** Runs `xero-proxy` against the world's proxy data directory. */
function cli(world: DeliveryWorld, args: string[]) {
  const { config } = world.proxy.running.proxy;
  return runCli(args, {
    cwd: mkdtempSync(join(tmpdir(), 'xp-jobs-')),
    env: {
      XERO_PROXY_STORAGE_DATA_DIR: world.proxy.dataDir,
      XERO_PROXY_XERO_APP_TYPE: 'private',
      XERO_PROXY_XERO_API_URL: config.xero.apiUrl,
      XERO_PROXY_XERO_CONSUMER_KEY: config.xero.consumerKey,
    },
  });
}

recovery('an organisation offline for longer than the retries: the job is dead with the reason; `jobs retry` queues it afresh and it is delivered', async () => {
  const world = await startDeliveryWorld({ retry: { maxAttempts: 4 } });
  try {
    const [job] = enqueue(world.deps, insertDevice(world.deps, world.organisationId, 'POS-1'), world.organisationId, 'invoice', [{ payload: invoicePayload(1) }]);
    await control(world, 'PUT', 'faults', { offlineOrganisations: [CAFE.id] });
    await runUntilSettled(world);
    const dead = findJob(world.deps.db, job!.id)!;
    assert.is(dead.status, 'dead');
    assert.is(dead.attempts, 4);
    assert.is(dead.lastError, 'The Xero organisation is temporarily offline. Xero said: "the organisation is temporarily offline". The proxy gave up after 4 attempts.');

    const listed = await cli(world, ['jobs', 'list', '--status', 'dead', '--org', CAFE.name, '--json']);
    assert.is(listed.code, 0, listed.stderr);
    assert.equal((JSON.parse(listed.stdout) as { jobs: Array<{ id: string }> }).jobs.map((j) => j.id), [job!.id]);
    await control(world, 'DELETE', 'faults');
    const retried = await cli(world, ['jobs', 'retry', job!.id]);
    assert.is(retried.code, 0, retried.stderr);
    assert.is(retried.stdout.trim(), `Queued ${job!.id} again.`);
    const again = await cli(world, ['jobs', 'retry', job!.id]);
    assert.is(again.code, 1);
    assert.is(again.stderr.trim(), `error: Job ${job!.id} is queued; only dead, failed or held jobs can be retried.`);

    await runUntilSettled(world);
    const delivered = findJob(world.deps.db, job!.id)!;
    assert.is(delivered.status, 'delivered');
    assert.is(delivered.attempts, 1, 'a retried job starts its attempts afresh');
    const shown = JSON.parse((await cli(world, ['jobs', 'show', job!.id, '--json'])).stdout) as { status: string; xeroId: string; organisation: string };
    assert.equal([shown.status, shown.xeroId, shown.organisation], ['delivered', delivered.xeroId, CAFE.name]);
  } finally {
    await world.stop();
  }
});

recovery('`jobs cancel` stops a queued job for good, and refuses a delivered one', async () => {
  const world = await startDeliveryWorld();
  try {
    const [keep, drop] = enqueue(world.deps, insertDevice(world.deps, world.organisationId, 'POS-1'), world.organisationId, 'invoice', [{ payload: invoicePayload(1) }, { payload: invoicePayload(2) }]);
    const cancelled = await cli(world, ['jobs', 'cancel', drop!.id, '--json']);
    assert.is(cancelled.code, 0, cancelled.stderr);
    await runUntilSettled(world);
    assert.equal(statusCounts(world), { delivered: 1, cancelled: 1 });
    const refused = await cli(world, ['jobs', 'cancel', keep!.id]);
    assert.is(refused.code, 1);
    assert.is(refused.stderr.trim(), `error: Job ${keep!.id} is delivered; only queued, held, failed or dead jobs can be cancelled.`);
    assert.is((await ledger(world, 'Invoice')).filter((doc) => doc.reference?.includes(drop!.documentKey)).length, 0);
  } finally {
    await world.stop();
  }
});

recovery('a process that died mid-send: when the lease runs out the jobs are looked up, the ones Xero has are not sent again', async () => {
  const world = await startDeliveryWorld();
  try {
    const jobs = enqueue(world.deps, insertDevice(world.deps, world.organisationId, 'POS-1'), world.organisationId, 'invoice', Array.from({ length: 30 }, (_, i) => ({ payload: invoicePayload(i) })));
    // The dead process claimed all thirty and had sent the first twenty when it died.
    const claimed = claimJobs(world.deps.db, world.clock, world.organisationId, 'invoice', 50, 60_000);
    assert.is(claimed.length, 30);
    const { calls, config } = world.proxy.running.proxy;
    const body = batchBody('Invoices', claimed.slice(0, 20).map((job) => encodeBatchElement('Invoices', job.payload)));
    await calls.call(world.organisationId, (auth) => buildBatchWrite({ apiUrl: config.xero.apiUrl, auth, collection: 'Invoices', body }));

    await world.loop.drain();
    assert.is(world.loop.stats.calls, 0, 'nothing is touched while the lease holds');
    await world.advance(61);
    await runUntilSettled(world);
    assert.equal(statusCounts(world), { delivered: 30 });
    const stored = (await ledger(world, 'Invoice')).filter((doc) => doc.reference?.includes('[XP-'));
    assert.is(stored.length, 30, 'each invoice once');
    assert.is(world.loop.stats.found, 20);
    assert.is(world.loop.stats.writes, 1, 'only the ten that never arrived were sent');
    for (const job of jobs) assert.is(findJob(world.deps.db, job.id)!.xeroId, stored.find((doc) => doc.reference!.includes(job.documentKey))!.id);
  } finally {
    await world.stop();
  }
});

recovery('a whole batch refused as unreadable: each document is sent alone, so only the bad one fails', async () => {
  const world = await startDeliveryWorld();
  try {
    const jobs = enqueue(world.deps, insertDevice(world.deps, world.organisationId, 'POS-1'), world.organisationId, 'invoice', [
      { payload: invoicePayload(1) },
      { payload: invoicePayload(2, { 'Not an element': 'x' }) },
      { payload: invoicePayload(3) },
    ]);
    await runUntilSettled(world);
    assert.equal(jobs.map((job) => findJob(world.deps.db, job.id)!.status), ['delivered', 'failed', 'delivered']);
    assert.match(findJob(world.deps.db, jobs[1]!.id)!.errors![0]!, /not well-formed/);
    assert.equal([world.loop.stats.writes, findJob(world.deps.db, jobs[0]!.id)!.attempts], [4, 1]);
  } finally {
    await world.stop();
  }
});

recovery('on shutdown the loop claims nothing more and lets the request in flight finish within the grace period', async () => {
  const world = await startDeliveryWorld();
  try {
    const jobs = enqueue(world.deps, insertDevice(world.deps, world.organisationId, 'POS-1'), world.organisationId, 'invoice', [{ payload: invoicePayload(1) }]);
    await control(world, 'PUT', 'faults', { latencyMs: 400 });
    const ticking = world.loop.tick();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await world.loop.stop(5_000);
    await ticking;
    assert.is(findJob(world.deps.db, jobs[0]!.id)!.status, 'delivered');
    enqueue(world.deps, insertDevice(world.deps, world.organisationId, 'POS-2'), world.organisationId, 'invoice', [{ payload: invoicePayload(2) }]);
    assert.is(await world.loop.tick(), 0, 'a stopped loop claims nothing');
  } finally {
    await world.stop();
  }
});

recovery('a request still in flight when the grace period ends is cut off and recorded as outcome-unknown, to be looked up later', async () => {
  const world = await startDeliveryWorld();
  try {
    const [job] = enqueue(world.deps, insertDevice(world.deps, world.organisationId, 'POS-1'), world.organisationId, 'invoice', [{ payload: invoicePayload(1) }]);
    await control(world, 'PUT', 'faults', { latencyMs: 2_000 });
    const ticking = world.loop.tick();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await world.loop.stop(200);
    await ticking;
    const cut = findJob(world.deps.db, job!.id)!;
    assert.is(cut.status, 'queued');
    assert.ok(cut.outcomeUnknown);
    assert.match(cut.lastError!, 'it may have reached Xero');
  } finally {
    await world.stop();
  }
});

recovery('started by the server, the loop delivers on its own timers', async () => {
  const { startWorld, pairAndLink } = await import('../helpers/linked');
  const world = await startWorld('private', { organisationId: CAFE.id, proxy: { delivery: { pollMs: 50 } } });
  try {
    const { outcome } = await pairAndLink(world, 'LINK');
    if (outcome.kind !== 'linked') throw new Error('not linked');
    const deps = world.proxy.running.proxy.deps;
    const [job] = enqueue(deps, insertDevice(deps, outcome.organisation.id, 'POS-1'), outcome.organisation.id, 'invoice', [{ payload: invoicePayload(1) }]);
    for (let i = 0; i < 100 && findJob(deps.db, job!.id)!.status !== 'delivered'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.is(findJob(deps.db, job!.id)!.status, 'delivered');
  } finally {
    await world.stop();
  }
});

recovery.run();
