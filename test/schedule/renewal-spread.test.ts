import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { renewExpiringTokens } from '../../src/schedule/jobs';
import { seedAccountingDemo } from '../../src/sandbox/accounting/demo-data';
import { insertOrganisation } from '../../src/sandbox/organisations';
import { immediate } from '../../src/store/db';
import { findOrganisation } from '../../src/store/organisations';
import { getTokenSet } from '../../src/store/token-sets';
import { enqueue, insertDevice, invoicePayload } from '../helpers/delivery';
import { completeLink, startLink } from '../../src/services/linking';
import type { Organisation } from '../../src/store/organisations';
import { asCli } from '../helpers/actor';
import { approveAtXero, startGrantWorld, type GrantWorld } from '../helpers/grant-world';

const spread = suite('schedule.renewExpiringTokens.spread');

const ORGANISATIONS = 30;

spread('thirty grants due at once are refreshed at most five a second, soonest first, each before its token ends', async () => {
  // The renewals are spaced on the world's clocks: waiting for a turn moves both, as time would.
  let world: GrantWorld | undefined;
  world = await startGrantWorld('oauth2', {
    proxy: {
      delivery: { manual: true },
      renewal: { time: { now: () => world!.clock.now().getTime(), sleep: (ms) => world!.advance(ms / 1000) } },
    },
  });
  try {
    await fetch(`${world.sandbox.url}/sandbox/oauth2/settings`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accessTokenSeconds: 90 }) });
    const sandboxDb = world.sandbox.sandbox.deps.db;
    const tenants = Array.from({ length: ORGANISATIONS }, (_, i) => ({
      id: `5ca1e000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      name: `Shop ${i + 1}`,
      legalName: `Shop ${i + 1} Pty Ltd`,
      shortCode: `!Sh${i + 1}`,
      countryCode: 'AU',
      baseCurrency: 'AUD',
      timezone: 'AUSEASTERNSTANDARDTIME',
    }));
    immediate(sandboxDb, () => {
      for (const tenant of tenants) {
        insertOrganisation(sandboxDb, tenant, world!.sandbox.sandbox.deps.clock);
        seedAccountingDemo(sandboxDb, tenant, world!.sandbox.sandbox.deps.clock);
      }
    });
    const proxy = world.proxy.running.proxy;
    const organisations: Organisation[] = [];
    for (const [i, tenant] of tenants.entries()) {
      const chosen = await grant(world, tenant.id);
      enqueue(proxy.deps, insertDevice(proxy.deps, chosen.id, `POS-${i + 1}`), chosen.id, 'invoice', [{ payload: invoicePayload(i + 1) }]);
      organisations.push(chosen);
      // Linked a second apart, so their tokens end a second apart: the order to renew them in.
      await world.advance(1);
    }
    const tokenSetOf = (organisationId: string) => getTokenSet(proxy.db, proxy.keyring, findOrganisation(proxy.db, organisationId)!.tokenSetId!);
    const before = new Map(organisations.map((org) => [org.id, tokenSetOf(org.id)]));
    // 45 s after the last link every token has at most half its 90 s left; the first ends 15 s later.
    await world.advance(45);
    const firstRefresh = sandboxDb.prepare('SELECT COALESCE(MAX(id), 0) FROM request_log').pluck().get() as number;
    await renewExpiringTokens(proxy);

    const refreshes = sandboxDb
      .prepare(`SELECT at, status, request_body FROM request_log WHERE path = '/connect/token' AND id > ? ORDER BY id`)
      .all(firstRefresh) as Array<{ at: string; status: number; request_body: string }>;
    assert.is(refreshes.length, ORGANISATIONS, 'one refresh per grant');
    assert.ok(refreshes.every((row) => row.status === 200 && new URLSearchParams(row.request_body).get('grant_type') === 'refresh_token'), 'every refresh succeeded');
    const perSecond = new Map<number, number>();
    for (const row of refreshes) {
      const second = Math.floor(Date.parse(row.at) / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    assert.ok(Math.max(...perSecond.values()) <= 5, `at most five refreshes in any second, saw ${JSON.stringify([...perSecond.values()])}`);
    assert.ok(perSecond.size >= ORGANISATIONS / 5, 'the refreshes were spread over at least six seconds');

    const after = organisations.map((org) => ({ org, old: before.get(org.id)!, now: tokenSetOf(org.id) }));
    for (const { org, old, now } of after) {
      assert.is(now.version, old.version + 1, `${org.name} was refreshed once`);
      assert.ok(Date.parse(now.renewedAt!) < Date.parse(old.expiresAt!), `${org.name} was refreshed before its token ended`);
    }
    const order = [...after].sort((a, b) => Date.parse(a.now.renewedAt!) - Date.parse(b.now.renewedAt!)).map(({ org }) => org.id);
    assert.equal(order, organisations.map((org) => org.id), 'the grant linked first, ending first, was refreshed first');
  } finally {
    await world.stop();
  }
});

/** Links one organisation through its own grant, as a person on the console would (no pairing: one source address pairs ten at most an hour). */
async function grant(world: GrantWorld, tenantId: string): Promise<Organisation> {
  const deps = world.proxy.running.proxy.deps;
  const started = await startLink(asCli(deps), {});
  if (started.kind !== 'redirect') throw new Error('expected a redirect to Xero');
  const outcome = await completeLink(deps, Object.fromEntries(new URL(await approveAtXero(world, started.authorizeUrl, [tenantId])).searchParams));
  if (outcome.kind !== 'granted' || outcome.organisations.length !== 1) throw new Error(JSON.stringify(outcome));
  return outcome.organisations[0]!;
}

spread.run();
