import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseConfigText } from '../../src/config/load';
import { isAppError } from '../../src/lib/errors';
import { forgetOldIdempotencyKeys } from '../../src/queue/housekeeping';
import { addDevice } from '../../src/services/devices';
import { findJob } from '../../src/store/jobs';
import { startDeliveryWorld, type DeliveryWorld } from '../helpers/delivery';
import { asCli } from '../helpers/actor';

const housekeeping = suite('queue.forgetOldIdempotencyKeys');

const DAY = 24 * 60 * 60;

const invoice = (documentId: string) => ({
  Invoices: [
    {
      DocumentId: documentId,
      Type: 'ACCREC',
      Contact: { Name: 'Walk-in customer' },
      Date: '2026-11-28',
      LineAmountTypes: 'Inclusive',
      Status: 'AUTHORISED',
      LineItems: [{ Description: 'Flat white', Quantity: 1, UnitAmount: 5.5, AccountCode: '200', TaxType: 'OUTPUT' }],
    },
  ],
});

interface Answer {
  status: number;
  body: { submissionId: string; jobs: Array<{ id: string; status: string; duplicateOf?: string }>; error?: { code: string } };
}

function poster(world: DeliveryWorld): (key: string, body: unknown) => Promise<Answer> {
  const { apiKey } = addDevice(asCli(world.deps), { deviceId: 'TILL-1', organisation: world.organisationId });
  return async (idempotencyKey, body) => {
    const response = await fetch(`${world.proxy.url}/api/v1/invoices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  };
}

const count = (world: DeliveryWorld, table: 'jobs' | 'submissions') => world.deps.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;

housekeeping('keys are kept for the configured days, then forgotten once their documents are settled; a pending one is kept; nothing is ever doubled', async () => {
  const world = await startDeliveryWorld();
  try {
    const post = poster(world);
    const delivered = await post('sale-1', invoice('S-1'));
    await world.loop.drain();
    assert.is(findJob(world.deps.db, delivered.body.jobs[0]!.id)!.status, 'delivered');
    // The app sends the same document again under another key: no job of its own.
    const duplicate = await post('sale-1-again', invoice('S-1'));
    assert.is(duplicate.body.jobs[0]!.duplicateOf, delivered.body.jobs[0]!.id);
    const pending = await post('sale-2', invoice('S-2'));
    await world.advance(60);
    assert.equal([count(world, 'submissions'), count(world, 'jobs')], [3, 2]);

    await world.advance(7 * DAY - 120);
    assert.equal(forgetOldIdempotencyKeys(world.deps), { forgotten: 0, deleted: 0 }, 'not yet seven days');
    const replay = await post('sale-1', invoice('S-1'));
    assert.equal(replay, delivered, 'the first answer, word for word');
    assert.equal((await post('sale-1', invoice('S-9'))).body.error?.code, 'unprocessable', 'and a reused key is still refused');

    await world.advance(120);
    assert.equal(forgetOldIdempotencyKeys(world.deps), { forgotten: 1, deleted: 1 });
    assert.equal([count(world, 'submissions'), count(world, 'jobs')], [2, 2], 'the submission that created nothing is gone; every job is kept');
    assert.equal(await post('sale-2', invoice('S-2')), pending, 'a key whose document is still queued is kept');

    const afterForgetting = await post('sale-1', invoice('S-1'));
    assert.is(afterForgetting.status, 202);
    assert.is.not(afterForgetting.body.submissionId, delivered.body.submissionId, 'the key was forgotten…');
    assert.equal(afterForgetting.body.jobs.map((job) => [job.duplicateOf, job.status]), [[delivered.body.jobs[0]!.id, 'delivered']], '…but the document is recognised: nothing is queued twice');
    assert.is(count(world, 'jobs'), 2);

    await world.loop.drain();
    await world.advance(7 * DAY + 60);
    assert.equal(forgetOldIdempotencyKeys(world.deps), { forgotten: 1, deleted: 1 }, 'the pending one goes once it is delivered');
  } finally {
    await world.stop();
  }
});

housekeeping('the retention is at least seven days', () => {
  assert.is(parseConfigText('').api.idempotencyKeyDays, 7);
  assert.is(parseConfigText('[api]\nidempotency_key_days = 30').api.idempotencyKeyDays, 30);
  try {
    parseConfigText('[api]\nidempotency_key_days = 6');
    assert.unreachable('six days was accepted');
  } catch (error) {
    assert.ok(isAppError(error, 'invalid'));
    assert.is((error as Error).message, 'api.idempotency_key_days: must be between 7 and 3650.');
  }
});

housekeeping.run();
