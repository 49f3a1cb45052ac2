import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { completeLink } from '../../src/services/linking';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { collectKey, pairAndLink, startWorld } from '../helpers/linked';
import { asCli } from '../helpers/actor';

const linking = suite('services.linking');
const PRACTICE = DEMO_ORGANISATIONS[1]!;

async function organisationVia(proxyUrl: string, key: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${proxyUrl}/api/v1/organisation`, { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

for (const appType of ['public', 'partner', 'private'] as const) {
  linking(`a ${appType} app: a paired device is linked to the organisation chosen at Xero and reads it through the proxy`, async () => {
    const world = await startWorld(appType, { organisationId: PRACTICE.id });
    try {
      const { outcome, pairingId } = await pairAndLink(world, 'PMS-LIC-1', PRACTICE.id);
      assert.is(outcome.kind, 'linked', JSON.stringify(outcome));
      if (outcome.kind !== 'linked') return;
      assert.equal([outcome.organisation.name, outcome.organisation.xeroOrganisationId, outcome.organisation.shortCode, outcome.organisation.countryCode, outcome.organisation.baseCurrency], [
        PRACTICE.name,
        PRACTICE.id,
        PRACTICE.shortCode,
        'AU',
        'AUD',
      ]);
      const key = await collectKey(world, pairingId);
      const read = await organisationVia(world.proxy.url, key);
      assert.is(read.status, 200, JSON.stringify(read.body));
      assert.is(read.body['name'], PRACTICE.name);
      // The sandbox verified every signature; none of the proxy's requests was refused.
      const log = (await (await fetch(`${world.sandbox.url}/sandbox/requests?limit=50`)).json()) as { requests: Array<{ status: number; problem: string | null; path: string }> };
      assert.equal(log.requests.filter((r) => r.status === 401 || r.status === 400), []);
    } finally {
      await world.stop();
    }
  });
}

linking('forged, replayed and incomplete callbacks get clear errors and change nothing', async () => {
  const world = await startWorld('partner');
  try {
    const deps = world.proxy.running.proxy.deps;
    assert.equal(await completeLink(deps, {}), { kind: 'failed', code: 'invalid', message: 'The callback from Xero has no oauth_token; start linking again from the connect page.' });
    const forged = await completeLink(deps, { oauth_token: 'FORGEDTOKEN', oauth_verifier: '1234567' });
    assert.equal(forged, { kind: 'failed', code: 'not_found', message: 'This authorisation is unknown to the proxy: the link is forged, or from another proxy. Start linking again.' });
    const { outcome } = await pairAndLink(world, 'TILL-1');
    assert.is(outcome.kind, 'linked');
    const orgCount = () => deps.db.prepare('SELECT count(*) FROM organisations').pluck().get();
    assert.is(orgCount(), 1);
    // A second pairing, linked with a wrong verifier: refused by Xero, the link request stays usable.
    const second = await import('../../src/services/pairing').then((m) => m.startPairing(deps, { deviceId: 'TILL-2', name: 'Till 2', sourceAddress: '127.0.0.1' }));
    const started = await import('../../src/services/linking').then((m) => m.startLink(asCli(deps), { pairingUserCode: second.userCode }));
    assert.is(started.kind, 'redirect');
    if (started.kind !== 'redirect') return;
    const token = new URL(started.authorizeUrl).searchParams.get('oauth_token')!;
    const noVerifier = await completeLink(deps, { oauth_token: token });
    assert.is(noVerifier.kind, 'failed');
    const approval = (await (await fetch(`${world.sandbox.url}/sandbox/authorize`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ oauthToken: token }) })).json()) as { redirect: string; verifier: string };
    const wrong = await completeLink(deps, { oauth_token: token, oauth_verifier: '0000000' });
    assert.is(wrong.kind, 'failed');
    assert.match((wrong as { message: string }).message, 'Xero refused to complete the link');
    const right = await completeLink(deps, Object.fromEntries(new URL(approval.redirect).searchParams));
    assert.is(right.kind, 'linked', JSON.stringify(right));
    const replayed = await completeLink(deps, Object.fromEntries(new URL(approval.redirect).searchParams));
    assert.equal(replayed, { kind: 'failed', code: 'conflict', message: 'This authorisation was already used (completed); a callback works once. Start linking again if needed.' });
    assert.is(orgCount(), 1, 'linking the same organisation again reuses its row');
  } finally {
    await world.stop();
  }
});

linking('a person who denies at Xero denies the pairing too; the device never gets a key', async () => {
  const world = await startWorld('public');
  try {
    const deps = world.proxy.running.proxy.deps;
    const { startPairing } = await import('../../src/services/pairing');
    const { startLink } = await import('../../src/services/linking');
    const pairing = startPairing(deps, { deviceId: 'TILL-9', name: 'Till 9', sourceAddress: '127.0.0.1' });
    const started = await startLink(asCli(deps), { pairingUserCode: pairing.userCode });
    if (started.kind !== 'redirect') throw new Error('expected a redirect');
    const token = new URL(started.authorizeUrl).searchParams.get('oauth_token')!;
    const denial = (await (await fetch(`${world.sandbox.url}/sandbox/authorize`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ oauthToken: token, decision: 'deny' }) })).json()) as { redirect: string };
    const outcome = await completeLink(deps, Object.fromEntries(new URL(denial.redirect).searchParams));
    assert.equal(outcome, { kind: 'denied', message: 'The person at Xero denied access, so nothing was linked.' });
    const poll = (await (await fetch(`${world.proxy.url}/api/v1/pair/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pairingId: pairing.pairingId }) })).json()) as Record<string, string>;
    assert.equal([poll['error'], poll['error_description']], ['access_denied', 'Denied at Xero: The person at Xero denied access, so nothing was linked.']);
  } finally {
    await world.stop();
  }
});

linking.run();
