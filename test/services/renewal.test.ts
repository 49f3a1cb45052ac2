import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { findOrganisation } from '../../src/store/organisations';
import { getTokenSet } from '../../src/store/token-sets';
import { collectKey, pairAndLink, startWorld, whileTimePasses, type LinkedWorld } from '../helpers/linked';
import { SPACING_MARGIN } from '../../src/services/pacer';

const renewal = suite('services.token-renewal');
const CHILD = fileURLToPath(new URL('../fixtures/renewal-child.ts', import.meta.url));

/**
 * Requests the sandbox logged to its token endpoint (link and renewals), newest first; read
 * from its log directly, since moving the clocks while calls wait fills the control API's window.
 */
async function tokenCalls(world: LinkedWorld): Promise<Array<{ status: number; problem: string | null }>> {
  return world.sandbox.sandbox.deps.db.prepare(`SELECT status, problem FROM request_log WHERE path = '/oauth/AccessToken' ORDER BY id DESC`).all() as Array<{ status: number; problem: string | null }>;
}

async function linkedPartner(): Promise<{ world: LinkedWorld; key: string; organisationId: string }> {
  // Device calls wait their turn at the pacer for as long as a burst of a hundred needs.
  const world = await startWorld('partner', { proxy: { paceWaitMs: 120_000 } });
  const { outcome, pairingId } = await pairAndLink(world, 'TILL-1');
  if (outcome.kind !== 'linked') throw new Error(JSON.stringify(outcome));
  // Allow a burst far above Xero's limits: this test is about renewal, not pacing.
  await fetch(`${world.sandbox.url}/sandbox/limits`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ perMinute: 100000, concurrency: 1000 }) });
  return { world, key: await collectKey(world, pairingId), organisationId: outcome.organisation.id };
}

const readOrganisation = (world: LinkedWorld, key: string) => fetch(`${world.proxy.url}/api/v1/organisation`, { headers: { authorization: `Bearer ${key}` } });

renewal('100 concurrent device calls at the moment of expiry cause exactly one renewal, and all succeed', async () => {
  const { world, key } = await linkedPartner();
  try {
    assert.is((await tokenCalls(world)).length, 1, 'the link itself');
    await world.advance(31 * 60);
    // The pacer lets them through a second apart, so time passes while they wait.
    const statuses = await whileTimePasses(world, Promise.all(Array.from({ length: 100 }, () => readOrganisation(world, key).then((r) => r.status))));
    assert.equal([...new Set(statuses)], [200]);
    const calls = await tokenCalls(world);
    assert.is(calls.length, 2, 'one renewal at the sandbox');
    assert.is(calls[0]!.status, 200);
  } finally {
    await world.stop();
  }
});

renewal('an expired token met by a call is renewed and the call retried; the old token is never replayed', async () => {
  const { world, key, organisationId } = await linkedPartner();
  try {
    const deps = world.proxy.running.proxy.deps;
    const before = getTokenSet(deps.db, deps.keyring, findOrganisation(deps.db, organisationId)!.tokenSetId!);
    await world.advance(40 * 60);
    assert.is((await readOrganisation(world, key)).status, 200);
    const after = getTokenSet(deps.db, deps.keyring, findOrganisation(deps.db, organisationId)!.tokenSetId!);
    assert.is(after.version, before.version + 1);
    assert.ok(before.kind === 'oauth1' && after.kind === 'oauth1');
    assert.is.not(after.credentials.token.reveal(), before.credentials.token.reveal());
    const rejected = await fetch(`${world.sandbox.url}/sandbox/requests?limit=1000`).then((r) => r.json() as Promise<{ requests: Array<{ problem: string | null }> }>);
    assert.not.ok(rejected.requests.some((r) => r.problem === 'token_rejected'), 'no request used a superseded token');
  } finally {
    await world.stop();
  }
});

/** Runs the renewal in another process that kills itself at `point`. */
function renewInChild(world: LinkedWorld, organisationId: string, point: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    for (const name of Object.keys(process.env)) if (name.startsWith('XERO_PROXY_')) delete env[name];
    Object.assign(env, {
      XERO_PROXY_STORAGE_DATA_DIR: world.proxy.dataDir,
      XERO_PROXY_XERO_APP_TYPE: 'partner',
      XERO_PROXY_XERO_API_URL: world.sandbox.url,
      XERO_PROXY_XERO_CONSUMER_KEY: world.app.consumerKey,
    });
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), CHILD, world.proxy.dataDir, organisationId, point], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
}

renewal('a crash before the renewal request: the lease runs out and the next renewal succeeds', async () => {
  const { world, key, organisationId } = await linkedPartner();
  try {
    const child = await renewInChild(world, organisationId, 'before-request');
    assert.is(child.signal, 'SIGKILL', child.output);
    assert.is((await tokenCalls(world)).length, 1, 'nothing reached Xero');
    await world.advance(40 * 60);
    assert.is((await readOrganisation(world, key)).status, 200);
    assert.is((await tokenCalls(world)).length, 2);
  } finally {
    await world.stop();
  }
});

renewal('a crash after Xero answered but before the save is reported precisely, and the organisation waits for relinking', async () => {
  const { world, key, organisationId } = await linkedPartner();
  try {
    const child = await renewInChild(world, organisationId, 'after-response');
    assert.is(child.signal, 'SIGKILL', child.output);
    await world.advance(40 * 60);
    const response = await readOrganisation(world, key);
    assert.is(response.status, 502, 'the call that found out: Xero refused the token');
    assert.match(((await response.json()) as { error: { message: string } }).error.message, "never saved Xero's answer");
    const later = await readOrganisation(world, key);
    assert.is(later.status, 409, 'later calls: the organisation waits for relinking');
    assert.match(((await later.json()) as { error: { message: string } }).error.message, 'must be linked to Xero again before it can be used');
    const deps = world.proxy.running.proxy.deps;
    const organisation = findOrganisation(deps.db, organisationId)!;
    assert.is(organisation.linkState, 'needs_relink');
    assert.match(organisation.relinkReason!, /^A token renewal started at \d{4}-\d\d-\d\dT[\d:.]+Z never saved Xero's answer \(the proxy stopped part-way\), and Xero has replaced the token since; link the organisation again\.$/);
    assert.ok(organisation.tokenSetId, 'credentials are kept, never deleted on a failure');
    const status = (await (await fetch(`${world.proxy.url}/api/v1/status`, { headers: { authorization: `Bearer ${key}` } })).json()) as { organisation: { linkState: string }; warnings: string[] };
    assert.is(status.organisation.linkState, 'needs_relink');
    assert.match(status.warnings[0]!, 'must be linked to Xero again by the administrator');
  } finally {
    await world.stop();
  }
});

renewal('a crash after the save: the renewed token is used as it is', async () => {
  const { world, key, organisationId } = await linkedPartner();
  try {
    const child = await renewInChild(world, organisationId, 'after-save');
    assert.is(child.signal, 'SIGKILL', child.output);
    assert.is((await tokenCalls(world)).length, 2);
    assert.is((await readOrganisation(world, key)).status, 200);
    assert.is((await tokenCalls(world)).length, 2, 'no second renewal was needed');
  } finally {
    await world.stop();
  }
});

renewal('a renewal in another process while the server renews: one waits for the other', async () => {
  const { world, key, organisationId } = await linkedPartner();
  try {
    const [child] = await Promise.all([renewInChild(world, organisationId, 'none'), readOrganisation(world, key)]);
    assert.is(child.code, 0, child.output);
    // The child renews (forced); the server's call needed no renewal or waited for the child's.
    const calls = await tokenCalls(world);
    assert.is(calls.filter((c) => c.status !== 200).length, 0, 'no renewal was refused, so none used a superseded token');
    await world.advance(1 + SPACING_MARGIN);
    assert.is((await readOrganisation(world, key)).status, 200);
  } finally {
    await world.stop();
  }
});

renewal.run();
