import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DeliveryLoop } from '../../src/queue/delivery-loop';
import { enqueue, insertDevice, invoicePayload } from '../helpers/delivery';
import { startRealTimeWorld } from '../helpers/real-time';

const timers = suite('queue.delivery-timers');

timers('on its own timers the loop starts at once and starts each paced call when the pace allows, not at its next poll', async () => {
  // A 30-second minute spaces calls half a second apart; the poll is a minute, so only the
  // pacer's own wake-up can deliver four batches within the deadline.
  const world = await startRealTimeWorld({ minuteMs: 30_000 });
  const { deps, calls } = world.proxy.running.proxy;
  const loop = new DeliveryLoop(deps, calls, { pollMs: 60_000 });
  try {
    const device = insertDevice(deps, world.organisationId, 'POS-1');
    enqueue(deps, device, world.organisationId, 'invoice', Array.from({ length: 200 }, (_, n) => ({ payload: invoicePayload(n) })));
    const delivered = deps.db.prepare(`SELECT count(*) FROM jobs WHERE status = 'delivered'`).pluck();
    const started = performance.now();
    loop.start();
    const deadline = started + 20_000;
    while ((delivered.get() as number) < 200 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const elapsed = performance.now() - started;
    assert.is(delivered.get(), 200);
    assert.is(loop.stats.writes, 4, 'four batches of 50');
    assert.ok(elapsed >= 1_500, `the pace still holds: the fourth call starts 1.5 s after the first (took ${elapsed.toFixed(0)} ms)`);
  } finally {
    await loop.stop(5_000);
    await world.stop();
  }
});

timers.run();
