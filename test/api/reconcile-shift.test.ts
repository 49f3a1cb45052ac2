import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { ensureDemoMappings } from '../../src/services/demo-shift';
import { reconcileDay } from '../../src/services/reconciliation';
import { runView } from '../../src/services/reconciliation-report';
import { findJob } from '../../src/store/jobs';
import { asCli } from '../helpers/actor';
import { control, runUntilSettled } from '../helpers/delivery';
import { collectKey, pairAndLink, startOfNextUtcDay, startWorld, whileTimePasses } from '../helpers/linked';
import { eveningShift } from '../helpers/sale';

const CAFE = DEMO_ORGANISATIONS[0]!;
const shifts = suite('api.reconcile-shift');

shifts("a till's end of shift sent to the device API, its invoice then voided in Xero, is reported by its shift and till, and its payments by amount", async () => {
  const world = await startWorld('private', { organisationId: CAFE.id, proxy: { delivery: { manual: true } } });
  try {
    const { outcome, pairingId } = await pairAndLink(world, 'TILL-0042');
    if (outcome.kind !== 'linked') throw new Error(JSON.stringify(outcome));
    const key = await collectKey(world, pairingId);
    // The shift's delivery and its reconciliation stay in one UTC day, whatever the hour.
    await startOfNextUtcDay(world);
    const deps = world.proxy.running.proxy.deps;
    const calls = world.proxy.running.proxy.calls;
    await whileTimePasses(world, ensureDemoMappings(deps, calls, outcome.organisation.id));
    const shift = eveningShift;
    const response = await fetch(`${world.proxy.url}/api/v1/pos/shifts`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(shift) });
    assert.is(response.status, 202, await response.clone().text());
    const { jobs } = (await response.json()) as { jobs: Array<{ id: string; kind: string }> };
    await runUntilSettled({ loop: world.proxy.running.delivery!, deps, clock: world.clock, advance: world.advance });
    const [invoice, cash, eftpos] = jobs.map((job) => findJob(deps.db, job.id)!);
    assert.equal([invoice, cash, eftpos].map((job) => [job!.kind, job!.status]), [['invoice', 'delivered'], ['payment', 'delivered'], ['payment', 'delivered']]);

    // A person removes both payments and voids the invoice in Xero (Xero voids only an invoice without payments).
    await control(world, 'POST', `organisations/${CAFE.id}/payments/${cash!.xeroId}/delete`);
    await control(world, 'POST', `organisations/${CAFE.id}/payments/${eftpos!.xeroId}/delete`);
    await control(world, 'POST', `organisations/${CAFE.id}/invoices/${invoice!.xeroNumber}/void`);
    const day = world.clock.now().toISOString().slice(0, 10);
    const run = await whileTimePasses(world, reconcileDay(asCli(deps), calls, outcome.organisation.id, day, { trigger: 'cli' }));
    const view = runView(deps, run, CAFE.name);
    assert.equal(
      view.findings.map((finding) => finding.words.subject),
      [`Invoice ${invoice!.xeroNumber} (shift TILL-0042-2026-11-28-PM, till TILL-0042)`, `Payment of 182.50 on invoice ${invoice!.xeroNumber} (shift TILL-0042-2026-11-28-PM, till TILL-0042)`, `Payment of 450.00 on invoice ${invoice!.xeroNumber} (shift TILL-0042-2026-11-28-PM, till TILL-0042)`],
    );
    assert.equal(view.findings.map((finding) => finding.finding), ['voided', 'deleted', 'deleted']);
    assert.is(view.findings[0]!.expected, 632.5);
  } finally {
    await world.stop();
  }
});

shifts.run();
