import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { addDevice } from '../../src/services/devices';
import { collectKey, pairAndLink, startWorld, type LinkedWorld } from '../helpers/linked';
import { asCli } from '../helpers/actor';
import { saleInvoice } from '../helpers/sale';

const documents = suite<{ world: LinkedWorld; key: string }>('api.documents');

documents.before.each(async (context) => {
  context.world = await startWorld('private');
  const { pairingId } = await pairAndLink(context.world, 'TILL-1');
  context.key = await collectKey(context.world, pairingId);
});
documents.after.each(async ({ world }) => world.stop());

const invoice = saleInvoice;

function post(world: LinkedWorld, key: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${world.proxy.url}/api/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const jobCount = (world: LinkedWorld) => world.proxy.running.proxy.db.prepare('SELECT count(*) FROM jobs').pluck().get() as number;

documents('accepted invoices are durable jobs before the 202, each with a stable key in its Reference', async ({ world, key }) => {
  const response = await post(world, key, '/invoices', { Invoices: [invoice('S-1'), invoice('S-2', 7)] });
  assert.is(response.status, 202);
  const body = (await response.json()) as { submissionId: string; jobs: Array<{ id: string; documentKey: string; status: string }> };
  assert.is(body.jobs.length, 2);
  assert.is(response.headers.get('location'), `/api/v1/jobs/${body.jobs[0]!.id}`);
  const row = world.proxy.running.proxy.db.prepare('SELECT status, payload FROM jobs WHERE id = ?').get(body.jobs[0]!.id) as { status: string; payload: string };
  assert.is(row.status, 'queued');
  const payload = JSON.parse(row.payload) as { Reference: string; Date: string; DocumentId?: string };
  assert.is(payload.Reference, `Sale S-1 [${body.jobs[0]!.documentKey}]`);
  assert.match(body.jobs[0]!.documentKey, /^XP-[0-9A-HJKMNP-TV-Z]{12}$/);
  assert.is(payload.Date, '2026-11-28T00:00:00');
  assert.is(payload.DocumentId, undefined, 'the app\'s DocumentId is not sent to Xero');
  const job = (await (await fetch(`${world.proxy.url}/api/v1/jobs/${body.jobs[0]!.id}`, { headers: { authorization: `Bearer ${key}` } })).json()) as { status: string; kind: string };
  assert.equal([job.status, job.kind], ['queued', 'invoice']);
});

documents('the same Idempotency-Key and body answer the same and create nothing; another body is refused with 422', async ({ world, key }) => {
  const first = await post(world, key, '/invoices', { Invoices: [invoice('K-1')] }, { 'idempotency-key': 'till-1-shift-88' });
  const again = await post(world, key, '/invoices', { Invoices: [invoice('K-1')] }, { 'idempotency-key': 'till-1-shift-88' });
  assert.equal([first.status, again.status], [202, 202]);
  assert.equal(await again.json(), await first.json());
  assert.is(jobCount(world), 1);
  const other = await post(world, key, '/invoices', { Invoices: [invoice('K-2')] }, { 'idempotency-key': 'till-1-shift-88' });
  assert.is(other.status, 422);
  assert.equal(((await other.json()) as { error: { code: string; message: string } }).error, {
    code: 'unprocessable',
    message: 'Idempotency-Key: this key was already used with a different request; use a new key for a new request.',
    field: 'Idempotency-Key',
  } as never);
  assert.is(jobCount(world), 1);
});

documents('ten identical requests racing with one key create the jobs once', async ({ world, key }) => {
  const answers = await Promise.all(Array.from({ length: 10 }, () => post(world, key, '/invoices', { Invoices: [invoice('R-1')] }, { 'idempotency-key': 'race-1' }).then((r) => r.json())));
  assert.is(new Set(answers.map((a) => JSON.stringify(a))).size, 1);
  assert.is(jobCount(world), 1);
});

documents('a document the device already sent (same DocumentId) is recognised, not queued twice', async ({ world, key }) => {
  const first = (await (await post(world, key, '/invoices', { Invoices: [invoice('D-1')] })).json()) as { jobs: Array<{ id: string }> };
  const second = (await (await post(world, key, '/invoices', { Invoices: [invoice('D-1')] })).json()) as { jobs: Array<{ id: string; duplicateOf?: string }> };
  assert.is(second.jobs[0]!.duplicateOf, first.jobs[0]!.id);
  assert.is(jobCount(world), 1);
});

documents('a payment for an invoice sent earlier waits for it; an unknown DocumentId is refused', async ({ world, key }) => {
  const sent = (await (await post(world, key, '/invoices', { Invoices: [invoice('P-1')] })).json()) as { jobs: Array<{ id: string }> };
  const payment = { Payments: [{ Invoice: { DocumentId: 'P-1' }, Account: { Code: '090' }, Date: '2026-11-28', Amount: 12.5, Reference: 'EFTPOS' }] };
  const paid = await post(world, key, '/payments', payment);
  assert.is(paid.status, 202);
  const job = (await paid.json()) as { jobs: Array<{ id: string }> };
  const row = world.proxy.running.proxy.db.prepare('SELECT depends_on FROM jobs WHERE id = ?').get(job.jobs[0]!.id) as { depends_on: string };
  assert.is(row.depends_on, sent.jobs[0]!.id);
  const unknown = await post(world, key, '/payments', { Payments: [{ ...payment.Payments[0], Invoice: { DocumentId: 'NOPE' } }] });
  assert.is(unknown.status, 400);
  assert.is(((await unknown.json()) as { error: { message: string } }).error.message, 'Payments[0].Invoice.DocumentId: this device sent no invoice with DocumentId "NOPE".');
});

documents('bad and hostile bodies get a 400 (413 when too large) naming the problem and store nothing', async ({ world, key }) => {
  const cases: Array<[string, string, number, RegExp]> = [
    ['application/json', JSON.stringify({ Invoices: [{ ...invoice('B-1'), Type: 'SALE' }] }), 400, /Type/],
    ['application/json', '{"Invoices": [', 400, /JSON/],
    ['application/xml', '<!DOCTYPE x [<!ENTITY a "b">]><Invoices/>', 400, /DOCTYPE/],
    ['text/plain', 'hello', 400, /application\/json|content type|Content-Type/i],
    ['application/json', JSON.stringify({ Invoices: [invoice('B-2')] }).replace('"Flat white"', '"' + 'x'.repeat(1_100_000) + '"'), 413, /larger than 1,000,000 bytes, the most this endpoint takes; send fewer documents per request/],
  ];
  for (const [type, body, status, message] of cases) {
    const response = await post(world, key, '/invoices', body, { 'content-type': type });
    assert.is(response.status, status, `${type} ${body.slice(0, 40)}`);
    // The answer comes in the format the app sent: JSON, or XML for an XML body.
    assert.match(await response.text(), message);
  }
  assert.is(jobCount(world), 0);
});

documents('?wait= takes whole decimal seconds from 0 to 60 only, and a refused wait stores nothing', async ({ world, key }) => {
  const withWait = (wait: string, body: unknown) => post(world, key, `/invoices?wait=${encodeURIComponent(wait)}`, body);
  for (const wait of ['0x10', '1e1', ' 5', '5 ', '5.0', '-1', '+5', '', '61']) {
    const response = await withWait(wait, { Invoices: [invoice('W-1')] });
    assert.is(response.status, 400, JSON.stringify(wait));
    const { error } = (await response.json()) as { error: { code: string; message: string; field: string } };
    assert.equal([error.code, error.message, error.field], ['invalid', 'wait: must be whole seconds from 0 to 60.', 'wait'], JSON.stringify(wait));
  }
  assert.is(jobCount(world), 0);
  // 60 passes parsing: an invalid body is then what the answer is about (and nothing waits).
  const sixty = await withWait('60', { Invoices: [{ ...invoice('W-2'), Type: 'SALE' }] });
  assert.is(sixty.status, 400);
  assert.not.match(await sixty.text(), 'wait:');
  const zero = await withWait('0', { Invoices: [invoice('W-3')] });
  assert.is(zero.status, 202);
  assert.is(jobCount(world), 1);
});

documents('a job belongs to its device: another device cannot see it', async ({ world, key }) => {
  const sent = (await (await post(world, key, '/invoices', { Invoices: [invoice('O-1')] })).json()) as { jobs: Array<{ id: string }> };
  const deps = world.proxy.running.proxy.deps;
  const other = addDevice(asCli(deps), { deviceId: 'TILL-2', organisation: deps.db.prepare('SELECT id FROM organisations').pluck().get() as string });
  const response = await fetch(`${world.proxy.url}/api/v1/jobs/${sent.jobs[0]!.id}`, { headers: { authorization: `Bearer ${other.apiKey}` } });
  assert.is(response.status, 404);
  const list = (await (await fetch(`${world.proxy.url}/api/v1/jobs?status=queued`, { headers: { authorization: `Bearer ${other.apiKey}` } })).json()) as { Jobs: unknown[] };
  assert.equal(list.Jobs, []);
});

documents.run();

const description = suite('api.openapi');

description('GET /api/v1/openapi.json describes the API with the schemas that validate requests', async () => {
  const world = await startWorld('private');
  try {
    const response = await fetch(`${world.proxy.url}/api/v1/openapi.json`);
    assert.is(response.status, 200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown>; servers: Array<{ url: string }> };
    assert.match(document.openapi, /^3\.1\./);
    for (const path of ['/invoices', '/payments', '/jobs/{id}', '/pair', '/pair/token', '/status']) assert.ok(document.paths[path], `${path} is described`);
    assert.is(document.servers[0]!.url, 'http://proxy.test/api/v1');
  } finally {
    await world.stop();
  }
});

description.run();
