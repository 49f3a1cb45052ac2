import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeForm } from '../../src/domain/oauth1/form-encoding';
import { signRequest, type SigningCredentials } from '../../src/domain/oauth1/sign-request';
import { Secret } from '../../src/lib/secret';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { lastRequest } from '../helpers/oauth1-assert';
import { linkApp, registerApp, TEST_PRIVATE_KEY } from '../helpers/oauth1-client';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox';

const KAURI = DEMO_ORGANISATIONS[2]!;

interface Context {
  sb: TestSandbox;
  now: () => Date;
  hmac: SigningCredentials;
  hmacOrg: string;
  rsa: SigningCredentials;
}

// The nasty queries, as an app would write them: literal "=", quotes, spaces, "+", unicode,
// a literal plus sent as %2B, and names repeated (one with an empty first value).
const NASTY = [
  '/api.xro/2.0/Invoices?where=Reference=="A+B c=d"&order=Date DESC',
  '/api.xro/2.0/Invoices?where=Reference%3D%3D%22A%2BB%22&order=Date%20DESC&page=1',
  '/api.xro/2.0/Contacts?where=Name=="Café ☕ \'quoted\' (x)*!"&tag=b&tag=a&tag=',
  '/api.xro/2.0/Invoices?c%40=&c%40=x&order=Date+DESC&where=Total>=1',
];

const signed = suite<Context>('oauth1.signRequest against the sandbox verifier');

signed.before(async (context) => {
  context.sb = await startTestSandbox();
  context.now = () => context.sb.sandbox.deps.clock.now();
  // The public app's access token comes from the test client; every call below is signed by the product signer.
  const publicApp = await registerApp(context.sb.url, 'public');
  const linked = await linkApp(context.sb.url, publicApp, { now: context.now });
  context.hmac = { consumerKey: publicApp.consumerKey, consumerSecret: new Secret(publicApp.consumerSecret), token: linked.token, tokenSecret: new Secret(linked.secret), signatureMethod: 'HMAC-SHA1' };
  context.hmacOrg = linked.orgMuid;
  const privateApp = await registerApp(context.sb.url, 'private', { organisationId: KAURI.id });
  context.rsa = { consumerKey: privateApp.consumerKey, privateKeyPem: new Secret(TEST_PRIVATE_KEY), token: privateApp.consumerKey, signatureMethod: 'RSA-SHA1' };
});
signed.after(async ({ sb }) => {
  await sb.stop();
});

async function expectAccepted(context: Context, credentials: SigningCredentials, organisationId: string, request: { method: string; path: string; form?: string }): Promise<void> {
  const url = `${context.sb.url}${request.path}`;
  const { authorization } = signRequest({ method: request.method, url, credentials, now: context.now(), ...(request.form !== undefined ? { form: request.form } : {}) });
  const headers: Record<string, string> = { Authorization: authorization, Accept: 'application/json' };
  if (request.form !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  const response = await fetch(url, { method: request.method, headers, ...(request.form !== undefined ? { body: request.form } : {}) });
  const text = await response.text();
  assert.not.ok(text.startsWith('oauth_problem='), `${request.method} ${request.path} was refused: ${response.status} ${text}`);
  assert.is.not(response.status, 401, text);
  const logged = await lastRequest(context.sb);
  assert.is(logged.status, response.status);
  assert.is(logged.problem, null, `${request.path}: ${logged.problem}`);
  assert.is(logged.consumerKey, credentials.consumerKey);
  assert.is(logged.organisationId, organisationId);
}

signed('HMAC-SHA1 (public app): GETs with nasty queries are accepted', async (context) => {
  for (const path of NASTY) await expectAccepted(context, context.hmac, context.hmacOrg, { method: 'GET', path });
});

signed('RSA-SHA1 (private app): GETs with nasty queries are accepted, many signatures in a row', async (context) => {
  for (const path of NASTY) await expectAccepted(context, context.rsa, KAURI.id, { method: 'GET', path });
});

signed('a signed xml= form body with "+" and repeated names is accepted', async (context) => {
  const form = `${encodeForm([['xml', '<Contacts><Contact><Name>Signed+Form Café</Name></Contact></Contacts>']])}&note=a+b&note=`;
  await expectAccepted(context, context.rsa, KAURI.id, { method: 'PUT', path: '/api.xro/2.0/Contacts?summarizeErrors=false', form });
});

signed('the same request with one query character changed after signing is signature_invalid', async (context) => {
  const url = `${context.sb.url}/api.xro/2.0/Invoices?where=Reference=="A+B"`;
  const { authorization } = signRequest({ method: 'GET', url, credentials: context.hmac, now: context.now() });
  const response = await fetch(url.replace('A+B', 'A%2BB'), { headers: { Authorization: authorization } });
  assert.is(response.status, 401);
  assert.match(await response.text(), /^oauth_problem=signature_invalid/);
});

signed.run();
