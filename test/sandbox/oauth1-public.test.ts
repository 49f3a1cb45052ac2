import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { advanceClock, expectPassedAuth, expectProblem } from '../helpers/oauth1-assert';
import { approve, exchange, getRequestToken, linkApp, oauthFetch, parseForm, registerApp, withToken, type TestApp } from '../helpers/oauth1-client';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox';

const REVOKED = 'The access token has not been authorized, or has been revoked by the user';
const [HARBOURSIDE, RIVERBEND, KAURI] = DEMO_ORGANISATIONS as [(typeof DEMO_ORGANISATIONS)[0], (typeof DEMO_ORGANISATIONS)[0], (typeof DEMO_ORGANISATIONS)[0]];

const flow = suite<{ sb: TestSandbox; app: TestApp; now: () => Date }>('oauth1.publicApp');

flow.before(async (context) => {
  context.sb = await startTestSandbox();
  context.app = await registerApp(context.sb.url, 'public', { name: 'Till <Sync> & "Co"' });
  context.now = () => context.sb.sandbox.deps.clock.now();
});
flow.after(async (context) => {
  await context.sb.stop();
});

const submitPage = (sb: TestSandbox, fields: Record<string, string>) =>
  fetch(`${sb.url}/oauth/Authorize`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
const callApi = (sb: TestSandbox, app: TestApp, linked: { token: string; secret: string }, now: () => Date) =>
  oauthFetch({ method: 'GET', url: `${sb.url}/api.xro/2.0/Organisation`, credentials: withToken(app, linked), now });

flow('answers RequestToken with a form-encoded token, secret and oauth_callback_confirmed, labelled text/html', async ({ sb, app, now }) => {
  const response = await oauthFetch({ method: 'POST', url: `${sb.url}/oauth/RequestToken`, credentials: app.credentials, oauth: { oauth_callback: 'http://localhost:9999/cb' }, now });
  assert.is(response.status, 200);
  assert.is(response.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.match(await response.text(), /^oauth_token=[A-Z0-9]{30}&oauth_token_secret=[A-Z0-9]{30}&oauth_callback_confirmed=true$/);
});

flow('walks RequestToken → Authorize page → Allow → AccessToken → an API call that gets past OAuth', async ({ sb, app, now }) => {
  const request = await getRequestToken(sb.url, app, { callback: 'http://localhost:9999/cb?state=a%20b#frag', now });

  const page = await fetch(`${sb.url}/oauth/Authorize?oauth_token=${request.token}&scope=payroll.employees`);
  assert.is(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  const html = await page.text();
  for (const org of DEMO_ORGANISATIONS) assert.ok(html.includes(org.name), `the page lists ${org.name}`);
  assert.ok(html.includes(`name="oauth_token" value="${request.token}"`));
  assert.ok(html.includes('Till &lt;Sync&gt; &amp; &quot;Co&quot;'), 'the app name is escaped');
  assert.not.ok(html.includes('<Sync>'));

  const allowed = await submitPage(sb, { oauth_token: request.token, organisationId: RIVERBEND.id, decision: 'allow' });
  assert.is(allowed.status, 302);
  const location = allowed.headers.get('location')!;
  assert.ok(location.startsWith(`http://localhost:9999/cb?state=a%20b&oauth_token=${request.token}&oauth_verifier=`), location);
  assert.ok(location.endsWith('#frag'));
  const params = new URL(location).searchParams;
  assert.match(params.get('oauth_verifier')!, /^\d{7}$/);
  assert.is(params.get('org'), RIVERBEND.shortCode);

  const response = await exchange(sb.url, app, request, params.get('oauth_verifier')!, now);
  assert.is(response.status, 200);
  assert.is(response.headers.get('content-type'), 'text/html; charset=utf-8');
  const answer = parseForm(await response.text());
  assert.equal(Object.keys(answer), ['oauth_token', 'oauth_token_secret', 'oauth_expires_in', 'xero_org_muid']);
  assert.is(answer['oauth_expires_in'], '1800');
  assert.is(answer['xero_org_muid'], RIVERBEND.id);

  const linked = { token: answer['oauth_token']!, secret: answer['oauth_token_secret']! };
  await expectPassedAuth(sb, await callApi(sb, app, linked, now), app.consumerKey, RIVERBEND.id);
});

flow('expires the access token 30 minutes later by the sandbox clock', async ({ sb, app, now }) => {
  const linked = await linkApp(sb.url, app, { now });
  await advanceClock(sb, 29 * 60);
  await expectPassedAuth(sb, await callApi(sb, app, linked, now), app.consumerKey, HARBOURSIDE.id);
  await advanceClock(sb, 2 * 60);
  await expectProblem(await callApi(sb, app, linked, now), 401, 'token_expired', 'The access token has expired');
});

flow('refuses to renew a public token: the user must authorise again', async ({ sb, app, now }) => {
  const linked = await linkApp(sb.url, app, { now });
  const response = await oauthFetch({ method: 'POST', url: `${sb.url}/oauth/AccessToken`, credentials: withToken(app, linked), oauth: { oauth_session_handle: 'ANY' }, now });
  await expectProblem(response, 401, 'token_rejected', 'Only partner applications can renew access tokens; a public application must ask the user to authorise again');
});

flow('Deny on the page redirects with oauth_problem=permission_denied, and the token cannot be exchanged', async ({ sb, app, now }) => {
  const request = await getRequestToken(sb.url, app, { now });
  const denied = await submitPage(sb, { oauth_token: request.token, decision: 'deny' });
  assert.is(denied.status, 302);
  assert.is(denied.headers.get('location'), `http://localhost:9999/callback?oauth_token=${request.token}&oauth_problem=permission_denied`);
  await expectProblem(await exchange(sb.url, app, request, '1234567', now), 401, 'permission_denied', 'The user denied access to their organisation');
});

flow('a scripted deny answers the redirect and no verifier', async ({ sb, app, now }) => {
  const request = await getRequestToken(sb.url, app, { now });
  const outcome = await approve(sb.url, request.token, undefined, 'deny');
  assert.equal(outcome, { redirect: `http://localhost:9999/callback?oauth_token=${request.token}&oauth_problem=permission_denied`, verifier: null, organisationId: null });
});

flow('an oob app is shown the verifier to type in, which then exchanges', async ({ sb, app, now }) => {
  const request = await getRequestToken(sb.url, app, { callback: 'oob', now });
  const page = await submitPage(sb, { oauth_token: request.token, organisationId: KAURI.id, decision: 'allow' });
  assert.is(page.status, 200);
  const html = await page.text();
  assert.ok(html.includes('Kauri Hardware'));
  const verifier = /aria-label="Verification code">(\d{7})</.exec(html)?.[1];
  assert.ok(verifier, html);
  const response = await exchange(sb.url, app, request, verifier!, now);
  assert.is(response.status, 200);
  assert.is(parseForm(await response.text())['xero_org_muid'], KAURI.id);
});

flow('an oob app scripted through /sandbox/authorize gets no redirect, and Deny shows a page', async ({ sb, app, now }) => {
  const request = await getRequestToken(sb.url, app, { callback: 'oob', now });
  const outcome = await approve(sb.url, request.token, HARBOURSIDE.id);
  assert.is(outcome.redirect, null);
  assert.match(outcome.verifier!, /^\d{7}$/);
  const second = await getRequestToken(sb.url, app, { callback: 'oob', now });
  const denied = await submitPage(sb, { oauth_token: second.token, decision: 'deny' });
  assert.is(denied.status, 200);
  assert.match(await denied.text(), '<h1>Access denied</h1>');
});

flow('an unknown, used or expired request token gets a 400 page saying why', async ({ sb, app, now }) => {
  const unknown = await fetch(`${sb.url}/oauth/Authorize?oauth_token=NOPE`);
  assert.is(unknown.status, 400);
  assert.match(await unknown.text(), 'This authorisation link is not valid: the request token is unknown.');
  const missing = await fetch(`${sb.url}/oauth/Authorize`);
  assert.is(missing.status, 400);

  const used = await getRequestToken(sb.url, app, { now });
  await approve(sb.url, used.token);
  for (const response of [await fetch(`${sb.url}/oauth/Authorize?oauth_token=${used.token}`), await submitPage(sb, { oauth_token: used.token, organisationId: HARBOURSIDE.id, decision: 'allow' })]) {
    assert.is(response.status, 400);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await response.text(), 'This authorisation link has already been used. Go back to the application and connect again.');
  }

  const stale = await getRequestToken(sb.url, app, { now });
  await advanceClock(sb, 31 * 60);
  const expired = await fetch(`${sb.url}/oauth/Authorize?oauth_token=${stale.token}`);
  assert.is(expired.status, 400);
  assert.match(await expired.text(), 'This authorisation link has expired. Go back to the application and connect again.');
});

flow('Allow without a valid organisation gets a 400 page and leaves the token pending', async ({ sb, app, now }) => {
  const request = await getRequestToken(sb.url, app, { now });
  const response = await submitPage(sb, { oauth_token: request.token, organisationId: 'nope', decision: 'allow' });
  assert.is(response.status, 400);
  assert.match(await response.text(), 'Choose one of the organisations listed to connect.');
  assert.is((await fetch(`${sb.url}/oauth/Authorize?oauth_token=${request.token}`)).status, 200);
});

flow('a verifier works once: replaying the exchange is token_rejected', async ({ sb, app, now }) => {
  const request = await getRequestToken(sb.url, app, { now });
  const { verifier } = await approve(sb.url, request.token);
  assert.is((await exchange(sb.url, app, request, verifier!, now)).status, 200);
  await expectProblem(await exchange(sb.url, app, request, verifier!, now), 401, 'token_rejected', `Token ${request.token} does not match an expected REQUEST token`);
});

flow('a wrong verifier is token_rejected and the right one still works', async ({ sb, app, now }) => {
  const request = await getRequestToken(sb.url, app, { now });
  const { verifier } = await approve(sb.url, request.token);
  await expectProblem(await exchange(sb.url, app, request, 'WRONG', now), 401, 'token_rejected', 'The oauth_verifier does not match the request token');
  assert.is((await exchange(sb.url, app, request, verifier!, now)).status, 200);
});

flow('an exchange without a verifier is parameter_absent', async ({ sb, app, now }) => {
  const request = await getRequestToken(sb.url, app, { now });
  await approve(sb.url, request.token);
  const response = await oauthFetch({ method: 'POST', url: `${sb.url}/oauth/AccessToken`, credentials: withToken(app, request), now });
  const body = await expectProblem(response, 400, 'parameter_absent', 'Missing required parameter: oauth_verifier');
  assert.is(body['oauth_parameters_absent'], 'oauth_verifier');
});

flow('a request token the user has not decided on is permission_unknown', async ({ sb, app, now }) => {
  const request = await getRequestToken(sb.url, app, { now });
  await expectProblem(await exchange(sb.url, app, request, '1234567', now), 401, 'permission_unknown', 'The user has not yet authorised the request token');
});

flow('an approved request token left for over 30 minutes is token_expired', async ({ sb, app, now }) => {
  const request = await getRequestToken(sb.url, app, { now });
  const { verifier } = await approve(sb.url, request.token);
  await advanceClock(sb, 30 * 60 + 1);
  await expectProblem(await exchange(sb.url, app, request, verifier!, now), 401, 'token_expired', 'The request token has expired');
});

flow('a request token is not an access token', async ({ sb, app, now }) => {
  const request = await getRequestToken(sb.url, app, { now });
  await approve(sb.url, request.token);
  await expectProblem(await callApi(sb, app, request, now), 401, 'token_rejected', REVOKED);
});

flow("another app's request token is not this app's", async ({ sb, app, now }) => {
  const other = await registerApp(sb.url, 'public');
  const request = await getRequestToken(sb.url, other, { now });
  const { verifier } = await approve(sb.url, request.token);
  await expectProblem(await exchange(sb.url, app, request, verifier!, now), 401, 'token_rejected', `Token ${request.token} does not match an expected REQUEST token`);
});

flow('authorising the same organisation again revokes the earlier token; another organisation does not', async ({ sb, app, now }) => {
  const first = await linkApp(sb.url, app, { organisationId: RIVERBEND.id, now });
  const elsewhere = await linkApp(sb.url, app, { organisationId: KAURI.id, now });
  const second = await linkApp(sb.url, app, { organisationId: RIVERBEND.id, now });
  await expectProblem(await callApi(sb, app, first, now), 401, 'token_rejected', REVOKED);
  await expectPassedAuth(sb, await callApi(sb, app, second, now), app.consumerKey, RIVERBEND.id);
  await expectPassedAuth(sb, await callApi(sb, app, elsewhere, now), app.consumerKey, KAURI.id);
});

flow('checks the callback: present, at most 250 characters, an absolute http(s) URL or oob', async ({ sb, app, now }) => {
  const requestToken = (callback?: string) =>
    oauthFetch({ method: 'POST', url: `${sb.url}/oauth/RequestToken`, credentials: app.credentials, ...(callback !== undefined ? { oauth: { oauth_callback: callback } } : {}), now });
  const absent = await expectProblem(await requestToken(), 400, 'parameter_absent', 'Missing required parameter: oauth_callback');
  assert.is(absent['oauth_parameters_absent'], 'oauth_callback');

  const longest = `http://localhost/${'a'.repeat(250 - 'http://localhost/'.length)}`;
  assert.is((await requestToken(longest)).status, 200);
  const rejected = await expectProblem(await requestToken(`${longest}a`), 400, 'parameter_rejected', 'The callback URL must be at most 250 characters, or oob');
  assert.is(rejected['oauth_parameters_rejected'], 'oauth_callback');
  await expectProblem(await requestToken('ftp://example.com/'), 400, 'parameter_rejected', 'The callback must be an absolute http or https URL in printable ASCII, or oob');
  await expectProblem(await requestToken('/relative'), 400, 'parameter_rejected', 'The callback must be an absolute http or https URL in printable ASCII, or oob');
});

flow('scripted approval names what is wrong with its input', async ({ sb, app, now }) => {
  const post = (body: unknown) => fetch(`${sb.url}/sandbox/authorize`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const check = async (response: Response, status: number, code: string, field: string, message: string) => {
    assert.is(response.status, status);
    assert.equal(((await response.json()) as { error: unknown }).error, { code, message, field });
  };
  await check(await post({ oauthToken: 'NOPE' }), 404, 'not_found', 'oauthToken', 'This authorisation link is not valid: the request token is unknown.');
  await check(await post({}), 400, 'invalid', 'oauthToken', 'oauthToken: required: the request token from /oauth/RequestToken.');
  const request = await getRequestToken(sb.url, app, { now });
  await check(await post({ oauthToken: request.token, decision: 'maybe' }), 400, 'invalid', 'decision', 'decision: must be "allow" or "deny".');
  await check(await post({ oauthToken: request.token, organisationId: 'nope' }), 400, 'invalid', 'organisationId', 'Choose one of the organisations listed to connect.');
  await approve(sb.url, request.token);
  await check(await post({ oauthToken: request.token }), 409, 'conflict', 'oauthToken', 'This authorisation link has already been used. Go back to the application and connect again.');
});

flow.run();
