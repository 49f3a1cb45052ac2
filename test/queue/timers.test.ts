import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DeliveryLoop } from '../../src/queue/delivery-loop';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { SPACING_MARGIN } from '../../src/services/pacer';
import { enqueue, insertDevice, invoicePayload } from '../helpers/delivery';
import { pairAndLink, startWorld } from '../helpers/linked';

const timers = suite('queue.delivery-timers');

/** Waits for `done`, giving up after a minute only so a broken loop cannot hang the run. */
async function until(done: () => boolean, what: string): Promise<void> {
  const giveUp = Date.now() + 60_000;
  while (!done()) {
    if (Date.now() > giveUp) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

timers('on its own timers the loop starts at once and starts each paced call when the pace allows, not at its next poll', async () => {
  // A 30-second minute spaces calls half a second apart on the proxy's clock, which stands
  // still until the test moves it; the poll is an hour, so only the pacer's own wake-up can
  // start the later calls, and none can start before the clock reaches its turn.
  const world = await startWorld('private', { organisationId: DEMO_ORGANISATIONS[0]!.id, proxy: { paceMinuteMs: 30_000 }, sandboxSettings: { minuteMs: 30_000 } });
  const { deps, calls } = world.proxy.running.proxy;
  const loop = new DeliveryLoop(deps, calls, { pollMs: 3_600_000 });
  try {
    const { outcome } = await pairAndLink(world, 'POS-LINK');
    if (outcome.kind !== 'linked') throw new Error(JSON.stringify(outcome));
    const device = insertDevice(deps, outcome.organisation.id, 'POS-1');
    enqueue(deps, device, outcome.organisation.id, 'invoice', Array.from({ length: 200 }, (_, n) => ({ payload: invoicePayload(n) })));
    const delivered = deps.db.prepare(`SELECT count(*) FROM jobs WHERE status = 'delivered'`).pluck();
    const first = world.clock.now().getTime();
    loop.start();
    await until(() => delivered.get() === 50, 'the first batch, at once');
    // Long enough for the loop's wake-ups to look again; a slow machine looks less, never sooner.
    const looks = () => new Promise((resolve) => setTimeout(resolve, 700));
    // Half a second apart, and the pacer's margin (a hundredth): 505 ms.
    const gap = Math.ceil(500 * (1 + SPACING_MARGIN));
    for (let turn = 1; turn <= 3; turn++) {
      assert.is(loop.nextWakeAt()?.getTime(), first + turn * gap, `the loop means to wake at the turn ${turn * gap} ms after the first call`);
      await world.advance(0.25);
      await looks();
      assert.is(loop.stats.calls, turn, `no call ${turn + 1} at ${(turn - 1) * gap + 250} ms on the clock`);
      await world.advance((gap - 250) / 1000);
      await until(() => delivered.get() === 50 * (turn + 1), `batch ${turn + 1} once the clock reaches ${turn * gap} ms`);
    }
    assert.is(delivered.get(), 200);
    assert.is(loop.stats.writes, 4, 'four batches of 50');
    assert.is(loop.stats.rateLimited, 0);
  } finally {
    await loop.stop(5_000);
    await world.stop();
  }
});

timers.run();
