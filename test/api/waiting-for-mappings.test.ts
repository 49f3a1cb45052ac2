import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { releaseRelinked } from '../../src/queue/housekeeping';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { holdJobs } from '../../src/store/jobs';
import { runCli } from '../helpers/cli';
import { enqueue, insertDevice, invoicePayload, ledger, runUntilSettled, type DeliveryWorld } from '../helpers/delivery';
import { collectKey, pairAndLink, startWorld } from '../helpers/linked';

interface Context {
  world: DeliveryWorld;
  key: string;
  cwd: string;
  cli: (args: string[]) => ReturnType<typeof runCli>;
}

const waiting = suite<Context>('api.waiting-for-mappings');

waiting.before.each(async (context) => {
  const linked = await startWorld('private', { organisationId: DEMO_ORGANISATIONS[0]!.id, proxy: { delivery: { manual: true } } });
  const { outcome, pairingId } = await pairAndLink(linked, 'ROSTER-PC');
  if (outcome.kind !== 'linked') throw new Error(JSON.stringify(outcome));
  context.world = { ...linked, loop: linked.proxy.running.delivery!, deps: linked.proxy.running.proxy.deps, organisationId: outcome.organisation.id };
  context.key = await collectKey(linked, pairingId);
  context.cwd = mkdtempSync(join(tmpdir(), 'xp-map-'));
  const env = {
    XERO_PROXY_STORAGE_DATA_DIR: linked.proxy.dataDir,
    XERO_PROXY_XERO_APP_TYPE: 'private',
    XERO_PROXY_XERO_API_URL: linked.sandbox.url,
    XERO_PROXY_XERO_CONSUMER_KEY: linked.app.consumerKey,
  };
  context.cli = (args) => runCli(args, { cwd: context.cwd, env });
});
waiting.after.each(async ({ world }) => world.stop());

const bill = { documentId: 'WB-2026-47', periodStart: '2026-11-16', periodEnd: '2026-11-22', reference: 'Wages week 47', lines: [{ description: 'Ordinary hours', amount: 1840.5 }] };

const postBill = (context: Context, query = '') =>
  fetch(`${context.world.proxy.url}/api/v1/payroll/wage-bills${query}`, { method: 'POST', headers: { authorization: `Bearer ${context.key}`, 'content-type': 'application/json' }, body: JSON.stringify(bill) });

waiting('a wage bill with no wages account waits (even under ?wait=), and `map import` sends it on; it reaches Xero once', async (context) => {
  const answer = await postBill(context, '?wait=30');
  assert.is(answer.status, 202, 'a document that waits for a person is answered at once, not after the wait');
  const [job] = ((await answer.json()) as { jobs: Array<{ id: string; status: string; cause: string; missing: Array<{ kind: string; field: string }> }> }).jobs;
  assert.equal([job!.status, job!.cause, job!.missing.map((m) => [m.kind, m.field])], ['held', 'mapping_missing', [['wages', 'lines[0].accountCode']]]);
  const listed = await context.cli(['jobs', 'retry', job!.id]);
  assert.is(listed.code, 1);
  assert.match(listed.stderr, `Job ${job!.id} waits for a mapping, so there is nothing to send yet. Waiting for a mapping: the wages account is not mapped yet.`);

  const file = join(context.cwd, 'mappings.json');
  writeFileSync(file, JSON.stringify({ mappings: [{ kind: 'wages', account: '999' }] }));
  const refused = await context.cli(['map', 'import', file]);
  assert.match(refused.stderr, `${file}, mapping 1 (wages): --account: 999 is not an account code`);
  assert.is(context.world.deps.db.prepare("SELECT status FROM jobs").pluck().get(), 'held');
  writeFileSync(file, JSON.stringify({ mappings: [{ kind: 'wages', account: '477' }] }));
  const imported = await context.cli(['map', 'import', file]);
  assert.match(imported.stdout, 'Imported 1 mappings into Harbourside Café. 1 waiting job was built and queued for Xero.');

  await runUntilSettled(context.world);
  const bills = await ledger(context.world, 'Invoice');
  assert.is(bills.length, 1);
  assert.equal((bills[0]!.body as { LineItems: Array<{ AccountCode: string }> }).LineItems.map((line) => line.AccountCode), ['477']);
  const again = ((await (await postBill(context)).json()) as { jobs: Array<{ duplicateOf?: string }> }).jobs;
  assert.is(again[0]!.duplicateOf, job!.id, 'the same DocumentId sent again is the same bill');
});

waiting('linking an organisation again releases the jobs held for it, never those waiting for a mapping', async (context) => {
  await postBill(context);
  const device = insertDevice(context.world.deps, context.world.organisationId, 'OTHER-TILL');
  enqueue(context.world.deps, device, context.world.organisationId, 'invoice', [{ payload: invoicePayload(1) }]);
  holdJobs(context.world.deps.db, context.world.deps.clock, context.world.organisationId, 'The organisation must be linked again.');
  assert.is(releaseRelinked(context.world.deps), 1);
  const rows = context.world.deps.db.prepare('SELECT status, cause FROM jobs ORDER BY rowid').all();
  assert.equal(rows, [{ status: 'held', cause: 'mapping_missing' }, { status: 'queued', cause: null }]);
});

waiting.run();
