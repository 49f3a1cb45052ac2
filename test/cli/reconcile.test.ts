import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { findJob, type Job } from '../../src/store/jobs';
import { usageSince } from '../../src/store/organisation-usage';
import { runCli } from '../helpers/cli';
import { control, enqueue, insertDevice, invoicePayload, runUntilSettled, startDeliveryWorld, type DeliveryWorld } from '../helpers/delivery';

const CAFE = DEMO_ORGANISATIONS[0]!;
const cli = suite('cli.reconcile');

/**
 * Runs `test` with a delivery world in which FRONT-TILL's invoice has been delivered, a working
 * folder and the environment the CLI needs to reach the proxy's store and the sandbox.
 */
async function withDeliveredInvoice(test: (setting: { world: DeliveryWorld; invoice: Job; cwd: string; env: Record<string, string> }) => Promise<void>): Promise<void> {
  const world = await startDeliveryWorld();
  const cwd = mkdtempSync(join(tmpdir(), 'xp-reconcile-'));
  try {
    const device = insertDevice(world.deps, world.organisationId, 'FRONT-TILL');
    const [job] = enqueue(world.deps, device, world.organisationId, 'invoice', [{ payload: invoicePayload(1) }]);
    await runUntilSettled(world);
    const env = {
      XERO_PROXY_STORAGE_DATA_DIR: world.proxy.dataDir,
      XERO_PROXY_XERO_APP_TYPE: 'private',
      XERO_PROXY_XERO_API_URL: world.sandbox.url,
      XERO_PROXY_XERO_CONSUMER_KEY: world.app.consumerKey,
      XERO_PROXY_XERO_CONSUMER_SECRET: world.app.consumerSecret,
    };
    await test({ world, invoice: findJob(world.deps.db, job!.id)!, cwd, env });
  } finally {
    await world.stop();
  }
}

cli('reconcile prints nothing found for a clean day and exits 0, then names a voided invoice with what to do and exits 3; --json has the same findings', async () => {
  await withDeliveredInvoice(async ({ world, invoice, cwd, env }) => {
    assert.is(invoice.status, 'delivered');
    const day = invoice.deliveredAt!.slice(0, 10);
    const calls = () => usageSince(world.deps.db, day).find((row) => row.organisationId === world.organisationId && row.day === new Date().toISOString().slice(0, 10))?.calls ?? 0;

    const before = calls();
    const clean = await runCli(['reconcile', '--org', CAFE.name, '--date', day], { cwd, env });
    assert.is(clean.code, 0, clean.stderr);
    assert.is(clean.stdout.trim(), `${CAFE.name}, ${day}: 1 delivered document compared with Xero (1 call); nothing found.`);
    assert.is(calls(), before + 1, 'the call is counted in the day\'s usage');

    await control(world, 'POST', `organisations/${CAFE.id}/invoices/${invoice.xeroNumber}/void`);
    const found = await runCli(['reconcile', '--org', CAFE.name, '--date', day], { cwd, env });
    assert.is(found.code, 3, found.stderr);
    const lines = found.stdout.trim().split('\n');
    assert.is(lines[0], `${CAFE.name}, ${day}: 1 delivered document compared with Xero (1 call); 1 finding:`);
    assert.match(lines[1]!, new RegExp(`^  - Invoice ${invoice.xeroNumber} \\(till FRONT-TILL\\) was voided in Xero on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC, after the proxy delivered it on `));
    assert.match(lines[2]!, /^    What to do: If that was a mistake, enter the sale in Xero again/);

    const json = await runCli(['reconcile', '--org', world.organisationId, '--date', day, '--json'], { cwd, env });
    assert.is(json.code, 3, json.stderr);
    const parsed = JSON.parse(json.stdout) as { day: string; runs: Array<{ state: string; calls: number; findings: Array<{ finding: string; xeroNumber: string; expected: number; words: { sentence: string } }> }> };
    assert.is(parsed.day, day);
    assert.equal(parsed.runs.map((run) => [run.state, run.calls, run.findings.map((f) => [f.finding, f.xeroNumber, f.expected])]), [['found', 1, [['voided', invoice.xeroNumber, 15.5]]]]);
    assert.is(parsed.runs[0]!.findings[0]!.words.sentence, lines[1]!.slice(4));

    const bad = await runCli(['reconcile', '--date', '28/11/2026'], { cwd, env });
    assert.is(bad.code, 2);
    assert.is(bad.stderr.trim(), 'error: date: "28/11/2026" is not a day written YYYY-MM-DD, e.g. 2026-11-28.');
  });
});

/** The README's reconciliation example: the command (as arguments) and the output it shows. */
function readmeExample(): { args: string[]; output: string } {
  const text = readFileSync('README.md', 'utf8');
  const start = text.indexOf('### Reconciliation');
  const section = text.slice(start, text.indexOf('\n### ', start + 1));
  const command = /```sh\n(xero-proxy reconcile [^\n]*)\n```/.exec(section)?.[1];
  const output = /```text\n([\s\S]*?)\n```/.exec(section)?.[1];
  if (!command || !output) throw new Error('the README has no reconcile example with its output');
  const args = [...command.slice('xero-proxy '.length).matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
  return { args, output };
}

cli("the README's reconcile example runs as written and prints what the README shows", async () => {
  const { args, output } = readmeExample();
  await withDeliveredInvoice(async ({ world, invoice, cwd, env }) => {
    await control(world, 'POST', `organisations/${CAFE.id}/invoices/${invoice.xeroId}/void`);
    // The README names a day in the past; the sandbox's clock only goes forward, so the delivery is
    // dated that evening in the proxy, as if the till had sent it then (Xero lists it as changed since).
    world.deps.db.prepare('UPDATE jobs SET created_at = ?, delivered_at = ? WHERE id = ?').run('2026-11-28T21:59:58.000Z', '2026-11-28T22:00:00.000Z', invoice.id);
    const result = await runCli(args, { cwd, env });
    assert.is(result.code, 3, result.stderr);
    // Only the moment Xero voided it differs from run to run.
    const voidedAt = (text: string) => text.replace(/voided in Xero on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/, 'voided in Xero on …');
    assert.is(voidedAt(result.stdout.trim()), voidedAt(output));
  });
});

cli.run();
