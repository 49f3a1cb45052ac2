import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { searchDocuments } from '../../src/services/documents';
import { attemptsOf } from '../../src/store/job-attempts';
import { findJob } from '../../src/store/jobs';
import { runCli } from '../helpers/cli';
import { control, ledger, runUntilSettled } from '../helpers/delivery';
import { collectKey, pairAndLink, startWorld, type LinkedWorld } from '../helpers/linked';
import { Browser, field, givenAdminPassword, textOf } from '../helpers/web';

const CAFE = DEMO_ORGANISATIONS[0]!;

interface Context {
  world: LinkedWorld;
  key: string;
  browser: Browser;
  /** Job ids by the DocumentId the test sent them with. */
  jobs: Map<string, string>;
}

const documents = suite<Context>('connect.documents');

const invoice = (documentId: string, overrides: { amount?: number; account?: string } = {}) => ({
  DocumentId: documentId,
  Type: 'ACCREC',
  Contact: { Name: 'Walk-in customer' },
  Date: '2026-11-28',
  LineAmountTypes: 'Inclusive',
  Reference: `Table ${documentId}`,
  Status: 'AUTHORISED',
  LineItems: [{ Description: 'Flat white', Quantity: 1, UnitAmount: overrides.amount ?? 4.5, AccountCode: overrides.account ?? '200', TaxType: 'OUTPUT' }],
});

const loop = (world: LinkedWorld) => ({ loop: world.proxy.running.delivery!, deps: world.proxy.running.proxy.deps, clock: world.clock, advance: world.advance });
const deps = (world: LinkedWorld) => world.proxy.running.proxy.deps;

async function send(context: Context, body: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${context.world.proxy.url}/api/v1/invoices`, {
    method: 'POST',
    headers: { authorization: `Bearer ${context.key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

function cli(world: LinkedWorld, args: string[]) {
  return runCli(args, {
    cwd: mkdtempSync(join(tmpdir(), 'xp-documents-')),
    env: {
      XERO_PROXY_STORAGE_DATA_DIR: world.proxy.dataDir,
      XERO_PROXY_XERO_APP_TYPE: 'private',
      XERO_PROXY_XERO_API_URL: world.sandbox.url,
      XERO_PROXY_XERO_CONSUMER_KEY: world.app.consumerKey,
    },
  });
}

documents.before(async (context) => {
  context.world = await startWorld('private', { organisationId: CAFE.id, proxy: { delivery: { manual: true, retry: { maxAttempts: 3 } } }, publicUrlIsSelf: true });
  const { pairingId } = await pairAndLink(context.world, 'TILL-7');
  context.key = await collectKey(context.world, pairingId);
  await givenAdminPassword(deps(context.world));
  context.browser = new Browser(context.world.proxy.url);
  assert.is((await context.browser.signIn()).status, 303);
  context.jobs = new Map();
});
documents.after(async ({ world }) => world.stop());

documents('a document delivered, one Xero refused, and one sent again after Xero was offline each leave their history with Xero\'s status', async (context) => {
  const { world } = context;
  for (const [id, body] of [['D-1', invoice('D-1')], ['D-2', invoice('D-2', { account: '999' })]] as const) {
    const answer = await send(context, { Invoices: [body] });
    assert.is(answer.status, 202, JSON.stringify(answer.json));
    context.jobs.set(id, answer.json.jobs[0].id);
  }
  await runUntilSettled(loop(world));
  const delivered = attemptsOf(deps(world).db, context.jobs.get('D-1')!);
  assert.equal(delivered.map((a) => [a.outcome, a.httpStatus]), [['delivered', 200]]);
  const refused = attemptsOf(deps(world).db, context.jobs.get('D-2')!);
  assert.equal(refused.map((a) => a.outcome), ['refused']);
  assert.is(typeof refused[0]!.httpStatus, 'number');
  assert.equal(refused[0]!.messages, findJob(deps(world).db, context.jobs.get('D-2')!)!.errors, "the history keeps Xero's own words");

  await control(world, 'PUT', 'faults', { offlineOrganisations: [CAFE.id] });
  const third = await send(context, { Invoices: [invoice('D-3')] });
  context.jobs.set('D-3', third.json.jobs[0].id);
  // Xero's pace may hold the send back a moment: move time until Xero has answered once.
  for (let round = 0; round < 60 && attemptsOf(deps(world).db, context.jobs.get('D-3')!).length === 0; round++) {
    await world.proxy.running.delivery!.drain();
    await world.advance(1);
  }
  await control(world, 'DELETE', 'faults');
  await runUntilSettled(loop(world));
  const retried = attemptsOf(deps(world).db, context.jobs.get('D-3')!);
  assert.equal(retried.map((a) => [a.outcome, a.httpStatus]), [['retry', 503], ['delivered', 200]]);
  assert.match(retried[0]!.messages.join(' '), 'offline');
});

documents('the same DocumentId with the same content is a duplicate; with other content it is refused with 409 document_changed naming the earlier job, and nothing is stored', async (context) => {
  const { world } = context;
  const count = () => deps(world).db.prepare('SELECT (SELECT COUNT(*) FROM jobs) || \'/\' || (SELECT COUNT(*) FROM submissions)').pluck().get();
  const again = await send(context, { Invoices: [invoice('D-1')] });
  assert.is(again.status, 202);
  assert.is(again.json.jobs[0].duplicateOf, context.jobs.get('D-1'));
  const before = count();

  const changed = await send(context, { Invoices: [invoice('D-1', { amount: 5 })] });
  assert.is(changed.status, 409);
  assert.is(changed.json.error.code, 'document_changed');
  assert.is(changed.json.error.message, `The document "D-1" was already sent with other content (job ${context.jobs.get('D-1')}); this request was not stored, and the earlier document stands.`);
  assert.equal(changed.json.error.details, [{ field: 'DocumentId', message: `already used by job ${context.jobs.get('D-1')} with other content` }]);
  // Other content beside a new document refuses the whole request: the new one is not queued either.
  const mixed = await send(context, { Invoices: [invoice('D-9'), invoice('D-1', { amount: 5 })] });
  assert.is(mixed.status, 409);
  assert.is(count(), before, 'a refused request leaves no job and no submission behind');
});

documents('GET /api/v1/jobs?documentId= finds the device\'s jobs by the app\'s own id, and each job carries it', async (context) => {
  const response = await fetch(`${context.world.proxy.url}/api/v1/jobs?documentId=D-2`, { headers: { authorization: `Bearer ${context.key}` } });
  assert.is(response.status, 200);
  const body = (await response.json()) as { Jobs: Array<{ id: string; documentId: string; status: string }> };
  assert.equal(body.Jobs.map((job) => [job.id, job.documentId, job.status]), [[context.jobs.get('D-2'), 'D-2', 'failed']]);
  const one = (await (await fetch(`${context.world.proxy.url}/api/v1/jobs/${context.jobs.get('D-3')}`, { headers: { authorization: `Bearer ${context.key}` } })).json()) as { documentId: string };
  assert.is(one.documentId, 'D-3');
  const empty = await fetch(`${context.world.proxy.url}/api/v1/jobs?documentId=`, { headers: { authorization: `Bearer ${context.key}` } });
  assert.is(empty.status, 400);
});

documents('the documents list shows newest first and narrows by status and kind, and finds by Reference, DocumentId, Xero\'s number and id', async (context) => {
  const { browser, world } = context;
  const ids = (html: string) => [...html.matchAll(/href="\/documents\/(job_[^"?]+)"/g)].map((m) => m[1]);
  const all = await browser.get('/documents');
  assert.is(all.status, 200);
  assert.equal(ids(all.text), [context.jobs.get('D-3'), context.jobs.get('D-2'), context.jobs.get('D-1')]);
  assert.match(textOf(all.text), '3 documents');

  assert.equal(ids((await browser.get('/documents?status=failed')).text), [context.jobs.get('D-2')]);
  assert.equal(ids((await browser.get('/documents?kind=payment')).text), []);
  assert.match(textOf((await browser.get('/documents?kind=payment')).text), 'No document matches.');
  assert.equal(ids((await browser.get('/documents?q=Table%20D-3')).text), [context.jobs.get('D-3')]);
  assert.equal(ids((await browser.get('/documents?q=D-1')).text), [context.jobs.get('D-1')]);
  const first = findJob(deps(world).db, context.jobs.get('D-1')!)!;
  assert.equal(ids((await browser.get(`/documents?q=${encodeURIComponent(first.xeroNumber!)}`)).text), [first.id]);
  assert.equal(ids((await browser.get(`/documents?q=${first.xeroId}`)).text), [first.id]);
  const today = world.clock.now().toISOString().slice(0, 10);
  assert.equal(ids((await browser.get(`/documents?from=${today}&to=${today}&status=delivered`)).text), [context.jobs.get('D-3'), context.jobs.get('D-1')]);
  assert.equal(ids((await browser.get('/documents?to=2020-01-01')).text), []);

  // Pages are cut by a cursor: the page after the two newest holds the oldest, and links back.
  const { next } = searchDocuments(deps(world), { limit: 2 });
  const older = await browser.get(`/documents?after=${encodeURIComponent(next!)}`);
  assert.equal(ids(older.text), [context.jobs.get('D-1')]);
  assert.match(older.text, '>Newest documents</a>');
  assert.is((await browser.get('/documents?after=nonsense')).status, 400);
  const wrong = await browser.get('/documents?status=lost');
  assert.is(wrong.status, 400);
  assert.match(textOf(wrong.text), 'status: must be one of queued, sending, delivered, failed, held, dead, cancelled.');
});

documents('a document\'s page shows what the app sent, what went to Xero, each attempt and Xero\'s words, with a link that opens it in Xero', async (context) => {
  const first = findJob(deps(context.world).db, context.jobs.get('D-1')!)!;
  const page = await context.browser.get(`/documents/${first.id}`);
  assert.is(page.status, 200);
  const text = textOf(page.text);
  for (const words of ['Invoice Table D-1', 'Delivered', 'TILL-7', 'What the app sent', '"DocumentId": "D-1"', 'What goes to Xero', `[${first.documentKey}]`, first.xeroNumber!]) assert.match(text, words);
  assert.match(page.text, `href="https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=${first.xeroId}"`);
  assert.not.match(page.text, 'Retry now', 'a delivered document offers no retry');

  const refused = await context.browser.get(`/documents/${context.jobs.get('D-2')}`);
  assert.match(textOf(refused.text), 'Refused by Xero');
  for (const message of findJob(deps(context.world).db, context.jobs.get('D-2')!)!.errors!) assert.match(textOf(refused.text), message);
  assert.match(refused.text, '>Retry now<');
  assert.is((await context.browser.get('/documents/job_nothere')).status, 404);
});

documents('Retry now on the page queues a refused document again and says so; Cancel needs a reason, which is kept in its history', async (context) => {
  const { browser, world } = context;
  const id = context.jobs.get('D-2')!;
  const detail = await browser.get(`/documents/${id}`);
  const csrf = field(detail.text, 'csrf');
  const retried = await browser.post(`/documents/${id}/retry`, { csrf });
  assert.is(retried.status, 303);
  assert.is(retried.location, `/documents/${id}?done=retried`);
  assert.match(textOf((await browser.get(retried.location!)).text), 'The document is queued again');
  assert.is(findJob(deps(world).db, id)!.status, 'queued');
  assert.equal(attemptsOf(deps(world).db, id).at(-1)!.outcome, 'retried');
  const twice = await browser.post(`/documents/${id}/retry`, { csrf });
  assert.is(twice.status, 409);
  assert.match(textOf(twice.text), `Job ${id} is queued; only dead, failed or held jobs can be retried.`);

  const noReason = await browser.post(`/documents/${id}/cancel`, { csrf, reason: '  ' });
  assert.is(noReason.status, 400);
  assert.match(textOf(noReason.text), 'Reason: say why the document is cancelled');
  assert.is(findJob(deps(world).db, id)!.status, 'queued');
  const cancelled = await browser.post(`/documents/${id}/cancel`, { csrf, reason: 'Sold by mistake; refunded at the till.' });
  assert.is(cancelled.status, 303);
  assert.is(cancelled.location, `/documents/${id}?done=cancelled`);
  const job = findJob(deps(world).db, id)!;
  assert.equal([job.status, job.cancelReason], ['cancelled', 'Sold by mistake; refunded at the till.']);
  assert.equal(attemptsOf(deps(world).db, id).at(-1)!.note, 'Sold by mistake; refunded at the till.');
  assert.match(textOf((await browser.get(cancelled.location!)).text), 'Sold by mistake; refunded at the till.');
  const forged = await browser.post(`/documents/${context.jobs.get('D-3')}/cancel`, { csrf: 'wrong', reason: 'x' });
  assert.is(forged.status, 403);
});

documents('jobs show names the device by its own id and lists the history; jobs cancel keeps its reason; jobs list searches', async (context) => {
  const { world } = context;
  const held = await send(context, { Invoices: [invoice('D-4')] });
  const id = held.json.jobs[0].id as string;
  const cancelled = await cli(world, ['jobs', 'cancel', id, '--reason', 'Duplicate of D-3.', '--json']);
  assert.is(cancelled.code, 0, cancelled.stderr);
  assert.equal(JSON.parse(cancelled.stdout), { id, status: 'cancelled', reason: 'Duplicate of D-3.' });
  const shown = await cli(world, ['jobs', 'show', id, '--json']);
  const row = JSON.parse(shown.stdout) as { device: string; deviceId: string; documentId: string; attemptHistory: Array<{ outcome: string; note: string }> };
  assert.equal([row.device, row.deviceId, row.documentId], ['TILL-7', 'TILL-7', 'D-4']);
  assert.equal(row.attemptHistory.map((a) => [a.outcome, a.note]), [['cancelled', 'Duplicate of D-3.']]);
  const listed = await cli(world, ['jobs', 'list', '--search', 'D-4', '--json']);
  assert.equal((JSON.parse(listed.stdout) as { jobs: Array<{ id: string; device: string }> }).jobs.map((j) => [j.id, j.device]), [[id, 'TILL-7']]);
  const bad = await cli(world, ['jobs', 'list', '--kind', 'receipt']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, 'kind: must be one of invoice, payment, timesheet, credit_note, allocation, attachment.');
});

documents('a document Xero refused, sent again under its DocumentId with corrected content, is corrected in place and reaches Xero once', async (context) => {
  const { world } = context;
  const first = await send(context, { Invoices: [invoice('D-7', { account: '999' })] });
  assert.is(first.status, 202);
  const id = first.json.jobs[0].id as string;
  await runUntilSettled(loop(world));
  assert.is(findJob(deps(world).db, id)!.status, 'failed');

  const corrected = await send(context, { Invoices: [invoice('D-7')] });
  assert.is(corrected.status, 202, JSON.stringify(corrected.json));
  assert.equal(corrected.json.jobs.map((job: { id: string; status: string; duplicateOf?: string }) => [job.id, job.status, job.duplicateOf]), [[id, 'queued', undefined]]);
  await runUntilSettled(loop(world));
  const job = findJob(deps(world).db, id)!;
  assert.is(job.status, 'delivered');
  assert.is((job.payload['LineItems'] as Array<{ AccountCode: string }>)[0]!.AccountCode, '200');
  assert.equal(attemptsOf(deps(world).db, id).map((a) => a.outcome), ['refused', 'retried', 'delivered']);
  const inXero = (await ledger(world, 'Invoice')).filter((entry) => entry.reference?.startsWith('Table D-7'));
  assert.is(inXero.length, 1);

  // Delivered, it may no longer change: other content is refused as before.
  const late = await send(context, { Invoices: [invoice('D-7', { amount: 9 })] });
  assert.is(late.status, 409);
  assert.is(late.json.error.code, 'document_changed');
});

documents('a refused document that Xero nonetheless holds part of (a Payroll 2.0 timesheet created, its approval refused) is not corrected in place: 409, and what Xero holds stands', async (context) => {
  const { world } = context;
  const first = await send(context, { Invoices: [invoice('D-8', { account: '999' })] });
  const id = first.json.jobs[0].id as string;
  await runUntilSettled(loop(world));
  assert.is(findJob(deps(world).db, id)!.status, 'failed');
  // What a two-step Payroll 2.0 timesheet leaves when its second step is refused: Xero's id of the draft it created.
  deps(world).db.prepare('UPDATE jobs SET xero_id = ? WHERE id = ?').run('8f1d2a9c-3b4e-4c5d-9e6f-7a8b9c0d1e2f', id);

  const corrected = await send(context, { Invoices: [invoice('D-8')] });
  assert.is(corrected.status, 409, JSON.stringify(corrected.json));
  assert.is(corrected.json.error.code, 'document_changed');
  const job = findJob(deps(world).db, id)!;
  assert.equal([job.status, (job.payload['LineItems'] as Array<{ AccountCode: string }>)[0]!.AccountCode], ['failed', '999']);
});

documents.run();
