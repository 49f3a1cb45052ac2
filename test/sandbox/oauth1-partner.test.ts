import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { advanceClock, expectPassedAuth, expectProblem } from '../helpers/oauth1-assert';
import { linkPartner, oauthFetch, parseForm, registerApp, renew, withToken, type LinkedToken, type TestApp } from '../helpers/oauth1-client';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox';

const REVOKED = 'The access token has not been authorized, or has been revoked by the user';
const RIVERBEND = DEMO_ORGANISATIONS[1]!;

const partner = suite<{ sb: TestSandbox; app: TestApp; now: () => Date }>('oauth1.partnerApp');

partner.before(async (context) => {
  context.sb = await startTestSandbox();
  context.app = await registerApp(context.sb.url, 'partner');
  context.now = () => context.sb.sandbox.deps.clock.now();
});
partner.after(async (context) => {
  await context.sb.stop();
});

const callApi = (sb: TestSandbox, app: TestApp, linked: { token: string; secret: string }, now: () => Date) =>
  oauthFetch({ method: 'GET', url: `${sb.url}/api.xro/2.0/Invoices?page=1`, credentials: withToken(app, linked), now });

async function renewed(response: Response): Promise<LinkedToken> {
  const text = await response.text();
  assert.is(response.status, 200, text);
  assert.is(response.headers.get('content-type'), 'text/html; charset=utf-8');
  const answer = parseForm(text);
  return { token: answer['oauth_token']!, secret: answer['oauth_token_secret']!, sessionHandle: answer['oauth_session_handle'], orgMuid: answer['xero_org_muid']!, answer };
}

partner('links with RSA-SHA1 and answers the session handle, 10-year authorisation and xero_org_muid', async ({ sb, app, now }) => {
  const linked = await linkPartner(sb.url, app, { organisationId: RIVERBEND.id, now });
  assert.equal(Object.keys(linked.answer), ['oauth_token', 'oauth_token_secret', 'oauth_expires_in', 'oauth_session_handle', 'oauth_authorization_expires_in', 'xero_org_muid']);
  assert.is(linked.answer['oauth_expires_in'], '1800');
  assert.is(linked.answer['oauth_authorization_expires_in'], '315360000');
  assert.match(linked.sessionHandle!, /^[A-Z0-9]{30}$/);
  assert.is(linked.orgMuid, RIVERBEND.id);
  await expectPassedAuth(sb, await callApi(sb, app, linked, now), app.consumerKey, RIVERBEND.id);
});

partner('renewal gives a new token, secret and session handle, and supersedes the old token for API calls', async ({ sb, app, now }) => {
  const first = await linkPartner(sb.url, app, { now });
  const second = await renewed(await renew(sb.url, app, first, first.sessionHandle!, { now }));
  assert.is.not(second.token, first.token);
  assert.is.not(second.secret, first.secret);
  assert.is.not(second.sessionHandle, first.sessionHandle);
  assert.is(second.answer['oauth_expires_in'], '1800');
  assert.is(second.orgMuid, first.orgMuid);
  await expectPassedAuth(sb, await callApi(sb, app, second, now), app.consumerKey, first.orgMuid);
  await expectProblem(await callApi(sb, app, first, now), 401, 'token_rejected', REVOKED);
});

partner('renewing with a superseded token is token_rejected, and the newest token still renews', async ({ sb, app, now }) => {
  const first = await linkPartner(sb.url, app, { now });
  const second = await renewed(await renew(sb.url, app, first, first.sessionHandle!, { now }));
  await expectProblem(await renew(sb.url, app, first, first.sessionHandle!, { now }), 401, 'token_rejected', `Token ${first.token} does not match an expected REQUEST token`);
  const third = await renewed(await renew(sb.url, app, second, second.sessionHandle!, { now }));
  await expectPassedAuth(sb, await callApi(sb, app, third, now), app.consumerKey, first.orgMuid);
});

partner('renews an expired token, which API calls refuse as token_expired', async ({ sb, app, now }) => {
  const first = await linkPartner(sb.url, app, { now });
  await advanceClock(sb, 31 * 60);
  await expectProblem(await callApi(sb, app, first, now), 401, 'token_expired', 'The access token has expired');
  const second = await renewed(await renew(sb.url, app, first, first.sessionHandle!, { now }));
  await expectPassedAuth(sb, await callApi(sb, app, second, now), app.consumerKey, first.orgMuid);
});

partner('takes the session handle from the query (pyxero), a form body, or a GET query (XeroOAuth-PHP)', async ({ sb, app, now }) => {
  let current = await linkPartner(sb.url, app, { now });
  for (const via of ['query', 'form', 'get'] as const) {
    const next = await renewed(await renew(sb.url, app, current, current.sessionHandle!, { via, now }));
    await expectProblem(await callApi(sb, app, current, now), 401, 'token_rejected', REVOKED);
    current = next;
  }
  await expectPassedAuth(sb, await callApi(sb, app, current, now), app.consumerKey, current.orgMuid);
});

partner('a session handle belongs to its token: the old handle does not renew the new token', async ({ sb, app, now }) => {
  const first = await linkPartner(sb.url, app, { now });
  const second = await renewed(await renew(sb.url, app, first, first.sessionHandle!, { now }));
  await expectProblem(await renew(sb.url, app, second, first.sessionHandle!, { now }), 401, 'token_rejected', 'The session handle does not match the access token');
});

partner('the handle in two places at once is parameter_rejected', async ({ sb, app, now }) => {
  const first = await linkPartner(sb.url, app, { now });
  const response = await oauthFetch({
    method: 'POST',
    url: `${sb.url}/oauth/AccessToken?oauth_session_handle=${first.sessionHandle}`,
    credentials: withToken(app, first),
    oauth: { oauth_session_handle: first.sessionHandle! },
    now,
  });
  const body = await expectProblem(response, 400, 'parameter_rejected', 'Each OAuth parameter may be sent only once, in one place');
  assert.is(body['oauth_parameters_rejected'], 'oauth_session_handle');
});

partner('two renewals racing with the same token: exactly one wins', async ({ sb, app, now }) => {
  const first = await linkPartner(sb.url, app, { now });
  const answers = await Promise.all([renew(sb.url, app, first, first.sessionHandle!, { now }), renew(sb.url, app, first, first.sessionHandle!, { now })]);
  const statuses = answers.map((response) => response.status).sort();
  assert.equal(statuses, [200, 401]);
  const loser = answers.find((response) => response.status === 401)!;
  await expectProblem(loser, 401, 'token_rejected', `Token ${first.token} does not match an expected REQUEST token`);
});

partner('revoking the app in the control API rejects its tokens and their renewal', async ({ sb, now }) => {
  const other = await registerApp(sb.url, 'partner');
  const linked = await linkPartner(sb.url, other, { now });
  const revoke = await fetch(`${sb.url}/sandbox/apps/${other.consumerKey}/revoke`, { method: 'POST' });
  assert.equal(await revoke.json(), { revoked: 1 });
  await expectProblem(await callApi(sb, other, linked, now), 401, 'token_rejected', REVOKED);
  await expectProblem(await renew(sb.url, other, linked, linked.sessionHandle!, { now }), 401, 'token_rejected', REVOKED);
  const unknown = await fetch(`${sb.url}/sandbox/apps/NOPE/revoke`, { method: 'POST' });
  assert.is(unknown.status, 404);
});

partner("renewing another app's token is token_rejected", async ({ sb, app, now }) => {
  const other = await registerApp(sb.url, 'partner');
  const linked = await linkPartner(sb.url, other, { now });
  // Both apps share the fixture key, so only the token's owner tells them apart.
  await expectProblem(await renew(sb.url, app, linked, linked.sessionHandle!, { now }), 401, 'token_rejected', `Token ${linked.token} does not match an expected REQUEST token`);
});

partner.run();
