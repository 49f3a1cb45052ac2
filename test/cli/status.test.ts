import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Overview } from '../../src/services/overview';
import { runCli } from '../helpers/cli';
import { enqueue, insertDevice, invoicePayload, startDeliveryWorld } from '../helpers/delivery';

const status = suite('cli.status');

status('xero-proxy status says what the overview says: what needs a person, where it is fixed, and each organisation', async () => {
  const world = await startDeliveryWorld();
  const env = {
    XERO_PROXY_XERO_APP_TYPE: 'private',
    XERO_PROXY_XERO_API_URL: world.sandbox.url,
    XERO_PROXY_XERO_CONSUMER_KEY: world.app.consumerKey,
    XERO_PROXY_STORAGE_DATA_DIR: world.proxy.dataDir,
  };
  const cwd = mkdtempSync(join(tmpdir(), 'xp-status-'));
  try {
    const calm = await runCli(['status'], { cwd, env });
    assert.is(calm.code, 0, calm.stderr);
    assert.is(calm.stdout.split('\n')[0], 'Everything has reached Xero.');

    const device = insertDevice(world.deps, world.organisationId, 'TILL-1');
    enqueue(world.deps, device, world.organisationId, 'invoice', [
      { payload: invoicePayload(1) },
      { payload: invoicePayload(2, { LineItems: [{ Description: 'Mystery', Quantity: 1, UnitAmount: 10, AccountCode: '999', TaxType: 'OUTPUT' }] }) },
    ]);
    await world.loop.drain();
    const text = await runCli(['status'], { cwd, env });
    assert.is(text.stdout.split('\n')[0], '! 1 document needs attention for Harbourside Café. (fix it at /attention)');
    assert.match(text.stdout, /Harbourside Café\s+linked\s+0\s+0\s+0\s+1\s+0/);

    const json = JSON.parse((await runCli(['status', '--json'], { cwd, env })).stdout) as Overview;
    assert.is(json.allDelivered, false);
    assert.equal(json.warnings.map((w) => [w.code, w.href]), [['attention', '/attention']]);
    assert.equal(json.organisations.map((o) => [o.name, o.counts.failed, o.needsAttention, o.usage.callsToday]), [['Harbourside Café', 1, 1, 1]]);
  } finally {
    await world.stop();
  }
});

status.run();
