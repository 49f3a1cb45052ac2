import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { renewExpiringTokens } from '../../src/schedule/jobs';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { findJob } from '../../src/store/jobs';
import { findOrganisation } from '../../src/store/organisations';
import { Secret } from '../../src/lib/secret';
import { sealCredentials } from '../../src/store/token-set-credentials';
import { getTokenSet } from '../../src/store/token-sets';
import { control, enqueue, insertDevice, invoicePayload } from '../helpers/delivery';
import { dropNextTokenAnswers, pairAndGrant, refreshes, revokeAtXero, revokedGrants, startGrantWorld, tokenCalls, type GrantWorld } from '../helpers/grant-world';
import { collectKey, whileTimePasses } from '../helpers/linked';

const rotation = suite('services.grant-rotation');
const CHILD = fileURLToPath(new URL('../fixtures/renewal-child.ts', import.meta.url));
const [CAFE, PRACTICE] = DEMO_ORGANISATIONS;

/** A web app's grant covering the café and the practice, a till sending to the café. */
async function grantedTwo(options: { delivery?: boolean } = {}): Promise<{ world: GrantWorld; key: string; cafe: string; practice: string }> {
  // Device calls wait their turn at the pacer for as long as a burst of a hundred needs.
  const world = await startGrantWorld('oauth2', { proxy: { paceWaitMs: 120_000, ...(options.delivery ? { delivery: { manual: true } } : {}) } });
  const { pairingId, organisations, chosen } = await pairAndGrant(world, 'TILL-1', [CAFE!.id, PRACTICE!.id], CAFE!.id);
  // Allow a burst far above Xero's limits: this test is about refreshing, not pacing.
  await control(world, 'PUT', 'limits', { perMinute: 100000, concurrency: 1000 });
  return { world, key: await collectKey(world, pairingId), cafe: chosen.id, practice: organisations.find((org) => org.id !== chosen.id)!.id };
}

const readOrganisation = (world: GrantWorld, key: string) => fetch(`${world.proxy.url}/api/v1/organisation`, { headers: { authorization: `Bearer ${key}` } });
const tokenSetOf = (world: GrantWorld, organisationId: string) => {
  const { db, keyring } = world.proxy.running.proxy.deps;
  return getTokenSet(db, keyring, findOrganisation(db, organisationId)!.tokenSetId!);
};

rotation('100 concurrent device calls when the access token ends cause exactly one refresh, and all succeed with the tenant header', async () => {
  const { world, key, cafe, practice } = await grantedTwo();
  try {
    assert.is(tokenSetOf(world, cafe).id, tokenSetOf(world, practice).id, 'one grant, one token set for both organisations');
    await world.advance(31 * 60);
    const seen = world.sent.length;
    const statuses = await whileTimePasses(world, Promise.all(Array.from({ length: 100 }, () => readOrganisation(world, key).then((r) => r.status))));
    assert.equal([...new Set(statuses)], [200]);
    assert.is(refreshes(world), 1, 'one refresh at Xero');
    assert.is(revokedGrants(world), 0, 'no refresh token was replayed');
    const reads = world.sent.slice(seen).filter((request) => request.url.endsWith('/api.xro/2.0/Organisation'));
    assert.is(reads.length, 100);
    assert.ok(reads.every((request) => request.headers['xero-tenant-id'] === CAFE!.id && /^Bearer \S+$/.test(request.headers['Authorization'] ?? '')), 'every call sent a Bearer token and the café as its tenant');
    const after = tokenSetOf(world, cafe);
    assert.ok(after.kind === 'oauth2' && after.version === 2 && after.credentials.previousRefreshToken !== undefined && after.graceUntil !== null);
  } finally {
    await world.stop();
  }
});

rotation('a refresh whose answer is lost is sent again at once with the same token, which Xero honours inside its grace window', async () => {
  const { world, key, cafe } = await grantedTwo();
  try {
    await world.advance(31 * 60);
    await dropNextTokenAnswers(world);
    assert.is((await readOrganisation(world, key)).status, 200);
    assert.equal(
      tokenCalls(world).filter((call) => call.grantType === 'refresh_token').map((call) => call.problem),
      ['injected drop of the token response', null],
      'the first answer was dropped after Xero rotated; the second succeeded',
    );
    assert.is(revokedGrants(world), 0);
    assert.is(tokenSetOf(world, cafe).version, 2, 'saved once');
    await world.advance(2); // the pacer spaces calls a second apart
    assert.is((await readOrganisation(world, key)).status, 200);
  } finally {
    await world.stop();
  }
});

/** Refreshes the grant in another process that kills itself at `point` (see the fixture). */
function refreshInChild(world: GrantWorld, organisationId: string, point: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    for (const name of Object.keys(process.env)) if (name.startsWith('XERO_PROXY_')) delete env[name];
    Object.assign(env, world.env);
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), CHILD, world.proxy.dataDir, organisationId, point], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
}

rotation('a crash between Xero answering a refresh and the save: the next refresh sends the same token again, inside the grace window', async () => {
  const { world, key, cafe } = await grantedTwo();
  try {
    const before = tokenSetOf(world, cafe);
    const child = await refreshInChild(world, cafe, 'after-response');
    assert.is(child.signal, 'SIGKILL', child.output);
    assert.is(refreshes(world), 1, 'Xero rotated the token; the proxy never saved the answer');
    assert.is(tokenSetOf(world, cafe).version, before.version, 'nothing was saved');
    // 26 minutes on: the access token is within the renewal margin, the grace window still open.
    await world.advance(26 * 60);
    assert.is((await readOrganisation(world, key)).status, 200);
    assert.is(refreshes(world), 2);
    assert.is(revokedGrants(world), 0, 'the token sent again was inside its grace window');
    assert.is(findOrganisation(world.proxy.running.proxy.deps.db, cafe)!.linkState, 'linked');
  } finally {
    await world.stop();
  }
});

rotation('a refresh in another process while the server refreshes: one waits for the other, and no token is replayed', async () => {
  const { world, key, cafe } = await grantedTwo();
  try {
    await world.advance(26 * 60);
    const [child, status] = await Promise.all([refreshInChild(world, cafe, 'none'), readOrganisation(world, key).then((r) => r.status)]);
    assert.is(child.code, 0, child.output);
    assert.is(status, 200);
    assert.ok(refreshes(world) >= 1 && refreshes(world) <= 2);
    assert.ok(tokenCalls(world).every((call) => call.status === 200), 'no refresh was refused');
    assert.is(revokedGrants(world), 0);
    await world.advance(2); // the pacer spaces calls a second apart
    assert.is((await readOrganisation(world, key)).status, 200);
  } finally {
    await world.stop();
  }
});

rotation('a refresh token Xero refuses is followed, inside the grace window, by the one it replaced, before anything is marked for relinking', async () => {
  const { world, key, cafe } = await grantedTwo();
  try {
    const deps = world.proxy.running.proxy.deps;
    await world.advance(31 * 60);
    assert.is((await readOrganisation(world, key)).status, 200);
    const rotated = tokenSetOf(world, cafe);
    assert.ok(rotated.kind === 'oauth2' && rotated.credentials.previousRefreshToken);
    // The stored refresh token goes bad (a restore from a backup, say); the one it replaced is still in its grace window.
    const damaged = { ...rotated.credentials, refreshToken: new Secret('not-a-token-xero-knows') };
    // Sealed in the write's transaction, as the store does: the proxy's keyring refuses to seal outside one.
    deps.db.transaction(() => deps.db.prepare('UPDATE token_sets SET sealed = ?, expires_at = ? WHERE id = ?').run(sealCredentials(deps.keyring, rotated.id, damaged), world.clock.now().toISOString(), rotated.id))();
    await world.advance(2);
    assert.is((await readOrganisation(world, key)).status, 200);
    assert.equal(
      tokenCalls(world).filter((call) => call.grantType === 'refresh_token').map((call) => call.problem),
      [null, 'invalid_grant', null],
      'refused, then the previous token inside its grace window',
    );
    assert.is(revokedGrants(world), 0);
    assert.is(findOrganisation(deps.db, cafe)!.linkState, 'linked');
    const after = tokenSetOf(world, cafe);
    assert.ok(after.kind === 'oauth2' && after.credentials.refreshToken!.reveal() !== 'not-a-token-xero-knows');
  } finally {
    await world.stop();
  }
});

rotation('Xero refusing the grant moves every organisation of it to needs_relink; jobs are held and the credentials kept', async () => {
  const { world, key, cafe, practice } = await grantedTwo({ delivery: true });
  try {
    const deps = world.proxy.running.proxy.deps;
    const [job] = enqueue(deps, insertDevice(deps, practice, 'POS-GP'), practice, 'invoice', [{ payload: invoicePayload(1, { Contact: { Name: 'Walk-in Patient' } }) }]);
    await revokeAtXero(world, cafe);
    await world.advance(31 * 60);
    const response = await readOrganisation(world, key);
    assert.is(response.status, 502);
    const expected = "Xero refused to refresh this organisation's grant (invalid_grant: it was revoked, unused for 60 days, or replaced); link the organisation again.";
    assert.is(((await response.json()) as { error: { message: string } }).error.message, expected);
    for (const id of [cafe, practice]) {
      const organisation = findOrganisation(deps.db, id)!;
      assert.equal([organisation.linkState, organisation.relinkReason], ['needs_relink', expected]);
      assert.ok(organisation.tokenSetId, 'credentials are kept, never deleted on a failure');
    }
    await world.proxy.running.delivery!.drain();
    const held = findJob(deps.db, job!.id)!;
    assert.is(held.status, 'held');
    assert.match(held.heldReason!, 'invalid_grant');
    assert.is(refreshes(world), 1, 'refused once; nothing retried the dead grant');
  } finally {
    await world.stop();
  }
});

rotation('the sweep refreshes a grant idle for a week, once for all its organisations, and leaves a fresh one alone', async () => {
  const { world, cafe } = await grantedTwo();
  try {
    const proxy = world.proxy.running.proxy;
    await renewExpiringTokens(proxy);
    assert.is(refreshes(world), 0, 'nothing waits and the grant is new');
    await world.advance(8 * 24 * 3600);
    await renewExpiringTokens(proxy);
    assert.is(refreshes(world), 1, 'one refresh for the grant, not one per organisation');
    const refreshed = tokenSetOf(world, cafe);
    assert.ok(Date.parse(refreshed.authorizationExpiresAt!) - world.clock.now().getTime() > 59 * 24 * 3600_000, 'Xero’s 60 days start again');
    await renewExpiringTokens(proxy);
    assert.is(refreshes(world), 1);
  } finally {
    await world.stop();
  }
});

rotation.run();
