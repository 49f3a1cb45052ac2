import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import type { DeliveryWorld } from './delivery';
import { collectKey, pairAndLink, startWorld, type LinkedWorld } from './linked';

/** A linked till whose documents the test delivers itself (the loop is manual), and how it posts. */
export interface TillDelivery {
  linked: LinkedWorld;
  world: DeliveryWorld;
  /** The till's API key. */
  key: string;
  /** Posts `body` to the device API's `path` as the till, expects 202, and gives the jobs. */
  post(path: string, body: unknown): Promise<Array<{ id: string; documentKey: string }>>;
}

/** Harbourside Café linked through a private app for the till `tillId`, with a manual delivery loop. */
export async function startTillDelivery(tillId: string): Promise<TillDelivery> {
  const linked = await startWorld('private', { organisationId: DEMO_ORGANISATIONS[0]!.id, proxy: { delivery: { manual: true } } });
  try {
    const { outcome, pairingId } = await pairAndLink(linked, tillId);
    if (outcome.kind !== 'linked') throw new Error('not linked');
    const world: DeliveryWorld = { ...linked, loop: linked.proxy.running.delivery!, deps: linked.proxy.running.proxy.deps, organisationId: outcome.organisation.id };
    const key = await collectKey(world, pairingId);
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${world.proxy.url}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.is(response.status, 202, await response.clone().text());
      return ((await response.json()) as { jobs: Array<{ id: string; documentKey: string }> }).jobs;
    };
    return { linked, world, key, post };
  } catch (error) {
    await linked.stop();
    throw error;
  }
}
