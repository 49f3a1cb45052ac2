import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli';
import { collectKey, pairAndLink, startWorld, type LinkedWorld } from '../helpers/linked';
import { eveningShift } from '../helpers/sale';

const shifts = suite<{ world: LinkedWorld; key: string; cli: (args: string[]) => ReturnType<typeof runCli> }>('api.pos-shifts');

shifts.before.each(async (context) => {
  context.world = await startWorld('private');
  const { pairingId } = await pairAndLink(context.world, 'TILL-0042');
  context.key = await collectKey(context.world, pairingId);
  const cwd = mkdtempSync(join(tmpdir(), 'xp-map-'));
  const env = {
    XERO_PROXY_STORAGE_DATA_DIR: context.world.proxy.dataDir,
    XERO_PROXY_XERO_APP_TYPE: 'private',
    XERO_PROXY_XERO_API_URL: context.world.sandbox.url,
    XERO_PROXY_XERO_CONSUMER_KEY: context.world.app.consumerKey,
  };
  context.cli = (args) => runCli(args, { cwd, env });
});
shifts.after.each(async ({ world }) => world.stop());

const shift = eveningShift;

const post = (world: LinkedWorld, key: string, body: unknown) =>
  fetch(`${world.proxy.url}/api/v1/pos/shifts`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

shifts('a shift without mappings is accepted and held with every missing name and its field; once they are mapped it is queued', async ({ world, key, cli }) => {
  const response = await post(world, key, shift);
  assert.is(response.status, 202, await response.clone().text());
  const { jobs } = (await response.json()) as { jobs: Array<{ kind: string; status: string; cause: string; heldReason: string; missing: Array<{ kind: string; name: string; field: string }> }> };
  assert.equal(jobs.map((j) => [j.kind, j.status, j.cause]), [['invoice', 'held', 'mapping_missing'], ['payment', 'held', 'mapping_missing'], ['payment', 'held', 'mapping_missing']]);
  assert.equal(jobs[0]!.missing.map((m) => [m.kind, m.name, m.field]), [['category', 'Coffee', 'sales[0].category'], ['category', 'Food', 'sales[1].category'], ['tender', 'cash', 'tenders[0].type'], ['tender', 'eftpos', 'tenders[1].type']]);
  assert.is(jobs[0]!.heldReason, 'Waiting for 4 mappings: sales category "Coffee", sales category "Food", tender "cash", tender "eftpos". Add them on the console\'s Mappings page (or with xero-proxy map set); the document is then sent by itself.');
  const db = world.proxy.running.proxy.db;
  assert.equal(db.prepare("SELECT DISTINCT payload FROM jobs").pluck().all(), ['{}'], 'nothing is built while a mapping is missing');
  const listed = await cli(['map', 'list']);
  assert.match(listed.stdout, 'sales category "Coffee": no mapping yet; 1 document waits for it');
  assert.match(listed.stdout, 'tender "eftpos": no mapping yet; 1 document waits for it');

  for (const args of [['category', 'Coffee', '--account', '200', '--tax', 'OUTPUT'], ['category', 'Food', '--account', '200', '--tax', 'OUTPUT'], ['tender', 'cash', '--account', '090']]) {
    assert.is((await cli(['map', 'set', ...args])).code, 0);
  }
  assert.equal(db.prepare("SELECT DISTINCT status FROM jobs").pluck().all(), ['held'], 'three of four names mapped: the shift still waits');
  assert.match(String(db.prepare('SELECT held_reason FROM jobs LIMIT 1').pluck().get()), 'Waiting for a mapping: tender "eftpos" is not mapped yet.');
  const last = await cli(['map', 'set', 'tender', 'eftpos', '--account', '615']);
  assert.match(last.stdout, '3 waiting jobs were built and queued for Xero.');
  const rows = db.prepare('SELECT status, cause, payload FROM jobs ORDER BY rowid').all() as Array<{ status: string; cause: string | null; payload: string }>;
  assert.ok(rows.every((row) => row.status !== 'held' && row.cause === null), JSON.stringify(rows));
  const invoice = JSON.parse(rows[0]!.payload) as { Reference: string; LineItems: Array<{ AccountCode: string }> };
  assert.match(invoice.Reference, /^POS shift TILL-0042-2026-11-28-PM \[XP-[0-9A-Z]{12}\]$/);
  assert.equal(invoice.LineItems.map((line) => line.AccountCode), ['200', '200']);
});

shifts('an unbalanced shift is still refused at once, whatever its mappings', async ({ world, key }) => {
  const response = await post(world, key, { ...shift, tenders: [{ type: 'cash', amount: 1 }] });
  assert.is(response.status, 400);
  assert.is(world.proxy.running.proxy.db.prepare('SELECT COUNT(*) FROM jobs').pluck().get(), 0);
});

shifts('map set checks against live Xero data and refuses what Xero would', async ({ cli }) => {
  const badAccount = await cli(['map', 'set', 'category', 'Coffee', '--account', '999', '--tax', 'OUTPUT']);
  assert.is(badAccount.code, 2);
  assert.match(badAccount.stderr, "error: --account: 999 is not an account code in this organisation's chart of accounts.");
  const noPayments = await cli(['map', 'set', 'tender', 'cash', '--account', '200']);
  assert.match(noPayments.stderr, 'cannot take payments');
  const badTax = await cli(['map', 'set', 'category', 'Coffee', '--account', '200', '--tax', 'NOPE']);
  assert.match(badTax.stderr, '--tax: NOPE is not a tax type of this organisation');
});

shifts('a mapped shift becomes one summary invoice and a payment per tender, each waiting for the invoice; a resend creates nothing', async ({ world, key, cli }) => {
  for (const args of [
    ['category', 'Coffee', '--account', '200', '--tax', 'OUTPUT'],
    ['category', 'Food', '--account', '200', '--tax', 'OUTPUT'],
    ['tender', 'cash', '--account', '090'],
    ['tender', 'eftpos', '--account', '615'],
    ['rounding', '--account', '260'],
    ['no-tax', '--tax', 'BASEXCLUDED'],
  ]) {
    const result = await cli(['map', 'set', ...args]);
    assert.is(result.code, 0, result.stderr);
  }
  const listed = JSON.parse((await cli(['map', 'list', '--json'])).stdout) as { mappings: unknown[] };
  assert.is(listed.mappings.length, 6);

  const response = await post(world, key, shift);
  assert.is(response.status, 202, await response.clone().text());
  const body = (await response.json()) as { jobs: Array<{ id: string; kind: string }> };
  assert.equal(body.jobs.map((j) => j.kind), ['invoice', 'payment', 'payment']);
  const db = world.proxy.running.proxy.db;
  const rows = db.prepare('SELECT id, kind, depends_on, payload FROM jobs ORDER BY rowid').all() as Array<{ id: string; kind: string; depends_on: string | null; payload: string }>;
  assert.equal(rows.slice(1).map((r) => r.depends_on), [rows[0]!.id, rows[0]!.id]);
  const invoice = JSON.parse(rows[0]!.payload) as { Type: string; LineAmountTypes: string; LineItems: Array<{ UnitAmount: number; AccountCode: string }> };
  assert.equal([invoice.Type, invoice.LineAmountTypes], ['ACCREC', 'Inclusive']);
  assert.equal(invoice.LineItems.slice(0, 2).map((l) => l.UnitAmount), [412.5, 220]);
  const payments = rows.slice(1).map((r) => JSON.parse(r.payload) as { Amount: number; Account: { Code: string } });
  assert.equal(payments.map((p) => [p.Account.Code, p.Amount]), [['090', 182.5], ['615', 450]]);

  const again = (await (await post(world, key, shift)).json()) as { jobs: Array<{ duplicateOf?: string }> };
  assert.ok(again.jobs.every((j) => j.duplicateOf), 'the same shiftId is recognised');
  assert.is(db.prepare('SELECT count(*) FROM jobs').pluck().get(), 3);

  const exported = await cli(['map', 'export']);
  assert.match(exported.stdout, '"kind": "tender"');
});

shifts.run();
