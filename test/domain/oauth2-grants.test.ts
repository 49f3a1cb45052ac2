import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { OAuth2App } from '../../src/domain/oauth2/app';
import { buildAuthorizationUrl, readAuthorizationResponse } from '../../src/domain/oauth2/authorize';
import { buildConnectionsRequest, buildDeleteConnectionRequest, processConnectionsResponse, processDeleteConnectionResponse } from '../../src/domain/oauth2/connections';
import { isInvalidGrant, OAuth2Error } from '../../src/domain/oauth2/errors';
import { clientCredentials, exchangeCode, refreshTokens, revokeRefreshToken } from '../../src/domain/oauth2/grants';
import { XeroError } from '../../src/domain/xero/xero-error';
import { Secret } from '../../src/lib/secret';

interface Seen {
  method: string;
  path: string;
  authorization: string | undefined;
  form: URLSearchParams;
}

/** A scripted identity server on a real socket: each request gets the next answer and is recorded. */
async function identityServer(answers: Array<(response: ServerResponse) => void>): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      seen.push({ method: request.method!, path: request.url!, authorization: request.headers.authorization, form: new URLSearchParams(body) });
      (answers.shift() ?? ((r) => r.writeHead(500).end()))(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const json = (status: number, body: unknown) => (response: ServerResponse) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const tokens = json(200, { access_token: 'AT-1', expires_in: 1800, token_type: 'Bearer', refresh_token: 'RT-2', scope: 'offline_access accounting.invoices' });

function appAt(url: string, type: OAuth2App['type'] = 'oauth2'): OAuth2App {
  return {
    type,
    clientId: 'CLIENT',
    clientSecret: type === 'oauth2_pkce' ? undefined : new Secret('SECRET'),
    scopes: ['offline_access', 'accounting.invoices', 'accounting.payments'],
    redirectUri: 'https://proxy.example/connect/callback',
    loginUrl: url,
    identityUrl: url,
  };
}
const net = { transport: fetch };
const basic = `Basic ${Buffer.from('CLIENT:SECRET').toString('base64')}`;

const authorize = suite('oauth2.authorize');

authorize('a web app is sent to /identity/connect/authorize with its scopes, redirect URI and a fresh state, and no PKCE', async () => {
  const start = await buildAuthorizationUrl(appAt('https://login.xero.com'));
  const url = new URL(start.url);
  assert.is(url.origin + url.pathname, 'https://login.xero.com/identity/connect/authorize');
  assert.equal(Object.fromEntries(url.searchParams), {
    response_type: 'code',
    client_id: 'CLIENT',
    redirect_uri: 'https://proxy.example/connect/callback',
    scope: 'offline_access accounting.invoices accounting.payments',
    state: start.state,
  });
  assert.ok(start.state.length >= 32, 'state carries at least 128 bits');
  assert.is.not((await buildAuthorizationUrl(appAt('https://login.xero.com'))).state, start.state);
  assert.is(start.codeVerifier, undefined);
});

authorize('a PKCE app sends the S256 challenge of a verifier it keeps', async () => {
  const start = await buildAuthorizationUrl(appAt('https://login.xero.com', 'oauth2_pkce'));
  const url = new URL(start.url);
  assert.match(start.codeVerifier!, /^[A-Za-z0-9._~-]{43,128}$/);
  assert.is(url.searchParams.get('code_challenge'), createHash('sha256').update(start.codeVerifier!).digest('base64url'));
  assert.is(url.searchParams.get('code_challenge_method'), 'S256');
});

authorize('the answer must carry the state that was sent; a refusal is access_denied', async () => {
  const app = appAt('https://identity.xero.com');
  const good = await readAuthorizationResponse(app, new URLSearchParams({ code: 'C', state: 'S1' }), 'S1');
  assert.is(good.get('code'), 'C');
  try {
    await readAuthorizationResponse(app, new URLSearchParams({ code: 'C', state: 'S2' }), 'S1');
    assert.unreachable();
  } catch (error) {
    assert.instance(error, XeroError);
    assert.match((error as Error).message, 'unexpected "state"');
  }
  try {
    await readAuthorizationResponse(app, new URLSearchParams({ error: 'access_denied', state: 'S1' }), 'S1');
    assert.unreachable();
  } catch (error) {
    assert.instance(error, OAuth2Error);
    assert.is((error as OAuth2Error).oauthError, 'access_denied');
    assert.is((error as OAuth2Error).message, "While reading the answer from Xero's authorisation page, Xero answered access_denied: the person at Xero did not allow access.");
  }
});

authorize.run();

const grants = suite('oauth2.grants');

grants('a web app exchanges the code with Basic credentials and the redirect URI', async () => {
  const server = await identityServer([tokens]);
  try {
    const callback = await readAuthorizationResponse(appAt(server.url), new URLSearchParams({ code: 'CODE', state: 'S' }), 'S');
    const answer = await exchangeCode(net, appAt(server.url), callback, undefined);
    assert.is(answer.accessToken.reveal(), 'AT-1');
    assert.is(answer.refreshToken!.reveal(), 'RT-2');
    assert.is(answer.expiresIn, 1800);
    assert.equal(answer.scopes, ['offline_access', 'accounting.invoices']);
    const [request] = server.seen;
    assert.is(request!.path, '/connect/token');
    assert.is(request!.authorization, basic);
    assert.equal(Object.fromEntries(request!.form), { code: 'CODE', redirect_uri: 'https://proxy.example/connect/callback', grant_type: 'authorization_code' });
  } finally {
    await server.close();
  }
});

grants("Basic credentials are sent as Xero's SDKs send them: a secret's - and _ are not percent-encoded", async () => {
  const server = await identityServer([tokens]);
  try {
    await refreshTokens(net, { ...appAt(server.url), clientSecret: new Secret('s3-cr_et') }, new Secret('RT-1'));
    assert.is(server.seen[0]!.authorization, `Basic ${Buffer.from('CLIENT:s3-cr_et').toString('base64')}`);
  } finally {
    await server.close();
  }
});

grants('a PKCE app sends its client id and the verifier, never a secret', async () => {
  const server = await identityServer([tokens, tokens]);
  try {
    const callback = await readAuthorizationResponse(appAt(server.url, 'oauth2_pkce'), new URLSearchParams({ code: 'CODE', state: 'S' }), 'S');
    await exchangeCode(net, appAt(server.url, 'oauth2_pkce'), callback, 'V'.repeat(43));
    await refreshTokens(net, appAt(server.url, 'oauth2_pkce'), new Secret('RT-1'));
    const [exchange, refresh] = server.seen;
    assert.is(exchange!.authorization, undefined);
    assert.equal(Object.fromEntries(exchange!.form), { client_id: 'CLIENT', code: 'CODE', redirect_uri: 'https://proxy.example/connect/callback', code_verifier: 'V'.repeat(43), grant_type: 'authorization_code' });
    assert.equal(Object.fromEntries(refresh!.form), { client_id: 'CLIENT', refresh_token: 'RT-1', grant_type: 'refresh_token' });
  } finally {
    await server.close();
  }
});

grants('refresh, client credentials and revocation send what Xero documents', async () => {
  const server = await identityServer([tokens, json(200, { access_token: 'CC', expires_in: 1800, token_type: 'Bearer' }), (r) => r.writeHead(200).end()]);
  try {
    const refreshed = await refreshTokens(net, appAt(server.url), new Secret('RT-1'));
    assert.is(refreshed.refreshToken!.reveal(), 'RT-2');
    const custom = await clientCredentials(net, appAt(server.url, 'custom_connection'));
    assert.is(custom.refreshToken, undefined);
    await revokeRefreshToken(net, appAt(server.url), new Secret('RT-2'));
    assert.equal(
      server.seen.map((s) => [s.path, s.authorization, Object.fromEntries(s.form)]),
      [
        ['/connect/token', basic, { refresh_token: 'RT-1', grant_type: 'refresh_token' }],
        ['/connect/token', basic, { grant_type: 'client_credentials' }],
        ['/connect/revocation', basic, { token: 'RT-2', token_type_hint: 'refresh_token' }],
      ],
    );
  } finally {
    await server.close();
  }
});

grants('invalid_grant is a typed, final refusal; a 5xx or a cut-off answer leaves the outcome unknown', async () => {
  const server = await identityServer([json(400, { error: 'invalid_grant' }), (r) => r.writeHead(502, { 'content-type': 'text/html' }).end('<html>bad gateway</html>'), (r) => r.destroy()]);
  try {
    const refused = await refreshTokens(net, appAt(server.url), new Secret('RT-old')).catch((e: unknown) => e);
    assert.ok(isInvalidGrant(refused));
    assert.is((refused as OAuth2Error).retryable, false);
    assert.is((refused as OAuth2Error).delivery, 'answered');
    assert.is((refused as OAuth2Error).message, 'While refreshing the token, Xero answered invalid_grant: the code or refresh token was already used, has expired, or was revoked.');
    for (const expected of [/identity server failed while refreshing the token \(HTTP 502\)/, /refreshing the token|reached Xero/]) {
      const lost = await refreshTokens(net, appAt(server.url), new Secret('RT-1')).catch((e: unknown) => e);
      assert.instance(lost, XeroError);
      assert.not.instance(lost, OAuth2Error);
      assert.is((lost as XeroError).delivery, 'unknown');
      assert.is((lost as XeroError).retryable, true);
      assert.match((lost as XeroError).message, expected);
    }
  } finally {
    await server.close();
  }
});

grants('a wrong client secret names the keys to check; a closed port means nothing was sent', async () => {
  const server = await identityServer([json(400, { error: 'invalid_client' })]);
  const refused = (await refreshTokens(net, appAt(server.url), new Secret('RT')).catch((e: unknown) => e)) as OAuth2Error;
  await server.close();
  assert.is(refused.oauthError, 'invalid_client');
  assert.is(refused.hint, 'Check xero.client_id and xero.client_secret against the app in the Xero developer portal.');
  const down = (await refreshTokens(net, appAt(server.url), new Secret('RT')).catch((e: unknown) => e)) as XeroError;
  assert.is(down.delivery, 'not_sent');
  assert.is(down.code, 'unavailable');
});

grants.run();

const connections = suite('oauth2.connections');

connections('GET /connections lists tenants with their connection ids; DELETE removes one', () => {
  const request = buildConnectionsRequest('https://api.xero.com', new Secret('AT'));
  assert.equal(request, { method: 'GET', url: 'https://api.xero.com/connections', headers: { Authorization: 'Bearer AT', Accept: 'application/json' } });
  const body = JSON.stringify([
    { id: 'c1', authEventId: 'e1', tenantId: 't1', tenantType: 'ORGANISATION', tenantName: 'Demo Company (AU)', createdDateUtc: '2026-11-01T00:00:00' },
    { id: 'c2', tenantId: 't2', tenantType: 'PRACTICE', tenantName: 'Practice' },
  ]);
  assert.equal(processConnectionsResponse({ status: 200, headers: {}, body }), [
    { id: 'c1', tenantId: 't1', tenantType: 'ORGANISATION', tenantName: 'Demo Company (AU)', authEventId: 'e1' },
    { id: 'c2', tenantId: 't2', tenantType: 'PRACTICE', tenantName: 'Practice', authEventId: undefined },
  ]);
  assert.equal(buildDeleteConnectionRequest('https://api.xero.com', new Secret('AT'), 'c1'), { method: 'DELETE', url: 'https://api.xero.com/connections/c1', headers: { Authorization: 'Bearer AT' } });
  assert.throws(() => buildDeleteConnectionRequest('https://api.xero.com', new Secret('AT'), '../Invoices'), /is not a connection id/);
  assert.is(processDeleteConnectionResponse({ status: 204, headers: {}, body: '' }), 'deleted');
  assert.is(processDeleteConnectionResponse({ status: 404, headers: {}, body: '' }), 'already_gone');
  assert.throws(() => processDeleteConnectionResponse({ status: 401, headers: {}, body: '{"Title":"Unauthorized","Status":401,"Detail":"TokenExpired: token expired at 11/28/2026"}' }), /expired/i);
});

connections.run();
