import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPublicKey, verify } from 'node:crypto';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { approve, authorizeUrl, bearerFetch, linkWebApp, pkcePair, registerOAuth2App, tokenRequest, type TestOAuth2App } from '../helpers/oauth2-client';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox';

const [HARBOURSIDE, RIVERBEND, KAURI] = DEMO_ORGANISATIONS as [(typeof DEMO_ORGANISATIONS)[0], (typeof DEMO_ORGANISATIONS)[0], (typeof DEMO_ORGANISATIONS)[0]];

const flow = suite<{ sb: TestSandbox; web: TestOAuth2App; pkce: TestOAuth2App }>('oauth2.authorizationCode');

flow.before(async (context) => {
  context.sb = await startTestSandbox();
  context.web = await registerOAuth2App(context.sb, { type: 'web', name: 'Till <Sync>' });
  context.pkce = await registerOAuth2App(context.sb, { type: 'pkce' });
});
flow.after(async (context) => {
  await context.sb.stop();
});

flow('publishes discovery on the sandbox origin with S256 and the three client authentication methods', async ({ sb }) => {
  const response = await fetch(`${sb.url}/.well-known/openid-configuration`);
  const body = (await response.json()) as Record<string, unknown>;
  assert.is(body['issuer'], sb.url);
  assert.is(body['authorization_endpoint'], `${sb.url}/identity/connect/authorize`);
  assert.is(body['token_endpoint'], `${sb.url}/connect/token`);
  assert.is(body['revocation_endpoint'], `${sb.url}/connect/revocation`);
  assert.equal(body['code_challenge_methods_supported'], ['S256']);
  assert.equal(body['token_endpoint_auth_methods_supported'], ['client_secret_basic', 'client_secret_post', 'none']);
  assert.equal(body['grant_types_supported'], ['authorization_code', 'refresh_token', 'client_credentials']);
});

flow('shows a consent page listing every organisation as a checkbox, with the app name escaped', async ({ sb, web }) => {
  const response = await fetch(authorizeUrl(sb, web, 'offline_access accounting.transactions'));
  assert.is(response.status, 200);
  const html = await response.text();
  for (const org of DEMO_ORGANISATIONS) assert.ok(html.includes(`type="checkbox" name="organisationId" value="${org.id}"`), org.name);
  assert.ok(html.includes('Till &lt;Sync&gt;'));
  assert.ok(html.includes('name="state" value="st-123"'));
});

flow('answers an unknown client, an unregistered redirect URI or an unknown scope with an error page, never a redirect', async ({ sb, web }) => {
  const cases = [
    authorizeUrl(sb, { ...web, clientId: 'NOPE' }, 'openid'),
    authorizeUrl(sb, { ...web, redirectUri: `${web.redirectUri}/other` }, 'openid'),
    authorizeUrl(sb, web, 'openid accounting.everything'),
  ];
  for (const url of cases) {
    const response = await fetch(url, { redirect: 'manual' });
    assert.is(response.status, 400, url);
    assert.is(response.headers.get('location'), null);
    assert.match(await response.text(), /This authorisation cannot continue/);
  }
});

flow('the form post: Allow with two ticked organisations redirects with a code and the state; Deny with access_denied', async ({ sb, web }) => {
  const hidden = new URL(authorizeUrl(sb, web, 'offline_access accounting.transactions')).searchParams;
  const allow = new URLSearchParams(hidden);
  allow.append('organisationId', HARBOURSIDE.id);
  allow.append('organisationId', KAURI.id);
  allow.set('decision', 'allow');
  const allowed = await fetch(`${sb.url}/identity/connect/authorize`, { method: 'POST', body: allow, redirect: 'manual' });
  assert.is(allowed.status, 302);
  const location = new URL(allowed.headers.get('location')!);
  assert.is(`${location.origin}${location.pathname}`, web.redirectUri);
  assert.is(location.searchParams.get('state'), 'st-123');
  assert.match(location.searchParams.get('code')!, /^[0-9a-f]{64}$/);

  const deny = new URLSearchParams(hidden);
  deny.set('decision', 'deny');
  const denied = await fetch(`${sb.url}/identity/connect/authorize`, { method: 'POST', body: deny, redirect: 'manual' });
  const deniedAt = new URL(denied.headers.get('location')!);
  assert.is(deniedAt.searchParams.get('error'), 'access_denied');
  assert.is(deniedAt.searchParams.get('state'), 'st-123');
});

flow('exchanges a code (Basic auth) for a Bearer token, a refresh token and an RS256 id_token the JWKS verifies', async ({ sb, web }) => {
  const body = await linkWebApp(sb, web, [RIVERBEND.id], 'openid profile email offline_access accounting.transactions');
  assert.is(body['token_type'], 'Bearer');
  assert.is(body['expires_in'], 1800);
  assert.is(body['scope'], 'openid profile email offline_access accounting.transactions');
  assert.type(body['refresh_token'], 'string');
  const [header, claims, signature] = (body['id_token'] as string).split('.') as [string, string, string];
  const jwks = (await (await fetch(`${sb.url}/.well-known/openid-configuration/jwks`)).json()) as { keys: Array<Record<string, string>> };
  const key = createPublicKey({ key: jwks.keys[0]!, format: 'jwk' });
  assert.ok(verify('sha256', Buffer.from(`${header}.${claims}`), key, Buffer.from(signature, 'base64url')), 'the id_token signature verifies');
  const decoded = JSON.parse(Buffer.from(claims, 'base64url').toString()) as Record<string, unknown>;
  assert.is(decoded['iss'], sb.url);
  assert.is(decoded['aud'], web.clientId);
  assert.is(decoded['nbf'], undefined);
});

flow('accepts client_secret_post, and answers a wrong secret with 401 invalid_client', async ({ sb, web }) => {
  const redirect = await approve(sb, authorizeUrl(sb, web, 'accounting.transactions'), [HARBOURSIDE.id]);
  const code = redirect.searchParams.get('code')!;
  const wrong = await tokenRequest(sb, { grant_type: 'authorization_code', code, redirect_uri: web.redirectUri }, { id: web.clientId, secret: 'wrong' });
  assert.is(wrong.status, 401);
  assert.is(wrong.body['error'], 'invalid_client');
  const posted = await tokenRequest(sb, { grant_type: 'authorization_code', code, redirect_uri: web.redirectUri, client_id: web.clientId, client_secret: web.clientSecret! });
  assert.is(posted.status, 200, JSON.stringify(posted.body));
  assert.is(posted.body['refresh_token'], undefined, 'no offline_access, no refresh token');
});

flow('a code works once: the second exchange is invalid_grant and the first tokens keep working', async ({ sb, web }) => {
  const redirect = await approve(sb, authorizeUrl(sb, web, 'offline_access accounting.settings'), [HARBOURSIDE.id]);
  const form = { grant_type: 'authorization_code', code: redirect.searchParams.get('code')!, redirect_uri: web.redirectUri };
  const first = await tokenRequest(sb, form, { id: web.clientId, secret: web.clientSecret! });
  assert.is(first.status, 200);
  const again = await tokenRequest(sb, form, { id: web.clientId, secret: web.clientSecret! });
  assert.is(again.status, 400);
  assert.is(again.body['error'], 'invalid_grant');
  const call = await bearerFetch(sb, '/api.xro/2.0/Organisation', first.body['access_token'] as string, HARBOURSIDE.id);
  assert.is(call.status, 200);
});

flow('PKCE: the right verifier with client_id alone gets tokens; a wrong verifier is invalid_grant', async ({ sb, pkce }) => {
  const { verifier, challenge } = pkcePair();
  const url = authorizeUrl(sb, pkce, 'offline_access accounting.transactions', { code_challenge: challenge, code_challenge_method: 'S256' });
  const good = await approve(sb, url, [HARBOURSIDE.id]);
  const ok = await tokenRequest(sb, { grant_type: 'authorization_code', client_id: pkce.clientId, code: good.searchParams.get('code')!, redirect_uri: pkce.redirectUri, code_verifier: verifier });
  assert.is(ok.status, 200, JSON.stringify(ok.body));
  const refreshed = await tokenRequest(sb, { grant_type: 'refresh_token', client_id: pkce.clientId, refresh_token: ok.body['refresh_token'] as string });
  assert.is(refreshed.status, 200, 'a PKCE app refreshes with client_id alone');

  const bad = await approve(sb, url, [HARBOURSIDE.id]);
  const wrong = await tokenRequest(sb, { grant_type: 'authorization_code', client_id: pkce.clientId, code: bad.searchParams.get('code')!, redirect_uri: pkce.redirectUri, code_verifier: pkcePair().verifier });
  assert.is(wrong.status, 400);
  assert.equal(wrong.body, { error: 'invalid_grant', error_description: 'code_verifier does not match the code_challenge' });
});

flow('PKCE: an authorize request without a code_challenge goes back as invalid_request', async ({ sb, pkce }) => {
  const response = await fetch(authorizeUrl(sb, pkce, 'accounting.transactions'), { redirect: 'manual' });
  assert.is(response.status, 302);
  const location = new URL(response.headers.get('location')!);
  assert.is(location.searchParams.get('error'), 'invalid_request');
  assert.is(location.searchParams.get('state'), 'st-123');
});

flow('a code expires after 5 minutes by the sandbox clock', async ({ sb, web }) => {
  const redirect = await approve(sb, authorizeUrl(sb, web, 'accounting.transactions'), [HARBOURSIDE.id]);
  sb.sandbox.deps.clock.advance(5 * 60_000 + 1000);
  const late = await tokenRequest(sb, { grant_type: 'authorization_code', code: redirect.searchParams.get('code')!, redirect_uri: web.redirectUri }, { id: web.clientId, secret: web.clientSecret! });
  assert.is(late.status, 400);
  assert.equal(late.body, { error: 'invalid_grant', error_description: 'The authorization code has expired' });
});

flow('echoes the nonce in the id_token; an unknown grant type is unsupported_grant_type; a web app may not use client_credentials', async ({ sb, web }) => {
  const redirect = await approve(sb, authorizeUrl(sb, web, 'openid', { nonce: 'n-42' }), [HARBOURSIDE.id]);
  const answer = await tokenRequest(sb, { grant_type: 'authorization_code', code: redirect.searchParams.get('code')!, redirect_uri: web.redirectUri }, { id: web.clientId, secret: web.clientSecret! });
  const claims = JSON.parse(Buffer.from((answer.body['id_token'] as string).split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
  assert.is(claims['nonce'], 'n-42');
  const basic = { id: web.clientId, secret: web.clientSecret! };
  assert.equal((await tokenRequest(sb, { grant_type: 'password' }, basic)).body['error'], 'unsupported_grant_type');
  assert.equal((await tokenRequest(sb, { grant_type: 'client_credentials' }, basic)).body['error'], 'unauthorized_client');
  const unknown = await tokenRequest(sb, { grant_type: 'client_credentials', client_id: 'NOBODY', client_secret: 'x' });
  assert.is(unknown.status, 401);
  assert.is(unknown.body['error'], 'invalid_client');
});

flow('a custom connection also authenticates with form fields, and may narrow but not widen its scopes', async ({ sb }) => {
  const custom = await registerOAuth2App(sb, { type: 'custom_connection', tenant: KAURI.id, scopes: ['accounting.settings'] });
  const posted = await tokenRequest(sb, { grant_type: 'client_credentials', client_id: custom.clientId, client_secret: custom.clientSecret!, scope: 'accounting.settings' });
  assert.is(posted.status, 200);
  assert.is(posted.body['scope'], 'accounting.settings');
  const wider = await tokenRequest(sb, { grant_type: 'client_credentials', scope: 'accounting.transactions' }, { id: custom.clientId, secret: custom.clientSecret! });
  assert.is(wider.status, 400);
  assert.is(wider.body['error'], 'invalid_scope');
});

flow('the demo web app exists from the start', async ({ sb }) => {
  const apps = (await (await fetch(`${sb.url}/sandbox/oauth2/apps`)).json()) as { apps: Array<Record<string, unknown>> };
  const demo = apps.apps.find((app) => app['clientId'] === 'DEMOOAUTH2CLIENTID00000000000001');
  assert.ok(demo);
  assert.equal(demo['redirectUris'], ['http://localhost:8080/connect/oauth2/callback']);
  assert.is(demo['clientSecret'], undefined, 'the listing never shows secrets');
});

flow.run();
