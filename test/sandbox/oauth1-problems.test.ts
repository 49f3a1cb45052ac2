import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { expectPassedAuth, expectProblem, lastRequest } from '../helpers/oauth1-assert';
import { linkApp, oauthEncode, oauthFetch, registerApp, signRequest, withToken, type ClientCredentials, type LinkedToken, type TestApp } from '../helpers/oauth1-client';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox';

const HARBOURSIDE = DEMO_ORGANISATIONS[0]!;

interface Context {
  sb: TestSandbox;
  app: TestApp;
  partner: TestApp;
  linked: LinkedToken;
  credentials: ClientCredentials;
  now: () => Date;
}

const problems = suite<Context>('oauth1.problems');

problems.before(async (context) => {
  context.sb = await startTestSandbox();
  context.now = () => context.sb.sandbox.deps.clock.now();
  context.app = await registerApp(context.sb.url, 'public');
  context.partner = await registerApp(context.sb.url, 'partner');
  context.linked = await linkApp(context.sb.url, context.app, { now: context.now });
  context.credentials = withToken(context.app, context.linked);
});
problems.after(async (context) => {
  await context.sb.stop();
});

const api = (sb: TestSandbox, query = '') => `${sb.url}/api.xro/2.0/Organisation${query}`;
const nowSeconds = (now: () => Date) => Math.floor(now().getTime() / 1000);

// A Bearer token is OAuth 2.0's business since the sandbox learnt it (test/sandbox/oauth2-api.test.ts).
problems('no OAuth at all (or a Basic header) is parameter_absent, listing every missing parameter', async ({ sb }) => {
  for (const headers of [{}, { Authorization: 'Basic YWJjOmRlZg==' }] as Array<Record<string, string>>) {
    const body = await expectProblem(await fetch(api(sb), { headers }), 400, 'parameter_absent', 'Missing required parameter: oauth_consumer_key, oauth_signature_method, oauth_signature, oauth_timestamp, oauth_nonce, oauth_token');
    assert.is(body['oauth_parameters_absent'], 'oauth_consumer_key&oauth_signature_method&oauth_signature&oauth_timestamp&oauth_nonce&oauth_token');
  }
  const logged = await lastRequest(sb);
  assert.is(logged.status, 400);
  assert.is(logged.problem, 'parameter_absent');
});

problems('an Authorization header that cannot be read is parameter_rejected', async ({ sb }) => {
  await expectProblem(await fetch(api(sb), { headers: { Authorization: 'OAuth oauth_consumer_key="unterminated' } }), 400, 'parameter_rejected', 'The Authorization header could not be read as OAuth parameters (OAuth name="value", …)');
});

problems('an oauth_version other than 1.0 is version_rejected', async ({ sb, credentials, now }) => {
  const body = await expectProblem(await oauthFetch({ method: 'GET', url: api(sb), credentials, oauth: { oauth_version: '2.0' }, now }), 400, 'version_rejected', 'Only OAuth version 1.0 is supported');
  assert.is(body['oauth_acceptable_versions'], '1.0-1.0');
});

problems('an unknown consumer key is consumer_key_unknown (401)', async ({ sb, credentials, now }) => {
  await expectProblem(await oauthFetch({ method: 'GET', url: api(sb), credentials: { ...credentials, consumerKey: 'NOBODY' }, now }), 401, 'consumer_key_unknown', 'Consumer key was not recognised');
});

problems('the wrong signature method for the app type is signature_method_rejected (400)', async ({ sb, partner, credentials, now }) => {
  await expectProblem(await oauthFetch({ method: 'GET', url: api(sb), credentials: { ...credentials, signatureMethod: 'PLAINTEXT' }, now }), 400, 'signature_method_rejected', 'The signature method PLAINTEXT is not supported; public applications sign with HMAC-SHA1');
  await expectProblem(await oauthFetch({ method: 'GET', url: api(sb), credentials: { ...credentials, signatureMethod: 'RSA-SHA1' }, now }), 400, 'signature_method_rejected', 'No certificates have been registered for the consumer');
  const hmacPartner = { ...partner.credentials, signatureMethod: 'HMAC-SHA1' as const };
  await expectProblem(await oauthFetch({ method: 'POST', url: `${sb.url}/oauth/RequestToken`, credentials: hmacPartner, oauth: { oauth_callback: 'oob' }, now }), 400, 'signature_method_rejected', 'HMAC-SHA1 is not accepted from partner applications; sign with RSA-SHA1');
});

problems('a timestamp outside the window either way is timestamp_refused; inside it is fine', async ({ sb, credentials, now }) => {
  const at = (offset: number) => oauthFetch({ method: 'GET', url: api(sb), credentials, timestamp: String(nowSeconds(now) + offset), now });
  for (const offset of [-301, 301]) {
    const body = await expectProblem(await at(offset), 401, 'timestamp_refused', 'The timestamp must be within 300 seconds of the server time');
    assert.match(body['oauth_acceptable_timestamps']!, /^\d+-\d+$/);
  }
  await expectProblem(await oauthFetch({ method: 'GET', url: api(sb), credentials, timestamp: 'yesterday', now }), 401, 'timestamp_refused');
  await expectPassedAuth(sb, await at(-290), credentials.consumerKey, HARBOURSIDE.id);
  await expectPassedAuth(sb, await at(290), credentials.consumerKey, HARBOURSIDE.id);
});

problems('a wrong consumer secret or token secret is signature_invalid (401)', async ({ sb, credentials, now }) => {
  await expectProblem(await oauthFetch({ method: 'GET', url: api(sb), credentials: { ...credentials, consumerSecret: 'wrong' }, now }), 401, 'signature_invalid', 'Failed to validate signature');
  await expectProblem(await oauthFetch({ method: 'GET', url: api(sb), credentials: { ...credentials, tokenSecret: 'wrong' }, now }), 401, 'signature_invalid', 'Failed to validate signature');
});

problems('a replayed request is nonce_used (401); the same nonce with another timestamp is fine', async ({ sb, credentials, now }) => {
  const timestamp = String(nowSeconds(now));
  const signed = signRequest({ method: 'GET', url: api(sb), credentials, timestamp, nonce: 'replay-me' });
  await expectPassedAuth(sb, await fetch(api(sb), { headers: { Authorization: signed.authorization } }), credentials.consumerKey, HARBOURSIDE.id);
  await expectProblem(await fetch(api(sb), { headers: { Authorization: signed.authorization } }), 401, 'nonce_used', 'The nonce has already been used with this timestamp');
  const later = await oauthFetch({ method: 'GET', url: api(sb), credentials, timestamp: String(Number(timestamp) - 1), nonce: 'replay-me' });
  await expectPassedAuth(sb, later, credentials.consumerKey, HARBOURSIDE.id);
});

problems('a forged request does not burn the nonce of the genuine one', async ({ sb, credentials, now }) => {
  const timestamp = String(nowSeconds(now));
  await expectProblem(await oauthFetch({ method: 'GET', url: api(sb), credentials: { ...credentials, consumerSecret: 'forger' }, timestamp, nonce: 'contested' }), 401, 'signature_invalid');
  await expectPassedAuth(sb, await oauthFetch({ method: 'GET', url: api(sb), credentials, timestamp, nonce: 'contested' }), credentials.consumerKey, HARBOURSIDE.id);
});

problems('an unknown access token is token_rejected (401)', async ({ sb, credentials, now }) => {
  await expectProblem(await oauthFetch({ method: 'GET', url: api(sb), credentials: { ...credentials, token: 'UNKNOWN' }, now }), 401, 'token_rejected', 'The access token has not been authorized, or has been revoked by the user');
});

problems('verifies query strings with "=", quotes, "+", spaces, unicode and repeated names', async ({ sb, credentials, now }) => {
  const queries = [
    `?where=${oauthEncode('Reference=="A+B c"')}`, // %2B for a literal plus, %20 for the space
    '?where=Reference%3D%3D%22A%2BB+c%22', // "+" for the space, as HTML forms encode it
    '?where=Reference=="A+B c"&order=Date DESC', // left to fetch to encode: quotes and spaces become %22 and %20
    '?where=Name%3D%3D%22Caf%C3%A9%20%E2%98%95%22&where=Status%3D%3D%22AUTHORISED%22',
    '?ids=b&ids=a&ids=a&page=2&empty=&flag',
    `?where=${oauthEncode("Name.StartsWith(\"O'Brien\") && Total > 10*2")}`,
  ];
  for (const query of queries) {
    const response = await oauthFetch({ method: 'GET', url: api(sb, query), credentials, now });
    await expectPassedAuth(sb, response, credentials.consumerKey, HARBOURSIDE.id);
  }
});

problems('signing "+" as a plus when the wire means a space is signature_invalid', async ({ sb, credentials, now }) => {
  // The client signs where=A+B (a literal plus) but sends "A+B", which form decoding reads as "A B".
  const url = api(sb, '?where=A+B');
  const signedAsPlus = signRequest({ method: 'GET', url: api(sb, '?where=A%2BB'), credentials, now });
  await expectProblem(await fetch(url, { headers: { Authorization: signedAsPlus.authorization } }), 401, 'signature_invalid', 'Failed to validate signature');
});

problems('accepts the protocol parameters in the query or a form body instead of the header (RFC 5849 §3.5)', async ({ sb, credentials, now }) => {
  const url = api(sb, '?page=1');
  const signed = signRequest({ method: 'GET', url, credentials, now });
  const inQuery = `${url}&${Object.entries({ ...signed.oauth, oauth_signature: signed.signature })
    .map(([name, value]) => `${name}=${oauthEncode(value)}`)
    .join('&')}`;
  await expectPassedAuth(sb, await fetch(inQuery), credentials.consumerKey, HARBOURSIDE.id);

  const postUrl = `${sb.url}/oauth/RequestToken`;
  const { token: _token, tokenSecret: _secret, ...consumerOnly } = credentials;
  const requestSigned = signRequest({ method: 'POST', url: postUrl, credentials: consumerOnly, oauth: { oauth_callback: 'oob' }, now });
  const body = Object.entries({ ...requestSigned.oauth, oauth_signature: requestSigned.signature })
    .map(([name, value]) => `${name}=${oauthEncode(value)}`)
    .join('&');
  const response = await fetch(postUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
  assert.is(response.status, 200, await response.clone().text());
  assert.match(await response.text(), /^oauth_token=[A-Z0-9]{30}&/);
});

problems('ignores the realm and accepts RequestToken by GET as older SDKs sent it', async ({ sb, app, now }) => {
  const response = await oauthFetch({ method: 'GET', url: `${sb.url}/oauth/RequestToken`, credentials: app.credentials, oauth: { oauth_callback: 'oob' }, realm: 'https://api.xero.com/', now });
  assert.is(response.status, 200);
});

problems('records the oauth_problem in the request log', async ({ sb, credentials, now }) => {
  await oauthFetch({ method: 'GET', url: api(sb), credentials: { ...credentials, tokenSecret: 'wrong' }, now });
  const logged = await lastRequest(sb);
  assert.is(logged.status, 401);
  assert.is(logged.problem, 'signature_invalid');
});

problems.run();
