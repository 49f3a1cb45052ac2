import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildOrganisationRequest } from '../../src/domain/xero/organisation';
import { findJob } from '../../src/store/jobs';
import { findOrganisation } from '../../src/store/organisations';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { control, enqueue, toStartOfXeroMinute, insertDevice, invoicePayload, ledger, runUntilSettled, startDeliveryWorld, statusCounts, type DeliveryWorld } from '../helpers/delivery';
import { pairAndLink, startWorld } from '../helpers/linked';
import { SPACING_MARGIN } from '../../src/services/pacer';

const organisations = suite('queue.delivery-organisations');
const [CAFE, PRACTICE] = DEMO_ORGANISATIONS;

/** A partner app linked to two organisations, the loop driven by the test. */
async function twoOrganisations(): Promise<{ world: DeliveryWorld; cafe: string; practice: string }> {
  const linked = await startWorld('partner', { proxy: { delivery: { manual: true } } });
  const a = await pairAndLink(linked, 'LINK-A', CAFE!.id);
  const b = await pairAndLink(linked, 'LINK-B', PRACTICE!.id);
  if (a.outcome.kind !== 'linked' || b.outcome.kind !== 'linked') throw new Error('not linked');
  const world: DeliveryWorld = { ...linked, loop: linked.proxy.running.delivery!, deps: linked.proxy.running.proxy.deps, organisationId: a.outcome.organisation.id };
  return { world, cafe: a.outcome.organisation.id, practice: b.outcome.organisation.id };
}

organisations("Xero's rate limit for one organisation pauses only that one; the other is delivered meanwhile, and no attempt is counted", async () => {
  const { world, cafe, practice } = await twoOrganisations();
  try {
    await control(world, 'PUT', 'limits', { perMinute: 3 });
    // Another caller (a device reading through the proxy, paced a second apart) spends the café's minute at Xero.
    const { calls, config } = world.proxy.running.proxy;
    await toStartOfXeroMinute(world);
    for (let i = 0; i < 3; i++) {
      await calls.call(cafe, (auth) => buildOrganisationRequest({ apiUrl: config.xero.apiUrl, auth }));
      await world.advance(1 + SPACING_MARGIN);
    }
    const [cafeJob] = enqueue(world.deps, insertDevice(world.deps, cafe, 'POS-CAFE'), cafe, 'invoice', [{ payload: invoicePayload(1) }]);
    const [practiceJob] = enqueue(world.deps, insertDevice(world.deps, practice, 'POS-GP'), practice, 'invoice', [{ payload: invoicePayload(2, { Contact: { Name: 'Walk-in Patient' } }) }]);

    await world.loop.drain();
    assert.is(findJob(world.deps.db, practiceJob!.id)!.status, 'delivered', 'the practice is not held up');
    const waiting = findJob(world.deps.db, cafeJob!.id)!;
    assert.is(waiting.status, 'queued');
    assert.is(waiting.attempts, 0, 'a rate-limit answer is not a failed attempt');
    const verdict = world.loop.pacer.check(cafe);
    assert.ok(!verdict.ok && verdict.why === 'paused', 'the café is paused');
    assert.ok(Date.parse(waiting.notBefore) > world.clock.now().getTime(), 'until Retry-After');
    assert.is(world.loop.stats.rateLimited, 1);

    await runUntilSettled(world);
    assert.is(findJob(world.deps.db, cafeJob!.id)!.status, 'delivered');
    assert.is(findJob(world.deps.db, cafeJob!.id)!.attempts, 1);
  } finally {
    await world.stop();
  }
});

organisations('an organisation that must be relinked has its jobs held with the reason, new ones too, and released when it is linked again', async () => {
  const { world, cafe } = await twoOrganisations();
  try {
    const device = insertDevice(world.deps, cafe, 'POS-CAFE');
    const first = enqueue(world.deps, device, cafe, 'invoice', [{ payload: invoicePayload(1) }, { payload: invoicePayload(2) }]);
    await control(world, 'POST', `apps/${world.app.consumerKey}/revoke`, { organisationId: CAFE!.id });
    await world.loop.drain();

    assert.is(findOrganisation(world.deps.db, cafe)!.linkState, 'needs_relink');
    const held = findJob(world.deps.db, first[0]!.id)!;
    assert.is(held.status, 'held');
    assert.is(held.attempts, 0);
    assert.match(held.heldReason!, /^Harbourside Café must be linked to Xero again before its documents can be sent\. Xero no longer accepts this organisation's token/);
    const later = enqueue(world.deps, device, cafe, 'invoice', [{ payload: invoicePayload(3) }]);
    const callsBefore = world.loop.stats.calls;
    await world.loop.drain();
    assert.is(findJob(world.deps.db, later[0]!.id)!.status, 'held', 'new work for the organisation is held too');
    assert.is(world.loop.stats.calls, callsBefore, 'without calling Xero');

    const relinked = await pairAndLink(world, 'LINK-A2', CAFE!.id);
    assert.is(relinked.outcome.kind, 'linked');
    await runUntilSettled(world);
    assert.equal(statusCounts(world), { delivered: 3 });
    assert.is((await ledger(world, 'Invoice')).filter((doc) => doc.reference?.includes('[XP-')).length, 3);
    assert.is(findJob(world.deps.db, first[0]!.id)!.heldReason, null);
  } finally {
    await world.stop();
  }
});

organisations("when the daily budget is spent the jobs stay queued and say why and when sending resumes; at UTC midnight they go", async () => {
  const world = await startDeliveryWorld({ env: { XERO_PROXY_XERO_RATE_LIMIT_PER_DAY: '2' } });
  try {
    const device = insertDevice(world.deps, world.organisationId, 'POS-1');
    const jobs = enqueue(world.deps, device, world.organisationId, 'invoice', Array.from({ length: 120 }, (_, i) => ({ payload: invoicePayload(i) })));
    for (let second = 0; second < 5; second++) {
      await world.loop.drain();
      await world.advance(1);
    }
    const midnight = new Date(world.clock.now());
    midnight.setUTCHours(24, 0, 0, 0);
    const waiting = findJob(world.deps.db, jobs[119]!.id)!;
    assert.is(waiting.status, 'queued');
    assert.is(waiting.heldReason, `Xero's daily limit of 2 calls for this organisation is used up; sending resumes at ${midnight.toISOString().replace('.000', '')}.`);
    assert.is(waiting.notBefore, midnight.toISOString());
    assert.is(world.loop.stats.calls, 2);
    assert.is(statusCounts(world)['delivered'], 100);

    await runUntilSettled(world);
    const sent = findJob(world.deps.db, jobs[119]!.id)!;
    assert.is(sent.status, 'delivered');
    assert.is(sent.heldReason, null, 'the note goes once the job is sent');
    assert.ok(Date.parse(sent.deliveredAt!) >= midnight.getTime());
  } finally {
    await world.stop();
  }
});

organisations.run();
