import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { advance, bearerFetch, linkWebApp, registerOAuth2App, tokenRequest, type TestOAuth2App } from '../helpers/oauth2-client';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox';

const HARBOURSIDE = DEMO_ORGANISATIONS[0]!;

const rotation = suite<{ sb: TestSandbox; web: TestOAuth2App }>('oauth2.refreshRotation');

rotation.before(async (context) => {
  context.sb = await startTestSandbox();
  context.web = await registerOAuth2App(context.sb, { type: 'web' });
});
rotation.after(async (context) => {
  await context.sb.stop();
});

const refresh = (sb: TestSandbox, web: TestOAuth2App, token: string) =>
  tokenRequest(sb, { grant_type: 'refresh_token', refresh_token: token }, { id: web.clientId, secret: web.clientSecret! });
const organisation = (sb: TestSandbox, accessToken: string) => bearerFetch(sb, '/api.xro/2.0/Organisation', accessToken, HARBOURSIDE.id);

rotation('every refresh returns a new refresh token and a new access token', async ({ sb, web }) => {
  const first = await linkWebApp(sb, web, [HARBOURSIDE.id]);
  const second = await refresh(sb, web, first['refresh_token'] as string);
  assert.is(second.status, 200);
  assert.is.not(second.body['refresh_token'], first['refresh_token']);
  assert.is.not(second.body['access_token'], first['access_token']);
  assert.is((await organisation(sb, second.body['access_token'] as string)).status, 200);
});

rotation('the previous token within 30 minutes of its rotation gets the same next token again and a fresh access token', async ({ sb, web }) => {
  const first = await linkWebApp(sb, web, [HARBOURSIDE.id]);
  const lost = await refresh(sb, web, first['refresh_token'] as string);
  await advance(sb, 29 * 60);
  const retried = await refresh(sb, web, first['refresh_token'] as string);
  assert.is(retried.status, 200);
  assert.is(retried.body['refresh_token'], lost.body['refresh_token'], 'no second rotation, no fork');
  assert.is.not(retried.body['access_token'], lost.body['access_token']);
  const next = await refresh(sb, web, retried.body['refresh_token'] as string);
  assert.is(next.status, 200, 'the chain goes on from the one successor');
});

rotation('the previous token after the grace revokes the whole grant: every token of it is invalid_grant from then on', async ({ sb, web }) => {
  const first = await linkWebApp(sb, web, [HARBOURSIDE.id]);
  const second = await refresh(sb, web, first['refresh_token'] as string);
  await advance(sb, 31 * 60);
  const replay = await refresh(sb, web, first['refresh_token'] as string);
  assert.is(replay.status, 400);
  assert.equal(replay.body, { error: 'invalid_grant', error_description: 'The refresh token has been used before; the grant is revoked' });
  const current = await refresh(sb, web, second.body['refresh_token'] as string);
  assert.is(current.status, 400);
  assert.is(current.body['error'], 'invalid_grant');
  const call = await organisation(sb, second.body['access_token'] as string);
  assert.is(call.status, 401, 'its access tokens stop working');
  const connections = await bearerFetch(sb, '/connections', second.body['access_token'] as string);
  assert.is(connections.status, 401);
});

rotation('a token two rotations old revokes the grant even within 30 minutes', async ({ sb, web }) => {
  const first = await linkWebApp(sb, web, [HARBOURSIDE.id]);
  const second = await refresh(sb, web, first['refresh_token'] as string);
  const third = await refresh(sb, web, second.body['refresh_token'] as string);
  assert.is(third.status, 200);
  const replay = await refresh(sb, web, first['refresh_token'] as string);
  assert.is(replay.body['error'], 'invalid_grant');
  assert.is((await refresh(sb, web, third.body['refresh_token'] as string)).body['error'], 'invalid_grant');
});

rotation('an unused refresh token expires after 60 days: invalid_grant, and nothing else is revoked', async ({ sb, web }) => {
  const first = await linkWebApp(sb, web, [HARBOURSIDE.id]);
  const other = await linkWebApp(sb, web, [HARBOURSIDE.id]);
  await advance(sb, 59 * 86_400);
  const fresh = await refresh(sb, web, other['refresh_token'] as string);
  assert.is(fresh.status, 200, 'a token 59 days old still works');
  await advance(sb, 2 * 86_400);
  const expired = await refresh(sb, web, first['refresh_token'] as string);
  assert.equal(expired.body, { error: 'invalid_grant', error_description: 'The refresh token has expired' });
  assert.is((await refresh(sb, web, fresh.body['refresh_token'] as string)).status, 200);
});

rotation('access tokens expire after 30 minutes by the sandbox clock: 401 TokenExpired with a Bearer challenge', async ({ sb, web }) => {
  const linked = await linkWebApp(sb, web, [HARBOURSIDE.id]);
  await advance(sb, 29 * 60);
  assert.is((await organisation(sb, linked['access_token'] as string)).status, 200);
  await advance(sb, 60);
  const expired = await organisation(sb, linked['access_token'] as string);
  assert.is(expired.status, 401);
  assert.match(expired.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
  const body = (await expired.json()) as Record<string, unknown>;
  assert.is(body['Type'], null);
  assert.is(body['Title'], 'Unauthorized');
  assert.is(body['Status'], 401);
  assert.match(body['Detail'] as string, /^TokenExpired: token expired at \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d$/);
});

rotation('a lost token response (sandbox fault) is committed: the previous token then gets the same successor', async ({ sb, web }) => {
  const first = await linkWebApp(sb, web, [HARBOURSIDE.id]);
  const fault = await fetch(`${sb.url}/sandbox/faults`, { method: 'PUT', body: JSON.stringify({ dropNextTokenResponses: 1 }) });
  assert.is(fault.status, 200);
  const dropped = await refresh(sb, web, first['refresh_token'] as string).then(
    () => 'answered',
    () => 'dropped',
  );
  assert.is(dropped, 'dropped');
  assert.is(((await (await fetch(`${sb.url}/sandbox/faults`)).json()) as Record<string, unknown>)['dropNextTokenResponses'], 0);
  const retried = await refresh(sb, web, first['refresh_token'] as string);
  assert.is(retried.status, 200);
  const next = await refresh(sb, web, retried.body['refresh_token'] as string);
  assert.is(next.status, 200, 'the successor is the live token of the grant');
});

rotation('revocation: 200, the grant and its connections are gone; another client revoking it changes nothing', async ({ sb, web }) => {
  const other = await registerOAuth2App(sb, { type: 'web' });
  const linked = await linkWebApp(sb, web, [HARBOURSIDE.id]);
  const revoke = (app: TestOAuth2App) =>
    fetch(`${sb.url}/connect/revocation`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ token: linked['refresh_token'] as string }),
    });
  assert.is((await revoke(other)).status, 200);
  assert.is((await refresh(sb, web, linked['refresh_token'] as string)).status, 200, "another client's revocation had no effect");
  const mine = await linkWebApp(sb, web, [HARBOURSIDE.id]);
  const response = await fetch(`${sb.url}/connect/revocation`, {
    method: 'POST',
    body: new URLSearchParams({ token: mine['refresh_token'] as string, client_id: web.clientId, client_secret: web.clientSecret! }),
  });
  assert.is(response.status, 200);
  assert.is((await refresh(sb, web, mine['refresh_token'] as string)).body['error'], 'invalid_grant');
  assert.is((await bearerFetch(sb, '/connections', mine['access_token'] as string)).status, 401);
});

rotation.run();
