import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPair } from '../../src/domain/certificates';
import { systemClock } from '../../src/lib/clock';
import { oauthFetch, parseForm, registerApp, TEST_CERTIFICATE } from '../helpers/oauth1-client';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox';

const replace = suite<{ sb: TestSandbox }>('oauth1.updateAppCertificate');

replace.before(async (context) => {
  context.sb = await startTestSandbox();
});
replace.after(async (context) => {
  await context.sb.stop();
});

const put = (sb: TestSandbox, consumerKey: string, body: unknown) =>
  fetch(`${sb.url}/sandbox/apps/${consumerKey}/certificate`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

replace('a new certificate replaces the old one: the new key signs, the old key is signature_invalid', async ({ sb }) => {
  const app = await registerApp(sb.url, 'private');
  const organisation = (privateKeyPem?: string) =>
    oauthFetch({ method: 'GET', url: `${sb.url}/api.xro/2.0/Organisation`, credentials: { ...app.credentials, ...(privateKeyPem ? { privateKeyPem } : {}) }, headers: { accept: 'application/json' } });
  assert.is((await organisation()).status, 200);

  const next = generateKeyPair(systemClock);
  const response = await put(sb, app.consumerKey, { certificatePem: next.info.certificatePem });
  assert.is(response.status, 200);
  const described = (await response.json()) as { consumerKey: string; certificate: { fingerprint256: string }; consumerSecret?: string };
  assert.is(described.certificate.fingerprint256, next.info.fingerprintSha256);
  assert.is(described.consumerSecret, undefined, 'the answer does not repeat the consumer secret');

  assert.is((await organisation(next.privateKey.reveal())).status, 200);
  const old = await organisation();
  assert.is(old.status, 401);
  assert.is(parseForm(await old.text())['oauth_problem'], 'signature_invalid');
});

replace('refuses an unknown app, a public app and a body that is not a certificate', async ({ sb }) => {
  const unknown = await put(sb, 'NO-SUCH-APP', { certificatePem: TEST_CERTIFICATE });
  assert.is(unknown.status, 404);
  assert.is(((await unknown.json()) as { error: { message: string } }).error.message, 'No app has the consumer key NO-SUCH-APP.');

  const publicApp = await registerApp(sb.url, 'public');
  const refused = await put(sb, publicApp.consumerKey, { certificatePem: TEST_CERTIFICATE });
  assert.is(refused.status, 400);
  assert.is(((await refused.json()) as { error: { message: string } }).error.message, 'certificatePem: not accepted for this app type: public apps sign with HMAC-SHA1 and take no certificate.');

  const partner = await registerApp(sb.url, 'partner');
  const bad = await put(sb, partner.consumerKey, { certificatePem: 'hello' });
  assert.is(bad.status, 400);
  const { error } = (await bad.json()) as { error: { code: string; field: string; message: string } };
  assert.equal([error.code, error.field, error.message], ['invalid', 'certificatePem', 'certificatePem: is not a PEM X.509 certificate ("-----BEGIN CERTIFICATE-----"); send the certificate, never the private key.']);
});

replace.run();
