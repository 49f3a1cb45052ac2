import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { EC_CERTIFICATE, TEST_CERTIFICATE, TEST_PRIVATE_KEY } from '../helpers/oauth1-client';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox';

const apps = suite<{ sb: TestSandbox }>('oauth1.registerApp');

apps.before(async (context) => {
  context.sb = await startTestSandbox();
});
apps.after(async (context) => {
  await context.sb.stop();
});

const post = (sb: TestSandbox, body: unknown) =>
  fetch(`${sb.url}/sandbox/apps`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function expectFieldError(response: Response, status: number, code: string, field: string, message: string | RegExp): Promise<void> {
  assert.is(response.status, status);
  const { error } = (await response.json()) as { error: { code: string; message: string; field: string } };
  assert.is(error.code, code);
  assert.is(error.field, field);
  if (typeof message === 'string') assert.is(error.message, message);
  else assert.match(error.message, message);
}

apps('registers a public app with a generated 30-character key and secret, shown once', async ({ sb }) => {
  const response = await post(sb, { type: 'public', name: 'Till sync' });
  assert.is(response.status, 201);
  const app = (await response.json()) as Record<string, unknown>;
  assert.match(String(app['consumerKey']), /^[A-Z0-9]{30}$/);
  assert.match(String(app['consumerSecret']), /^[A-Z0-9]{30}$/);
  assert.is(app['type'], 'public');
  assert.is(app['name'], 'Till sync');
  assert.is(app['signatureMethod'], 'HMAC-SHA1');
  assert.is(app['organisationId'], null);
  assert.is(app['certificate'], null);

  const listed = (await (await fetch(`${sb.url}/sandbox/apps`)).json()) as { apps: Array<Record<string, unknown>> };
  const found = listed.apps.find((entry) => entry['consumerKey'] === app['consumerKey']);
  assert.ok(found);
  assert.not.ok('consumerSecret' in found!, 'the listing must not reveal consumer secrets');
});

apps('registers a private app tied to the first demo organisation by default, with its certificate described', async ({ sb }) => {
  const response = await post(sb, { type: 'private', certificatePem: TEST_CERTIFICATE, consumerKey: 'MY-PRIVATE-KEY', consumerSecret: 'unused' });
  assert.is(response.status, 201);
  const app = (await response.json()) as { consumerKey: string; organisationId: string; signatureMethod: string; certificate: { subject: string; validTo: string } };
  assert.is(app.consumerKey, 'MY-PRIVATE-KEY');
  assert.is(app.organisationId, DEMO_ORGANISATIONS[0]!.id);
  assert.is(app.signatureMethod, 'RSA-SHA1');
  assert.match(app.certificate.subject, 'CN=Xero Comms Proxy test app');
  assert.is(app.certificate.validTo, '2031-11-27T04:40:10.000Z');
});

apps('ties a private app to the organisation asked for', async ({ sb }) => {
  const response = await post(sb, { type: 'private', certificatePem: TEST_CERTIFICATE, organisationId: DEMO_ORGANISATIONS[2]!.id });
  assert.is(response.status, 201);
  assert.is(((await response.json()) as { organisationId: string }).organisationId, DEMO_ORGANISATIONS[2]!.id);
});

apps('refuses an unknown app type', async ({ sb }) => {
  await expectFieldError(await post(sb, { type: 'custom' }), 400, 'invalid', 'type', 'type: must be "private", "public" or "partner".');
});

apps('requires a certificate for private and partner apps', async ({ sb }) => {
  for (const type of ['private', 'partner']) {
    await expectFieldError(await post(sb, { type }), 400, 'invalid', 'certificatePem', 'certificatePem: required for private and partner apps: the PEM X.509 certificate of the RSA key the app signs with.');
  }
});

apps('refuses a certificate that does not parse, or a private key sent instead', async ({ sb }) => {
  const message = 'certificatePem: is not a PEM X.509 certificate ("-----BEGIN CERTIFICATE-----"); send the certificate, never the private key.';
  await expectFieldError(await post(sb, { type: 'partner', certificatePem: 'hello' }), 400, 'invalid', 'certificatePem', message);
  await expectFieldError(await post(sb, { type: 'partner', certificatePem: TEST_PRIVATE_KEY }), 400, 'invalid', 'certificatePem', message);
});

apps('refuses a certificate whose key is not RSA', async ({ sb }) => {
  await expectFieldError(await post(sb, { type: 'private', certificatePem: EC_CERTIFICATE }), 400, 'invalid', 'certificatePem', "certificatePem: the certificate's key type is ec, but RSA-SHA1 needs an RSA key.");
});

apps('refuses a certificate for a public app and an organisation for a partner app', async ({ sb }) => {
  await expectFieldError(await post(sb, { type: 'public', certificatePem: TEST_CERTIFICATE }), 400, 'invalid', 'certificatePem', /^certificatePem: not accepted for this app type: public apps sign with HMAC-SHA1/);
  await expectFieldError(
    await post(sb, { type: 'partner', certificatePem: TEST_CERTIFICATE, organisationId: DEMO_ORGANISATIONS[0]!.id }),
    400,
    'invalid',
    'organisationId',
    /^organisationId: not accepted for this app type: only a private app is tied to one organisation/,
  );
});

apps('refuses a private app for an organisation that does not exist', async ({ sb }) => {
  await expectFieldError(
    await post(sb, { type: 'private', certificatePem: TEST_CERTIFICATE, organisationId: 'nope' }),
    400,
    'invalid',
    'organisationId',
    'organisationId: no sandbox organisation has the id "nope"; GET /sandbox/organisations lists them.',
  );
});

apps('refuses a consumer key already registered, and keys with spaces', async ({ sb }) => {
  assert.is((await post(sb, { type: 'public', consumerKey: 'TAKEN' })).status, 201);
  await expectFieldError(await post(sb, { type: 'public', consumerKey: 'TAKEN' }), 409, 'conflict', 'consumerKey', 'consumerKey: an app with the consumer key TAKEN is already registered.');
  await expectFieldError(await post(sb, { type: 'public', consumerKey: 'has space' }), 400, 'invalid', 'consumerKey', 'consumerKey: must be 1 to 100 printable ASCII characters without spaces.');
});

apps('refuses a body that is not a JSON object', async ({ sb }) => {
  const response = await fetch(`${sb.url}/sandbox/apps`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1]' });
  assert.is(response.status, 400);
  assert.is(((await response.json()) as { error: { message: string } }).error.message, 'The body must be a JSON object.');
});

apps.run();
