import Database from 'better-sqlite3';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DATABASE_FILE } from '../../src/app';
import type { AppError } from '../../src/lib/errors';
import { submit, type SubmitAnswer, type SubmitInput } from '../../src/services/submit';
import { getDeviceByDeviceId } from '../../src/store/devices';
import { groupCommitOf } from '../../src/store/group-commit';
import { collectKey, pairAndLink, startWorld, type LinkedWorld } from '../helpers/linked';
import { saleInvoice } from '../helpers/sale';

const group = suite<{ world: LinkedWorld; key: string }>('api.group-commit');

group.before.each(async (context) => {
  context.world = await startWorld('private');
  const { pairingId } = await pairAndLink(context.world, 'TILL-1');
  context.key = await collectKey(context.world, pairingId);
});
group.after.each(async ({ world }) => world.stop());

const invoice = saleInvoice;

type Answer = { status: number; body: { jobs?: Array<{ id: string; documentKey: string }>; error?: { code: string; field?: string } } };

async function post(world: LinkedWorld, key: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${world.proxy.url}/api/v1/invoices`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

/** A second connection to the file: it sees only what was committed. */
const otherConnection = (world: LinkedWorld, readonly = true) => new Database(join(world.proxy.dataDir, DATABASE_FILE), { readonly, fileMustExist: true });

/** Posts `count` invoices over `connections` at once (each connection one request after another, as autocannon does). */
async function burst(world: LinkedWorld, key: string, count: number, connections: number, onAnswer: (answer: Answer) => void): Promise<Answer[]> {
  const answers: Answer[] = [];
  let next = 0;
  const worker = async () => {
    for (let n = next++; n < count; n = next++) {
      const answer = await post(world, key, { Invoices: [invoice(`G-${n}`, n + 1)] });
      onAnswer(answer);
      answers.push(answer);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return answers;
}

group('400 posts over 50 connections share commits, and every 202 is committed before it is sent, its document stored exactly once', async ({ world, key }) => {
  const stats = groupCommitOf(world.proxy.running.proxy.db).stats;
  const before = { ...stats };
  const reader = otherConnection(world);
  const seen = reader.prepare('SELECT count(*) FROM jobs WHERE id = ?').pluck();
  const committedWhenAnswered: boolean[] = [];
  // Read the moment each answer arrives, from another connection: only a commit shows there.
  const answers = await burst(world, key, 400, 50, (answer) => committedWhenAnswered.push(answer.status === 202 && seen.get(answer.body.jobs![0]!.id) === 1));
  assert.equal([...new Set(answers.map((a) => a.status))], [202]);
  assert.ok(committedWhenAnswered.every(Boolean), 'each 202 was visible to another connection when it arrived');
  const keys = answers.map((a) => a.body.jobs![0]!.documentKey);
  assert.is(new Set(keys).size, 400);
  const rows = reader.prepare("SELECT document_id, count(*) AS n FROM jobs WHERE document_id LIKE 'G-%' GROUP BY document_id").all() as Array<{ document_id: string; n: number }>;
  reader.close();
  assert.is(rows.length, 400);
  assert.ok(rows.every((row) => row.n === 1), 'no document stored twice');
  assert.is(stats.writes - before.writes, 400);
  assert.ok(stats.commits - before.commits < 400, `fewer commits (${stats.commits - before.commits}) than submissions`);
  assert.ok(stats.shared > before.shared && stats.largest > 1, `some commit held more than one submission (largest ${stats.largest})`);
});

group('refused submissions in the middle of a group get their own 4xx and the rest of the group is stored', async ({ world, key }) => {
  assert.is((await post(world, key, { Invoices: [invoice('C-1', 10)] })).status, 202);
  const stats = groupCommitOf(world.proxy.running.proxy.db).stats;
  const before = { ...stats };
  const good = (n: number) => post(world, key, { Invoices: [invoice(`M-${n}`)] });
  const answers = await Promise.all([
    ...Array.from({ length: 10 }, (_, n) => good(n)),
    post(world, key, { Invoices: [invoice('C-1', 99)] }), // the same DocumentId with other content
    ...Array.from({ length: 10 }, (_, n) => good(10 + n)),
    // One key for two requests: whichever the group takes first is stored, the other is refused.
    post(world, key, { Invoices: [invoice('K-1')] }, { 'idempotency-key': 'one-key' }),
    post(world, key, { Invoices: [invoice('K-2')] }, { 'idempotency-key': 'one-key' }),
    post(world, key, { Invoices: [{ ...invoice('B-1'), Date: '2026-02-30' }] }), // not a date
    ...Array.from({ length: 10 }, (_, n) => good(20 + n)),
  ]);
  assert.equal(answers[10]!.status, 409);
  assert.is(answers[10]!.body.error?.code, 'document_changed');
  assert.equal([answers[21]!.status, answers[22]!.status].sort(), [202, 422], 'one key: one stored, the other refused');
  assert.equal([answers[23]!.status, answers[23]!.body.error?.field], [400, 'Invoices[0].Date']);
  assert.is(answers.filter((a) => a.status === 202).length, 31);
  // The changed document is found under the write lock, so it is refused inside a group (the
  // reused key too, when both requests reach the same group); a body that does not parse is
  // refused before any group.
  assert.ok(stats.refused - before.refused >= 1, 'refused inside group commits, which went ahead with the others');
  const reader = otherConnection(world);
  const stored = reader.prepare("SELECT count(*) FROM jobs WHERE document_id LIKE 'M-%'").pluck().get();
  const refusedStored = reader.prepare("SELECT count(*) FROM jobs WHERE document_id IN ('K-1', 'K-2', 'B-1')").pluck().get();
  const submissions = reader.prepare('SELECT count(*) FROM submissions').pluck().get();
  const payload = JSON.parse(reader.prepare("SELECT payload FROM jobs WHERE document_id = 'C-1'").pluck().get() as string) as { LineItems: Array<{ UnitAmount: number }> };
  reader.close();
  assert.equal([stored, refusedStored, submissions], [30, 1, 32], 'nothing of a refused submission is stored, everything of the others is');
  assert.is(payload.LineItems[0]!.UnitAmount, 10, 'the earlier document stands');
});

group('two identical requests with one Idempotency-Key, over the network at once, get one answer and one job', async ({ world, key }) => {
  for (let round = 0; round < 5; round++) {
    const [a, b] = await Promise.all([0, 1].map(() => post(world, key, { Invoices: [invoice(`I-${round}`)] }, { 'idempotency-key': `twice-${round}` })));
    assert.equal([a!.status, b!.status], [202, 202]);
    assert.equal(a!.body, b!.body);
    assert.is(world.proxy.running.proxy.db.prepare('SELECT count(*) FROM jobs WHERE document_id = ?').pluck().get(`I-${round}`), 1);
  }
});

group('submissions made in one turn of the event loop share one commit; a replay within it gets the first answer', async ({ world }) => {
  const { deps } = world.proxy.running.proxy;
  const device = getDeviceByDeviceId(deps.db, 'TILL-1');
  const stats = groupCommitOf(deps.db).stats;
  const before = { ...stats };
  const input = (documentId: string, idempotencyKey?: string): SubmitInput => ({
    body: { contentType: 'application/json', bytes: new TextEncoder().encode(JSON.stringify({ Invoices: [invoice(documentId)] })) },
    idempotencyKey,
    route: 'POST /invoices',
  });
  const settled = await Promise.allSettled([
    submit(deps, device, 'invoices', input('T-1', 'same')),
    submit(deps, device, 'invoices', input('T-2')),
    submit(deps, device, 'invoices', input('T-1', 'same')),
    submit(deps, device, 'invoices', input('T-3', 'same')),
    submit(deps, device, 'invoices', input('T-2')),
  ]);
  assert.equal([stats.commits - before.commits, stats.writes - before.writes, stats.refused - before.refused], [1, 5, 1], 'one commit held all five, one refused in it');
  const [first, second, replay, otherBody, duplicate] = settled;
  assert.equal(replay, first, 'the same key and body: the first answer');
  assert.is(otherBody!.status, 'rejected');
  assert.is(((otherBody as PromiseRejectedResult).reason as AppError).code, 'unprocessable');
  const secondJob = (second as PromiseFulfilledResult<SubmitAnswer>).value.body.jobs[0]!;
  assert.is((duplicate as PromiseFulfilledResult<SubmitAnswer>).value.body.jobs[0]!.duplicateOf, secondJob.id, 'the same DocumentId twice in one group: queued once');
  assert.is(deps.db.prepare("SELECT count(*) FROM jobs WHERE document_id LIKE 'T-%'").pluck().get(), 2);
});

group('a commit the database does not take (its write lock held elsewhere) refuses its requests with 503 and stores none of them', async ({ world, key }) => {
  const other = otherConnection(world, false);
  other.pragma('busy_timeout = 0');
  other.prepare('BEGIN IMMEDIATE').run();
  // The proxy waits out its busy timeout for the lock, then gives up on the whole group.
  const refused = await Promise.all([post(world, key, { Invoices: [invoice('L-1')] }), post(world, key, { Invoices: [invoice('L-2')] })]);
  other.prepare('ROLLBACK').run();
  assert.equal(refused.map((a) => [a.status, a.body.error?.code]), [[503, 'unavailable'], [503, 'unavailable']]);
  const again = await post(world, key, { Invoices: [invoice('L-1')] });
  assert.is(again.status, 202);
  assert.equal(other.prepare("SELECT document_id FROM jobs WHERE document_id LIKE 'L-%'").pluck().all(), ['L-1']);
  other.close();
});

group.run();
