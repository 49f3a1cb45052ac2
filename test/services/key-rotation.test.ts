import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { parseKeyFile } from '../../src/lib/secret-box';
import { approvePairing, startPairing } from '../../src/services/pairing';
import { findOrganisation } from '../../src/store/organisations';
import { getTokenSet } from '../../src/store/token-sets';
import { spawnCli } from '../helpers/cli';
import { invoicePayload, ledger, runUntilSettled } from '../helpers/delivery';
import { pairAndGrant, refreshes, revokedGrants, startGrantWorld } from '../helpers/grant-world';
import { asCli } from '../helpers/actor';
import { collectKey } from '../helpers/linked';
import { openEverySecret, sealedWith } from '../helpers/sealed';

const rotation = suite('services.rotateMasterKey');
const CAFE = DEMO_ORGANISATIONS[0]!;

rotation('under load: while key rotate runs beside the server, 3 tills post invoices and the grant is renewed; afterwards nothing is sealed with the old key and every invoice is in Xero once', async () => {
  const world = await startGrantWorld('oauth2', { proxy: { delivery: { manual: true } } });
  try {
    const deps = asCli(world.proxy.running.proxy.deps);
    const { pairingId, chosen } = await pairAndGrant(world, 'TILL-1', [CAFE.id], CAFE.id);
    const keys = [await collectKey(world, pairingId)];
    for (const deviceId of ['TILL-2', 'TILL-3']) {
      const pairing = startPairing(deps, { deviceId, name: deviceId, sourceAddress: '127.0.0.1' });
      approvePairing(deps, pairing.userCode, chosen.id);
      keys.push(await collectKey(world, pairing.pairingId));
    }
    const loop = { loop: world.proxy.running.delivery!, deps, clock: world.clock, advance: world.advance };
    const accepted: string[] = [];
    let renewalsAfterRotation = -1;
    let rotated = false;
    let n = 0;

    // The load: each round every till posts an invoice, the grant is renewed (a new refresh token
    // sealed and stored) and the loop delivers what is due, until the rotation has finished and
    // three more renewals have been stored after it.
    const load = (async () => {
      while (!rotated || refreshes(world) - renewalsAfterRotation < 3) {
        await Promise.all(
          keys.map(async (key, index) => {
            const id = `T${index + 1}-${++n}`;
            const response = await fetch(`${world.proxy.url}/api/v1/invoices`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ Invoices: [{ DocumentId: id, ...invoicePayload(n) }] }) });
            assert.is(response.status, 202, await response.clone().text());
            accepted.push(((await response.json()) as { jobs: Array<{ documentKey: string }> }).jobs[0]!.documentKey);
          }),
        );
        await world.proxy.running.proxy.calls.fresh(findOrganisation(deps.db, chosen.id)!, Number.POSITIVE_INFINITY);
        await loop.loop.tick();
      }
    })();
    const child = spawnCli(['key', 'rotate', '--json'], { cwd: world.proxy.dataDir, env: world.env });
    let stdout = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    renewalsAfterRotation = refreshes(world);
    rotated = true;
    await load;
    assert.is(code, 0);
    assert.equal(JSON.parse(stdout).keyId, 'k2');
    await runUntilSettled(loop);

    assert.ok(renewalsAfterRotation > 0, 'the grant was renewed while the rotation ran');
    const sealed = sealedWith(deps.db);
    assert.equal(Object.keys(sealed.values), ['k2'], `sealed with: ${JSON.stringify(sealed.values)}`);
    assert.equal(sealed.checks, ['k2']);
    const keyFile = parseKeyFile(readFileSync(join(world.proxy.dataDir, 'master.key'), 'utf8'), 'master.key');
    assert.equal(keyFile.map((entry) => `${entry.id}${entry.retired ? ' retired' : ''}`), ['k1 retired', 'k2']);
    assert.ok(openEverySecret(deps.db, deps.keyring).size > 0, 'the server opens every secret with the key it learnt from the key file');
    const tokens = getTokenSet(deps.db, deps.keyring, findOrganisation(deps.db, chosen.id)!.tokenSetId!);
    assert.ok(tokens.kind === 'oauth2' && tokens.credentials.refreshToken !== undefined);
    assert.is(revokedGrants(world), 0, 'no refresh token was lost or replayed');

    const invoices = await ledger(world, 'Invoice');
    const count = (key: string) => invoices.filter((doc) => doc.reference?.includes(key)).length;
    console.log(`  ${accepted.length} invoices accepted, ${refreshes(world)} renewals (${renewalsAfterRotation} by the end of the rotation), ${invoices.length} invoices in Xero`);
    assert.ok(accepted.length >= 9);
    assert.equal(accepted.filter((key) => count(key) !== 1), [], 'every accepted invoice in Xero exactly once');
  } finally {
    await world.stop();
  }
});

rotation.run();
