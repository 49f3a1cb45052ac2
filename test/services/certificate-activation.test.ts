import { createServer, type AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseConfigText } from '../../src/config/load';
import { AppError } from '../../src/lib/errors';
import { systemClock } from '../../src/lib/clock';
import { Secret } from '../../src/lib/secret';
import { newKeyLine, parseKeyring } from '../../src/lib/secret-box';
import { activateCertificate } from '../../src/services/certificate-activation';
import { createCertificate, rotateCertificate } from '../../src/services/certificates';
import { findActiveCertificate, findPendingCertificate, loadActiveSigningKey } from '../../src/store/certificates';
import { openDatabase } from '../../src/store/db';
import { MIGRATIONS } from '../../src/store/migrations';
import { upsertLinkedOrganisation } from '../../src/store/organisations';
import { insertTokenSet } from '../../src/store/token-sets';
import { linkApp, type TestApp } from '../helpers/oauth1-client';
import { DEMO_ORG, startTestSandbox, type TestSandbox } from '../helpers/sandbox';

const activation = suite<{ sb: TestSandbox }>('services.activateCertificate');
activation.before(async (context) => {
  context.sb = await startTestSandbox();
});
activation.after(async (context) => {
  await context.sb.stop();
});

const keyring = parseKeyring(newKeyLine('k1'), 'test');

function proxy(apiUrl: string, appType: string, consumerKey: string) {
  const db = openDatabase(':memory:', { migrations: MIGRATIONS });
  const config = parseConfigText(`[xero]\napp_type = "${appType}"\nconsumer_key = "${consumerKey}"\napi_url = "${apiUrl}"\n`);
  return { db, keyring, clock: systemClock, config, transport: fetch };
}

async function rejects(work: Promise<unknown>, code: string, message: string): Promise<AppError> {
  try {
    await work;
  } catch (error) {
    assert.instance(error, AppError);
    assert.is((error as AppError).code, code);
    assert.is((error as AppError).message, message);
    return error as AppError;
  }
  assert.unreachable(`expected AppError ${code}: ${message}`);
  throw new Error('unreachable');
}

const post = (url: string, body: unknown, method = 'POST') => fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

activation('a partner app proves the new pair with a linked organisation\'s access token', async ({ sb }) => {
  const deps = proxy(sb.url, 'partner', 'XP-PARTNER-CERT');
  const first = createCertificate(deps);
  assert.is((await post(`${sb.url}/sandbox/apps`, { type: 'partner', consumerKey: 'XP-PARTNER-CERT', certificatePem: first.certificatePem })).status, 201);
  // Link the organisation with the active key, as the proxy's linking flow would, and store the token.
  const credentials = { consumerKey: 'XP-PARTNER-CERT', consumerSecret: '', signatureMethod: 'RSA-SHA1' as const, privateKeyPem: loadActiveSigningKey(deps.db, keyring)!.reveal() };
  const app: TestApp = { consumerKey: 'XP-PARTNER-CERT', consumerSecret: '', type: 'partner', organisationId: null, credentials };
  const linked = await linkApp(sb.url, app, { organisationId: DEMO_ORG.id });
  const tokenSetId = insertTokenSet(deps.db, keyring, systemClock, { token: new Secret(linked.token), tokenSecret: new Secret(linked.secret), sessionHandle: undefined }, {
    expiresAt: new Date(Date.now() + 1_800_000).toISOString(),
    authorizationExpiresAt: null,
  });
  upsertLinkedOrganisation(deps.db, systemClock, { xeroOrganisationId: DEMO_ORG.id, name: DEMO_ORG.name, shortCode: null, countryCode: null, baseCurrency: null, appType: 'partner' }, tokenSetId);

  const next = rotateCertificate(deps);
  const refused = await rejects(activateCertificate(deps), 'unauthorized', 'Xero rejected the new certificate: upload publickey.cer to the app in the Xero developer portal first.');
  assert.match(refused.hint!, 'Xero could not verify the request signature.');
  assert.is(findActiveCertificate(deps.db)?.id, first.id);

  assert.is((await post(`${sb.url}/sandbox/apps/XP-PARTNER-CERT/certificate`, { certificatePem: next.certificatePem }, 'PUT')).status, 200);
  const result = await activateCertificate(deps);
  assert.is(result.provedWith, `GET Organisation answered 200 for "${DEMO_ORG.name}" as the partner app with ${DEMO_ORG.name}'s access token`);
  assert.equal([result.activated.id, result.retired?.id], [next.id, first.id]);
});

activation('an unknown consumer key or an unreachable Xero changes nothing and says so', async ({ sb }) => {
  const deps = proxy(sb.url, 'private', 'NOT-REGISTERED');
  createCertificate(deps);
  const pending = rotateCertificate(deps);
  // The Xero client words the problem itself; this service adds what it means for the certificate.
  const prefix = 'The new certificate could not be proven: ';
  const unknown = await rejects(activateCertificate(deps), 'upstream', `${prefix}Xero does not recognise the consumer key. Xero said: "Consumer key was not recognised".`);
  assert.match(unknown.hint!, /^Check the consumer key.* Nothing was changed; the active certificate keeps signing\.$/);

  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = server.address() as AddressInfo;
      server.close(() => resolve(free));
    });
  });
  const offline = { ...deps, config: parseConfigText(`[xero]\napp_type = "private"\nconsumer_key = "K"\napi_url = "http://127.0.0.1:${port}"\n`) };
  const down = await rejects(activateCertificate(offline), 'unavailable', `${prefix}Could not connect to Xero at 127.0.0.1:${port} (connection refused); the request was not sent.`);
  assert.ok(down.retryable);
  assert.is(findPendingCertificate(deps.db)?.id, pending.id);
});

activation('refuses without a consumer key, and refuses an expired pending pair', async ({ sb }) => {
  const deps = proxy(sb.url, 'private', '');
  createCertificate(deps);
  rotateCertificate(deps);
  await rejects(activateCertificate(deps), 'invalid', 'xero.consumer_key: must be set to prove the new certificate at Xero.');
  const later = { ...deps, clock: { now: () => new Date(Date.now() + 1826 * 86_400_000) } };
  const expired = await rejects(activateCertificate(later), 'invalid', `The pending certificate ${findPendingCertificate(deps.db)!.id} expired on ${findPendingCertificate(deps.db)!.notAfter.slice(0, 10)} and cannot become active.`);
  assert.is(expired.hint, 'Replace it with `xero-proxy cert rotate --replace-pending`.');
});

activation.run();
