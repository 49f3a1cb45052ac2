import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { renewExpiringTokens } from '../../src/schedule/jobs';
import { findOrganisation } from '../../src/store/organisations';
import { getTokenSet } from '../../src/store/token-sets';
import { pairAndLink, startWorld } from '../helpers/linked';

const jobs = suite('schedule.renewExpiringTokens');

jobs('renews a partner token within ten minutes of its end, and leaves a fresh one alone', async () => {
  const world = await startWorld('partner');
  try {
    const { outcome } = await pairAndLink(world, 'TILL-1');
    if (outcome.kind !== 'linked') throw new Error('not linked');
    const proxy = world.proxy.running.proxy;
    const version = () => getTokenSet(proxy.db, proxy.keyring, findOrganisation(proxy.db, outcome.organisation.id)!.tokenSetId!).version;
    await renewExpiringTokens(proxy);
    assert.is(version(), 1, 'thirty minutes left: nothing to do');
    await world.advance(21 * 60);
    await renewExpiringTokens(proxy);
    assert.is(version(), 2, 'nine minutes left: renewed');
    assert.is(findOrganisation(proxy.db, outcome.organisation.id)!.linkState, 'linked');
  } finally {
    await world.stop();
  }
});

jobs("moves a public app whose thirty minutes are over to needs_relink, with the reason", async () => {
  const world = await startWorld('public');
  try {
    const { outcome } = await pairAndLink(world, 'TILL-1');
    if (outcome.kind !== 'linked') throw new Error('not linked');
    const proxy = world.proxy.running.proxy;
    await renewExpiringTokens(proxy);
    assert.is(findOrganisation(proxy.db, outcome.organisation.id)!.linkState, 'linked');
    await world.advance(31 * 60);
    await renewExpiringTokens(proxy);
    const organisation = findOrganisation(proxy.db, outcome.organisation.id)!;
    assert.equal([organisation.linkState, organisation.relinkReason], ['needs_relink', 'A public app may act for 30 minutes after it is authorised; link the organisation again.']);
  } finally {
    await world.stop();
  }
});

jobs.run();
