import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { seedAccountingDemo } from '../../src/sandbox/accounting/demo-data';
import { insertOrganisation } from '../../src/sandbox/organisations';
import { completeLink, startLink } from '../../src/services/linking';
import { immediate } from '../../src/store/db';
import { asCli } from '../helpers/actor';
import { enqueue, insertDevice, invoicePayload } from '../helpers/delivery';
import { approveAtXero, startGrantWorld } from '../helpers/grant-world';

const fairness = suite('queue.delivery-fairness');

const SHOPS = 4;
const BATCHES = 3;

fairness('with two calls in flight at most, four organisations take turns: none sends its second batch while another has not sent its first', async () => {
  const world = await startGrantWorld('oauth2', { proxy: { delivery: { manual: true, batchSize: 2, maxLanes: 2 } } });
  try {
    const sandboxDeps = world.sandbox.sandbox.deps;
    const tenants = Array.from({ length: SHOPS }, (_, i) => ({
      id: `fa1e0000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      name: `Shop ${i + 1}`,
      legalName: `Shop ${i + 1} Pty Ltd`,
      shortCode: `!Fa${i + 1}`,
      countryCode: 'AU',
      baseCurrency: 'AUD',
      timezone: 'AUSEASTERNSTANDARDTIME',
    }));
    immediate(sandboxDeps.db, () => {
      for (const tenant of tenants) {
        insertOrganisation(sandboxDeps.db, tenant, sandboxDeps.clock);
        seedAccountingDemo(sandboxDeps.db, tenant, sandboxDeps.clock);
      }
    });
    const deps = world.proxy.running.proxy.deps;
    const started = await startLink(asCli(deps), {});
    if (started.kind !== 'redirect') throw new Error('expected a redirect to Xero');
    const outcome = await completeLink(deps, Object.fromEntries(new URL(await approveAtXero(world, started.authorizeUrl, tenants.map((t) => t.id))).searchParams));
    if (outcome.kind !== 'granted' || outcome.organisations.length !== SHOPS) throw new Error(JSON.stringify(outcome));
    // Queued in the database's order, so the first organisations would come first every round without turns.
    for (const [i, organisation] of outcome.organisations.entries()) {
      const device = insertDevice(deps, organisation.id, `POS-${i + 1}`);
      enqueue(deps, device, organisation.id, 'invoice', Array.from({ length: BATCHES * 2 }, (_, n) => ({ payload: invoicePayload(i * 100 + n) })));
    }
    const loop = world.proxy.running.delivery!;
    const queued = () => deps.db.prepare(`SELECT COUNT(*) FROM jobs WHERE status <> 'delivered'`).pluck().get() as number;
    for (let round = 0; round < 40 && queued() > 0; round++) {
      await loop.tick();
      await world.advance(1);
    }
    assert.equal(deps.db.prepare('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status').all(), [{ status: 'delivered', n: SHOPS * BATCHES * 2 }]);

    const sends = sandboxDeps.db
      .prepare(`SELECT organisation_id FROM request_log WHERE method IN ('POST', 'PUT') AND path = '/api.xro/2.0/Invoices' AND status = 200 ORDER BY id`)
      .pluck()
      .all() as string[];
    assert.is(sends.length, SHOPS * BATCHES, 'one call per batch of two');
    const sent = new Map<string, number>();
    for (const [at, tenant] of sends.entries()) {
      const batch = (sent.get(tenant) ?? 0) + 1;
      sent.set(tenant, batch);
      const behind = tenants.filter((t) => (sent.get(t.id) ?? 0) < batch - 1);
      assert.equal(behind.map((t) => t.name), [], `call ${at + 1}: ${tenant} sent batch ${batch} while others had not sent batch ${batch - 1}`);
    }
  } finally {
    await world.stop();
  }
});

fairness.run();
