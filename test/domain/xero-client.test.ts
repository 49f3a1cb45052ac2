import { generateKeyPairSync } from 'node:crypto';
import { oauth1Auth } from '../../src/domain/xero/auth';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildAccessTokenRequest, processAccessTokenResponse, type AccessToken } from '../../src/domain/xero/access-token';
import { privateAppAccess, type XeroAccess, type XeroConsumer } from '../../src/domain/xero/credentials';
import { authorizeUrl, xeroEndpoints } from '../../src/domain/xero/endpoints';
import { buildOrganisationRequest, processOrganisationResponse } from '../../src/domain/xero/organisation';
import { parseXeroProblem } from '../../src/domain/xero/problem';
import { buildRenewalRequest, processRenewalResponse } from '../../src/domain/xero/renew-access-token';
import { buildRequestTokenRequest, processRequestTokenResponse } from '../../src/domain/xero/request-token';
import { send, type Transport } from '../../src/domain/xero/send';
import { XeroError } from '../../src/domain/xero/xero-error';
import { AppError } from '../../src/lib/errors';
import { Secret } from '../../src/lib/secret';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { advanceClock } from '../helpers/oauth1-assert';
import { approve, registerApp, TEST_PRIVATE_KEY } from '../helpers/oauth1-client';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox';

const [HARBOURSIDE, RIVERBEND, KAURI] = DEMO_ORGANISATIONS as [typeof DEMO_ORGANISATIONS[0], typeof DEMO_ORGANISATIONS[0], typeof DEMO_ORGANISATIONS[0]];
const transport = fetch as Transport;
const REVOKED = 'The access token has not been authorized, or has been revoked by the user';

// The sandbox's default plan; Class and Edition come in JSON answers only (Xero's XSD predates them).
const STANDARD_PLAN = { planClass: 'STANDARD', edition: 'BUSINESS' } as { planClass: string | undefined; edition: string | undefined };
const organisationOf = (org: typeof HARBOURSIDE, plan = STANDARD_PLAN) => ({ organisationId: org.id, name: org.name, shortCode: org.shortCode, countryCode: org.countryCode, baseCurrency: org.baseCurrency, ...plan, periodLockDate: undefined, endOfYearLockDate: undefined });

/** Runs `work` and returns the XeroError it throws, checking code, flag and message. */
async function expectXeroError(work: () => unknown, expected: { code: string; retryable: boolean; kind: string | undefined; message: string }): Promise<XeroError> {
  try {
    await work();
  } catch (error) {
    assert.instance(error, XeroError, String(error));
    const e = error as XeroError;
    assert.equal({ code: e.code, retryable: e.retryable, kind: e.problem?.kind, message: e.message }, expected);
    assert.is(e.delivery, 'answered');
    return e;
  }
  return assert.unreachable('expected a XeroError') as never;
}

/** RequestToken → scripted approval → AccessToken, through the product's build/process pairs. */
async function link(sb: TestSandbox, consumer: XeroConsumer, organisationId: string, now: () => Date): Promise<AccessToken> {
  const requestToken = processRequestTokenResponse(await send(transport, buildRequestTokenRequest({ apiUrl: sb.url, consumer, callback: 'http://proxy.local/link/callback', now: now() })));
  assert.is(requestToken.callbackConfirmed, true);
  assert.match(requestToken.token, /^[A-Z0-9]{30}$/);
  const page = await fetch(authorizeUrl(sb.url, requestToken.token));
  assert.is(page.status, 200, 'the Authorize page opens');
  const approval = await approve(sb.url, requestToken.token, organisationId);
  const callback = new URL(approval.redirect!);
  assert.is(`${callback.origin}${callback.pathname}`, 'http://proxy.local/link/callback');
  assert.is(callback.searchParams.get('oauth_token'), requestToken.token);
  const verifier = callback.searchParams.get('oauth_verifier')!;
  const access = processAccessTokenResponse(
    await send(transport, buildAccessTokenRequest({ apiUrl: sb.url, consumer, requestToken: { token: requestToken.token, secret: requestToken.secret }, verifier, now: now() })),
  );
  assert.is(access.xeroOrgMuid, organisationId);
  return access;
}

const getOrganisation = async (sb: TestSandbox, consumer: XeroConsumer, access: XeroAccess, now: () => Date) =>
  send(transport, buildOrganisationRequest({ apiUrl: sb.url, auth: oauth1Auth(consumer, access, now()) }));

const tokenOf = (access: AccessToken): XeroAccess => ({ token: access.token, secret: access.secret });

const partner = suite<{ sb: TestSandbox; now: () => Date; consumer: XeroConsumer }>('xero client: partner app against the sandbox');

partner.before(async (context) => {
  context.sb = await startTestSandbox();
  context.now = () => context.sb.sandbox.deps.clock.now();
  const app = await registerApp(context.sb.url, 'partner');
  context.consumer = { consumerKey: app.consumerKey, privateKeyPem: new Secret(TEST_PRIVATE_KEY), signatureMethod: 'RSA-SHA1' };
});
partner.after(async ({ sb }) => sb.stop());

partner('links, reads the organisation, renews, rejects the old token, expires and renews an expired token', async ({ sb, now, consumer }) => {
  const first = await link(sb, consumer, RIVERBEND.id, now);
  assert.is(first.expiresIn, 1800);
  assert.is(first.authorizationExpiresIn, 315360000);
  assert.match(first.sessionHandle!.reveal(), /^[A-Z0-9]{30}$/);
  assert.equal(processOrganisationResponse(await getOrganisation(sb, consumer, tokenOf(first), now)), organisationOf(RIVERBEND));

  const second = processRenewalResponse(await send(transport, buildRenewalRequest({ apiUrl: sb.url, consumer, accessToken: tokenOf(first), sessionHandle: first.sessionHandle!, now: now() })));
  assert.is.not(second.token.reveal(), first.token.reveal());
  assert.is.not(second.sessionHandle!.reveal(), first.sessionHandle!.reveal());
  assert.equal([second.expiresIn, second.xeroOrgMuid], [1800, RIVERBEND.id]);
  assert.equal(processOrganisationResponse(await getOrganisation(sb, consumer, tokenOf(second), now)), organisationOf(RIVERBEND));

  const stale = await getOrganisation(sb, consumer, tokenOf(first), now);
  assert.equal([parseXeroProblem(stale).kind, parseXeroProblem(stale).oauthProblem], ['token_rejected', 'token_rejected']);
  await expectXeroError(() => processOrganisationResponse(stale), {
    code: 'upstream',
    retryable: false,
    kind: 'token_rejected',
    message: `Xero rejected the access token: it was revoked, replaced by a newer one, or never authorised. Xero said: "${REVOKED}".`,
  });
  const staleRenewal = await send(transport, buildRenewalRequest({ apiUrl: sb.url, consumer, accessToken: tokenOf(first), sessionHandle: first.sessionHandle!, now: now() }));
  await expectXeroError(() => processRenewalResponse(staleRenewal), {
    code: 'upstream',
    retryable: false,
    kind: 'token_rejected',
    message: 'Xero rejected the access token: it was revoked, replaced by a newer one, or never authorised. Xero said: "Token [redacted] does not match an expected REQUEST token".',
  });

  await advanceClock(sb, 31 * 60);
  const expired = await getOrganisation(sb, consumer, tokenOf(second), now);
  assert.is(parseXeroProblem(expired).kind, 'token_expired');
  await expectXeroError(() => processOrganisationResponse(expired), {
    code: 'upstream',
    retryable: false,
    kind: 'token_expired',
    message: 'The Xero access token has expired. Xero said: "The access token has expired".',
  });

  const third = processRenewalResponse(await send(transport, buildRenewalRequest({ apiUrl: sb.url, consumer, accessToken: tokenOf(second), sessionHandle: second.sessionHandle!, now: now() })));
  assert.equal(processOrganisationResponse(await getOrganisation(sb, consumer, tokenOf(third), now)), organisationOf(RIVERBEND));
});

partner('an unknown verifier and an unapproved request token are refused as problems, not tokens', async ({ sb, now, consumer }) => {
  const requestToken = processRequestTokenResponse(await send(transport, buildRequestTokenRequest({ apiUrl: sb.url, consumer, callback: 'oob', now: now() })));
  const response = await send(transport, buildAccessTokenRequest({ apiUrl: sb.url, consumer, requestToken: { token: requestToken.token, secret: requestToken.secret }, verifier: '1234567', now: now() }));
  const error = await expectXeroError(() => processAccessTokenResponse(response), {
    code: 'upstream',
    retryable: false,
    kind: 'permission_denied',
    message: 'Xero denied permission for this request. Xero said: "The user has not yet authorised the request token".',
  });
  assert.is(error.problem?.oauthProblem, 'permission_unknown');
});

partner.run();

const publicApp = suite<{ sb: TestSandbox; now: () => Date; consumer: XeroConsumer }>('xero client: public app against the sandbox');

publicApp.before(async (context) => {
  context.sb = await startTestSandbox();
  context.now = () => context.sb.sandbox.deps.clock.now();
  const app = await registerApp(context.sb.url, 'public');
  context.consumer = { consumerKey: app.consumerKey, consumerSecret: new Secret(app.consumerSecret), signatureMethod: 'HMAC-SHA1' };
});
publicApp.after(async ({ sb }) => sb.stop());

publicApp('links with HMAC-SHA1, gets no session handle, and reads the organisation as JSON or XML', async ({ sb, now, consumer }) => {
  const access = await link(sb, consumer, HARBOURSIDE.id, now);
  assert.equal([access.expiresIn, access.sessionHandle, access.authorizationExpiresIn], [1800, undefined, undefined]);
  const json = await getOrganisation(sb, consumer, tokenOf(access), now);
  assert.match(json.headers['content-type']!, /application\/json/);
  assert.equal(processOrganisationResponse(json), organisationOf(HARBOURSIDE));
  const request = buildOrganisationRequest({ apiUrl: sb.url, auth: oauth1Auth(consumer, tokenOf(access), now()) });
  const xml = await send(transport, { ...request, headers: { ...request.headers, Accept: 'application/xml' } });
  assert.match(xml.body, /^<Response/);
  assert.equal(processOrganisationResponse(xml), organisationOf(HARBOURSIDE, { planClass: undefined, edition: undefined }));
});

publicApp('a wrong consumer secret is a signature problem; a token 31 minutes old is token_expired', async ({ sb, now, consumer }) => {
  const access = await link(sb, consumer, HARBOURSIDE.id, now);
  const wrong = await getOrganisation(sb, { ...consumer, consumerSecret: new Secret('NOT-THE-SECRET') }, tokenOf(access), now);
  await expectXeroError(() => processOrganisationResponse(wrong), { code: 'upstream', retryable: false, kind: 'signature', message: 'Xero could not verify the request signature. Xero said: "Failed to validate signature".' });
  await advanceClock(sb, 31 * 60);
  await expectXeroError(async () => processOrganisationResponse(await getOrganisation(sb, consumer, tokenOf(access), now)), {
    code: 'upstream',
    retryable: false,
    kind: 'token_expired',
    message: 'The Xero access token has expired. Xero said: "The access token has expired".',
  });
});

publicApp.run();

const privateApp = suite<{ sb: TestSandbox; now: () => Date; consumer: XeroConsumer }>('xero client: private app against the sandbox');

privateApp.before(async (context) => {
  context.sb = await startTestSandbox();
  context.now = () => context.sb.sandbox.deps.clock.now();
  const app = await registerApp(context.sb.url, 'private', { organisationId: KAURI.id });
  context.consumer = { consumerKey: app.consumerKey, privateKeyPem: new Secret(TEST_PRIVATE_KEY), signatureMethod: 'RSA-SHA1' };
});
privateApp.after(async ({ sb }) => sb.stop());

privateApp('reads its one organisation with the consumer key as the token', async ({ sb, now, consumer }) => {
  assert.equal(processOrganisationResponse(await getOrganisation(sb, consumer, privateAppAccess(consumer), now)), organisationOf(KAURI));
});

privateApp('a key other than the registered one is a signature problem', async ({ sb, now, consumer }) => {
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const response = await getOrganisation(sb, { ...consumer, privateKeyPem: new Secret(other) }, privateAppAccess(consumer), now);
  const error = await expectXeroError(() => processOrganisationResponse(response), { code: 'upstream', retryable: false, kind: 'signature', message: 'Xero could not verify the request signature. Xero said: "Failed to validate signature".' });
  assert.is(error.hint, "Check the app's consumer secret or private key against what is registered with Xero.");
});

privateApp('a reused nonce is nonce_used and retryable; a clock an hour out is timestamp_refused', async ({ sb, now, consumer }) => {
  const nonce = 'reused-nonce-1';
  const build = () => buildOrganisationRequest({ apiUrl: sb.url, auth: oauth1Auth(consumer, privateAppAccess(consumer), now(), nonce) });
  processOrganisationResponse(await send(transport, build()));
  const again = await send(transport, build());
  await expectXeroError(() => processOrganisationResponse(again), {
    code: 'unavailable',
    retryable: true,
    kind: 'nonce_used',
    message: 'Xero had already seen this request nonce. Xero said: "The nonce has already been used with this timestamp".',
  });
  const skewed = await send(transport, buildOrganisationRequest({ apiUrl: sb.url, auth: oauth1Auth(consumer, privateAppAccess(consumer), new Date(now().getTime() - 3600_000)) }));
  await expectXeroError(() => processOrganisationResponse(skewed), {
    code: 'upstream',
    retryable: false,
    kind: 'timestamp_refused',
    message: 'Xero refused the request\'s timestamp; this computer\'s clock may be wrong. Xero said: "The timestamp must be within 300 seconds of the server time".',
  });
});

privateApp('an unknown consumer key is consumer_unknown', async ({ sb, now, consumer }) => {
  const stranger = { ...consumer, consumerKey: 'NOSUCHCONSUMERKEY0000000000000' };
  await expectXeroError(async () => processOrganisationResponse(await getOrganisation(sb, stranger, privateAppAccess(stranger), now)), {
    code: 'upstream',
    retryable: false,
    kind: 'consumer_unknown',
    message: 'Xero does not recognise the consumer key. Xero said: "Consumer key was not recognised".',
  });
});

privateApp.run();

const inputs = suite('xero client: building requests');

inputs('derives every URL from xero.api_url, keeping a path prefix and dropping a trailing slash', () => {
  assert.equal(xeroEndpoints('https://api.xero.com'), {
    requestToken: 'https://api.xero.com/oauth/RequestToken',
    authorize: 'https://api.xero.com/oauth/Authorize',
    accessToken: 'https://api.xero.com/oauth/AccessToken',
    accounting: 'https://api.xero.com/api.xro/2.0',
    payroll: 'https://api.xero.com/payroll.xro/1.0',
    payroll2: 'https://api.xero.com/payroll.xro/2.0',
    connections: 'https://api.xero.com/connections',
  });
  assert.is(xeroEndpoints('http://127.0.0.1:9090/xero/').accessToken, 'http://127.0.0.1:9090/xero/oauth/AccessToken');
  assert.is(authorizeUrl('https://api.xero.com', 'ABC', [['scope', 'payroll.employees,payroll.timesheets']]), 'https://api.xero.com/oauth/Authorize?oauth_token=ABC&scope=payroll.employees%2Cpayroll.timesheets');
});

inputs('refuses a bad api_url, a long callback and an empty verifier or session handle, with sentences', () => {
  const consumer: XeroConsumer = { consumerKey: 'ck', consumerSecret: new Secret('cs'), signatureMethod: 'HMAC-SHA1' };
  const cases: Array<[() => unknown, string]> = [
    [() => xeroEndpoints('api.xero.com'), 'xero.api_url: "api.xero.com" is not an absolute URL.'],
    [() => xeroEndpoints('https://api.xero.com/?x=1'), 'xero.api_url: must not have a query, fragment, user name or password.'],
    [() => buildRequestTokenRequest({ apiUrl: 'https://api.xero.com', consumer, callback: `https://x.test/${'a'.repeat(250)}`, now: new Date() }), "The callback URL is longer than Xero's 250 characters."],
    [() => buildAccessTokenRequest({ apiUrl: 'https://api.xero.com', consumer, requestToken: { token: 't', secret: new Secret('s') }, verifier: '', now: new Date() }), 'The verifier is empty.'],
    [() => buildRenewalRequest({ apiUrl: 'https://api.xero.com', consumer, accessToken: { token: 't', secret: new Secret('s') }, sessionHandle: new Secret(''), now: new Date() }), 'The session handle is empty; only partner apps can renew.'],
  ];
  for (const [run, message] of cases) {
    try {
      run();
      assert.unreachable(`expected: ${message}`);
    } catch (error) {
      assert.instance(error, AppError);
      assert.equal([(error as AppError).code, (error as AppError).message], ['invalid', message]);
    }
  }
});

inputs('a 200 token answer without a token, or carrying an oauth_problem, is not taken as a token', async () => {
  await expectXeroError(() => processAccessTokenResponse({ status: 200, headers: {}, body: 'oauth_token_secret=x' }), {
    code: 'upstream',
    retryable: false,
    kind: undefined,
    message: "Xero's access-token answer has no oauth_token or oauth_token_secret.",
  });
  await expectXeroError(() => processRequestTokenResponse({ status: 200, headers: {}, body: 'oauth_problem=consumer_key_unknown' }), {
    code: 'upstream',
    retryable: false,
    kind: 'consumer_unknown',
    message: 'Xero does not recognise the consumer key.',
  });
});

inputs('a token answer keeps its secrets out of logs and JSON', () => {
  const access = processAccessTokenResponse({ status: 200, headers: {}, body: 'oauth_token=TOK&oauth_token_secret=SEC&oauth_expires_in=1800&oauth_session_handle=HAN&xero_org_muid=org-1' });
  assert.is(JSON.stringify(access), '{"token":"[redacted]","secret":"[redacted]","expiresIn":1800,"sessionHandle":"[redacted]","xeroOrgMuid":"org-1"}');
  assert.equal([access.token.reveal(), access.secret.reveal(), access.sessionHandle!.reveal()], ['TOK', 'SEC', 'HAN']);
});

inputs.run();
