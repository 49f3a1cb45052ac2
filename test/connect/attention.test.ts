import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { findJob, markDead, scheduleRetry } from '../../src/store/jobs';
import { markNeedsRelink } from '../../src/store/organisations';
import { runCli } from '../helpers/cli';
import { control, enqueue, insertDevice, invoicePayload, runUntilSettled } from '../helpers/delivery';
import { pairAndLink, startWorld, type LinkedWorld } from '../helpers/linked';
import { Browser, field, givenAdminPassword, textOf } from '../helpers/web';

const CAFE = DEMO_ORGANISATIONS[0]!;

interface Context {
  world: LinkedWorld;
  organisationId: string;
  device: string;
  browser: Browser;
}

const attention = suite<Context>('attention.page');

attention.before(async (context) => {
  context.world = await startWorld('private', { organisationId: CAFE.id, publicUrlIsSelf: true, proxy: { delivery: { manual: true } } });
  const { outcome } = await pairAndLink(context.world, 'ATTENTION-TILL');
  if (outcome.kind !== 'linked') throw new Error(JSON.stringify(outcome));
  context.organisationId = outcome.organisation.id;
  const deps = context.world.proxy.running.proxy.deps;
  context.device = insertDevice(deps, context.organisationId, 'FRONT-TILL');
  await givenAdminPassword(deps);
  context.browser = new Browser(context.world.proxy.url);
  assert.is((await context.browser.signIn()).status, 303);
});

attention.after(async ({ world }) => world?.stop());

const settle = (world: LinkedWorld) => runUntilSettled({ loop: world.proxy.running.delivery!, deps: world.proxy.running.proxy.deps, clock: world.clock, advance: world.advance });

/** Drives the loop, moving both clocks on as the pacer asks, until the job has been tried once. */
async function untilTried(world: LinkedWorld, jobId: string): Promise<void> {
  const loop = world.proxy.running.delivery!;
  const deps = world.proxy.running.proxy.deps;
  for (let round = 0; round < 100; round++) {
    await loop.drain();
    if (findJob(deps.db, jobId)!.attempts > 0) return;
    const next = loop.nextWakeAt();
    if (!next) throw new Error('nothing is due');
    await world.advance(Math.max(0.001, (next.getTime() - world.clock.now().getTime()) / 1000));
  }
  throw new Error(`job ${jobId} was never tried`);
}

attention('an invoice refused because its account is archived is explained on /attention, and Retry all delivers it once the account is restored', async ({ world, organisationId, device, browser }) => {
  const deps = world.proxy.running.proxy.deps;
  await control(world, 'POST', `organisations/${CAFE.id}/accounts/200/archive`);
  const jobs = enqueue(deps, device, organisationId, 'invoice', [{ payload: invoicePayload(1) }, { payload: invoicePayload(2) }]);
  await settle(world);

  for (const job of jobs) {
    const stored = findJob(deps.db, job.id)!;
    assert.is(stored.status, 'failed');
    assert.is(stored.cause, 'account_archived');
    assert.equal(stored.causeDetail, { accountCode: '200' });
  }

  const shown = await browser.get('/attention');
  assert.is(shown.status, 200);
  const text = textOf(shown.text);
  assert.match(text, 'Account archived or deleted in Xero — Harbourside Café');
  assert.match(text, 'Xero refused 2 invoices because account 200 is archived or deleted in Xero.');
  assert.match(text, 'Map the names that used it to an active account on the mappings page');
  assert.match(shown.text, `href="/mappings?organisation=${organisationId}"`);
  assert.match(shown.text, `href="/documents/${jobs[0]!.id}"`);
  assert.match(text, 'Table 1');
  assert.match(text, 'FRONT-TILL');
  assert.match(text, 'Refused by Xero');
  assert.match(shown.text, /<time datetime="[^"]+">\d{4}-\d\d-\d\d \d\d:\d\d UTC<\/time>/);

  // Without the form's CSRF token nothing is queued again.
  const forged = await browser.post('/attention/retry', { organisation: organisationId, cause: 'account_archived' });
  assert.is(forged.status, 403);
  assert.is(findJob(deps.db, jobs[0]!.id)!.status, 'failed');

  await control(world, 'POST', `organisations/${CAFE.id}/accounts/200/restore`);
  const form = /<form method="post" action="\/attention\/retry">[\s\S]*?<\/form>/.exec(shown.text)![0];
  assert.is(field(form, 'cause'), 'account_archived');
  const retried = await browser.post('/attention/retry', { csrf: field(form, 'csrf'), organisation: field(form, 'organisation'), cause: field(form, 'cause') });
  assert.is(retried.status, 303);
  assert.is(retried.location, '/attention?retried=2&lookedUp=0');
  const after = textOf((await browser.get(retried.location!)).text);
  assert.match(after, '2 documents are back in the queue.');
  assert.is(findJob(deps.db, jobs[0]!.id)!.cause, null, 'the cause is cleared when the job is queued again');

  await settle(world);
  for (const job of jobs) {
    const stored = findJob(deps.db, job.id)!;
    assert.is(stored.status, 'delivered');
    assert.match(stored.xeroNumber ?? '', /^INV-/);
    assert.is(stored.cause, null);
  }
  assert.match(textOf((await browser.get('/attention')).text), 'Nothing needs attention: every document has reached Xero or is on its way.');
});

attention('Retry all refuses a cause it does not know, and one whose documents go by themselves once the organisation is linked again', async ({ organisationId, browser }) => {
  const csrf = field((await browser.get('/attention')).text, 'csrf');
  const unknown = await browser.post('/attention/retry', { csrf, organisation: organisationId, cause: 'gremlins' });
  assert.is(unknown.status, 400);
  assert.match(textOf(unknown.text), 'There is no cause "gremlins"');
  const relink = await browser.post('/attention/retry', { csrf, organisation: organisationId, cause: 'relink_needed' });
  assert.is(relink.status, 409);
  assert.match(textOf(relink.text), 'These documents go by themselves once the organisation is linked again; link it again instead.');
});

attention('a document dated before the lock date names the lock date, and `jobs retry --cause` queues it again from the command line', async ({ world, organisationId, device }) => {
  const deps = world.proxy.running.proxy.deps;
  await control(world, 'PUT', `organisations/${CAFE.id}/lock-dates`, { periodLockDate: '2026-11-30' });
  const [job] = enqueue(deps, device, organisationId, 'invoice', [{ payload: invoicePayload(3) }]);
  await settle(world);
  const stored = findJob(deps.db, job!.id)!;
  assert.is(stored.status, 'failed');
  assert.is(stored.cause, 'lock_date');
  assert.equal(stored.causeDetail, { date: '2026-11-28', lockDate: '2026-11-30', lockKind: 'period' });

  const cwd = mkdtempSync(join(tmpdir(), 'xp-attention-cli-'));
  const env = {
    XERO_PROXY_STORAGE_DATA_DIR: world.proxy.dataDir,
    XERO_PROXY_XERO_APP_TYPE: 'private',
    XERO_PROXY_XERO_API_URL: world.sandbox.url,
    XERO_PROXY_XERO_CONSUMER_KEY: world.app.consumerKey,
    XERO_PROXY_XERO_CONSUMER_SECRET: world.app.consumerSecret,
    XERO_PROXY_SERVER_PUBLIC_URL: deps.config.server.publicUrl,
  };
  const both = await runCli(['jobs', 'retry', job!.id, '--cause', 'lock_date'], { cwd, env });
  assert.is(both.code, 2);
  assert.match(both.stderr, 'Give either a job id or --cause <code>, not both.');
  const result = await runCli(['jobs', 'retry', '--cause', 'lock_date', '--org', 'Harbourside Café'], { cwd, env });
  assert.is(result.code, 0, result.stderr);
  assert.is(result.stdout.trim(), '1 document is back in the queue. (Harbourside Café)');
  const requeued = findJob(deps.db, job!.id)!;
  assert.is(requeued.status, 'queued');
  assert.is(requeued.attempts, 0);
  assert.is(requeued.cause, null);
  await control(world, 'PUT', `organisations/${CAFE.id}/lock-dates`, { periodLockDate: null });
  await settle(world);
  assert.is(findJob(deps.db, job!.id)!.status, 'delivered');
});

attention('a send Xero may have saved, given up on, is looked up in Xero first after Retry all; waiting ones are marked as going by themselves', async ({ world, organisationId, device, browser }) => {
  const deps = world.proxy.running.proxy.deps;
  await control(world, 'PUT', 'faults', { offlineOrganisations: [CAFE.id] });
  const [offline] = enqueue(deps, device, organisationId, 'invoice', [{ payload: invoicePayload(4) }]);
  await untilTried(world, offline!.id);
  const waiting = findJob(deps.db, offline!.id)!;
  assert.is(waiting.status, 'queued');
  assert.is(waiting.cause, 'xero_unavailable', JSON.stringify(waiting));
  const page = textOf((await browser.get('/attention')).text);
  assert.match(page, 'Waiting, and will go by themselves');
  assert.match(page, '1 invoice waits to be sent again because Xero could not be reached; the proxy tries again by itself.');
  assert.match(page, 'Goes by itself: nothing to do unless it lasts.');
  assert.match(page, 'Nothing needs attention', 'a document that goes by itself needs no person');

  // The proxy gave up on it after a send whose answer never came.
  scheduleRetry(deps.db, world.clock, offline!.id, { notBefore: waiting.notBefore, lastError: 'The request to Xero at the sandbox failed (no answer within 30 seconds); it may have reached Xero.', outcomeUnknown: true });
  markDead(deps.db, world.clock, offline!.id, 'The request to Xero at the sandbox failed (no answer within 30 seconds); it may have reached Xero. The proxy gave up after 8 attempts.');
  await control(world, 'DELETE', 'faults');
  const dead = await browser.get('/attention');
  assert.match(textOf(dead.text), 'The proxy stopped trying to send 1 invoice because Xero could not be reached.');
  const retried = await browser.post('/attention/retry', { csrf: field(dead.text, 'csrf'), organisation: organisationId, cause: 'xero_unavailable' });
  assert.is(retried.location, '/attention?retried=1&lookedUp=1');
  assert.match(textOf((await browser.get(retried.location!)).text), '1 document is back in the queue. It is looked up in Xero first, because the last send may have reached Xero.');
  assert.is(findJob(deps.db, offline!.id)!.outcomeUnknown, true);
  await settle(world);
  assert.is(findJob(deps.db, offline!.id)!.status, 'delivered');
});

attention('documents held until the organisation is linked again offer Link again, not Retry all, and go once it is linked', async ({ world, organisationId, device, browser }) => {
  const deps = world.proxy.running.proxy.deps;
  markNeedsRelink(deps.db, world.clock, [organisationId], 'Xero no longer accepts this organisation\'s token; link it again.');
  const [held] = enqueue(deps, device, organisationId, 'invoice', [{ payload: invoicePayload(5) }]);
  await world.proxy.running.delivery!.drain();
  assert.is(findJob(deps.db, held!.id)!.status, 'held');
  assert.is(findJob(deps.db, held!.id)!.cause, 'relink_needed');

  const shown = await browser.get('/attention');
  const text = textOf(shown.text);
  assert.match(text, 'The organisation must be linked again — Harbourside Café');
  assert.match(text, '1 invoice waits because Harbourside Café must be linked to Xero again.', text);
  const section = /<section[^>]*data-cause="relink_needed"[\s\S]*?<\/section>/.exec(shown.text)![0];
  assert.match(section, '<form method="post" action="/connect/link">');
  assert.match(textOf(section), 'Link Harbourside Café again');
  assert.not.match(section, 'action="/attention/retry"');

  const linked = await browser.post('/connect/link', { csrf: field(section, 'csrf') });
  assert.is(linked.status, 200);
  assert.match(textOf(linked.text), 'Harbourside Café');
  await settle(world);
  assert.is(findJob(deps.db, held!.id)!.status, 'delivered');
  assert.is(findJob(deps.db, held!.id)!.cause, null);
});

attention.run();
