import { generateKeyPairSync } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { advanceClock, expectPassedAuth, expectProblem } from '../helpers/oauth1-assert';
import { encodeForm, oauthFetch, registerApp, signRequest, type TestApp } from '../helpers/oauth1-client';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox';

const KAURI = DEMO_ORGANISATIONS[2]!;

const privateApp = suite<{ sb: TestSandbox; app: TestApp; now: () => Date }>('oauth1.privateApp');

privateApp.before(async (context) => {
  context.sb = await startTestSandbox();
  context.app = await registerApp(context.sb.url, 'private', { organisationId: KAURI.id });
  context.now = () => context.sb.sandbox.deps.clock.now();
});
privateApp.after(async (context) => {
  await context.sb.stop();
});

privateApp('calls the API with the consumer key as the token, RSA-SHA1, for its one organisation', async ({ sb, app, now }) => {
  assert.is(app.credentials.token, app.consumerKey);
  const response = await oauthFetch({ method: 'GET', url: `${sb.url}/api.xro/2.0/Organisation`, credentials: app.credentials, now });
  await expectPassedAuth(sb, response, app.consumerKey, KAURI.id);
});

privateApp('never expires: a year of sandbox time later the same credentials work', async ({ sb, app, now }) => {
  await advanceClock(sb, 365 * 24 * 60 * 60);
  const response = await oauthFetch({ method: 'GET', url: `${sb.url}/api.xro/2.0/Contacts`, credentials: app.credentials, now });
  await expectPassedAuth(sb, response, app.consumerKey, KAURI.id);
});

privateApp('a token other than the consumer key is token_rejected', async ({ sb, app, now }) => {
  const response = await oauthFetch({ method: 'GET', url: `${sb.url}/api.xro/2.0/Organisation`, credentials: { ...app.credentials, token: 'SOMETHING-ELSE' }, now });
  await expectProblem(response, 401, 'token_rejected', 'A private application signs with its consumer key as the oauth_token');
});

privateApp('leaving out oauth_token is parameter_absent', async ({ sb, app, now }) => {
  const { token: _token, ...withoutToken } = app.credentials;
  const response = await oauthFetch({ method: 'GET', url: `${sb.url}/api.xro/2.0/Organisation`, credentials: withoutToken, now });
  const body = await expectProblem(response, 400, 'parameter_absent', 'Missing required parameter: oauth_token');
  assert.is(body['oauth_parameters_absent'], 'oauth_token');
});

privateApp('has no request tokens: RequestToken is permission_denied', async ({ sb, app, now }) => {
  const { token: _token, ...consumerOnly } = app.credentials;
  const response = await oauthFetch({ method: 'POST', url: `${sb.url}/oauth/RequestToken`, credentials: consumerOnly, oauth: { oauth_callback: 'oob' }, now });
  await expectProblem(response, 401, 'permission_denied', 'Private applications do not use request tokens; sign API calls with the consumer key as oauth_token');
});

privateApp('HMAC-SHA1 is signature_method_rejected (400)', async ({ sb, app, now }) => {
  const response = await oauthFetch({ method: 'GET', url: `${sb.url}/api.xro/2.0/Organisation`, credentials: { ...app.credentials, signatureMethod: 'HMAC-SHA1' }, now });
  await expectProblem(response, 400, 'signature_method_rejected', 'HMAC-SHA1 is not accepted from private applications; sign with RSA-SHA1');
});

privateApp('a signature made with another RSA key is signature_invalid', async ({ sb, app, now }) => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const response = await oauthFetch({ method: 'GET', url: `${sb.url}/api.xro/2.0/Organisation`, credentials: { ...app.credentials, privateKeyPem: privateKey }, now });
  await expectProblem(response, 401, 'signature_invalid', 'Failed to validate signature');
});

privateApp('signs an xml= form body, so changing the body after signing is signature_invalid', async ({ sb, app, now }) => {
  const url = `${sb.url}/api.xro/2.0/Invoices?summarizeErrors=false`;
  const form = encodeForm([['xml', '<Invoices><Invoice><Reference>A+B & "C"</Reference></Invoice></Invoices>']]);
  const good = await oauthFetch({ method: 'POST', url, credentials: app.credentials, form, now });
  await expectPassedAuth(sb, good, app.consumerKey, KAURI.id);

  const signed = signRequest({ method: 'POST', url, credentials: app.credentials, form, now });
  const tampered = await fetch(url, {
    method: 'POST',
    headers: { Authorization: signed.authorization, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.replace('A%2BB', 'A%2BX'),
  });
  await expectProblem(tampered, 401, 'signature_invalid', 'Failed to validate signature');
});

privateApp('does not sign a raw XML body', async ({ sb, app, now }) => {
  const url = `${sb.url}/api.xro/2.0/Invoices`;
  const signed = signRequest({ method: 'PUT', url, credentials: app.credentials, now });
  const withBody = await fetch(url, { method: 'PUT', headers: { Authorization: signed.authorization, 'Content-Type': 'application/xml' }, body: '<Invoices><Invoice/></Invoices>' });
  await expectPassedAuth(sb, withBody, app.consumerKey, KAURI.id);
});

privateApp.run();
