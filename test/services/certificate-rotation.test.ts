import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rotateCertificate } from '../../src/services/certificates';
import { findActiveCertificate, listCertificates } from '../../src/store/certificates';
import { collectKey, pairAndLink, startWorld } from '../helpers/linked';
import { SPACING_MARGIN } from '../../src/services/pacer';

const rotation = suite('services.certificate-rotation');

for (const appType of ['private', 'partner'] as const) {
  rotation(`a ${appType} app keeps delivering through rotate → upload at Xero → (automatic) activation`, async () => {
    const world = await startWorld(appType);
    try {
      const { pairingId } = await pairAndLink(world, 'TILL-1');
      const key = await collectKey(world, pairingId);
      // Each read waits its turn: the pacer spaces calls to Xero a second apart and a hundredth (two after a re-signed call).
      const read = async () => (await world.advance(2 * (1 + SPACING_MARGIN)), fetch(`${world.proxy.url}/api/v1/organisation`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status));
      const deps = world.proxy.running.proxy.deps;
      const original = findActiveCertificate(deps.db)!;
      assert.is(await read(), 200);

      const pending = rotateCertificate(deps);
      assert.is(await read(), 200, 'the old pair signs while the new one waits');

      // The person uploads the new publickey.cer; Xero now knows only the new certificate.
      const upload = await fetch(`${world.sandbox.url}/sandbox/apps/${world.app.consumerKey}/certificate`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ certificatePem: pending.certificatePem }),
      });
      assert.is(upload.status, 200);
      assert.is(await read(), 200, 'the first signature failure proves and activates the uploaded pair; the call succeeds');
      assert.is(findActiveCertificate(deps.db)!.id, pending.id);
      assert.equal(
        listCertificates(deps.db).map((c) => [c.id, c.state]).sort(),
        [[original.id, 'retired'], [pending.id, 'active']].sort(),
      );
      assert.is(await read(), 200);
    } finally {
      await world.stop();
    }
  });
}

rotation.run();
