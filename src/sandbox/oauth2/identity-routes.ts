import { Hono, type Context } from 'hono';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { authorizationErrorPage, htmlPage } from '../http/pages';
import { listOrganisations } from '../organisations';
import { AUTHORIZE_PARAMETERS, checkAuthorizeRequest, decideAuthorization } from './authorize';
import { authenticateClient } from './client-auth';
import { renderConsentPage } from './consent-page';
import { findGrant, revokeGrant } from './grants';
import { idToken } from './id-token';
import { KNOWN_SCOPES, splitScope } from './scopes';
import { jwks } from './signing-key';
import { TokenError } from './token-error';
import { clientCredentials, exchangeCode, refreshGrant, type Issued } from './token-grants';
import { findRefreshToken } from './tokens';

/**
 * Xero's identity server on the sandbox's origin: OpenID discovery and JWKS, the authorize
 * (consent) page, the token endpoint for `authorization_code`, `refresh_token` and
 * `client_credentials`, and revocation. Mounted at '/'.
 * @see PROTOCOL.md §6
 */
export function identityRoutes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  app.get('/.well-known/openid-configuration', (c) => {
    const issuer = new URL(c.req.url).origin;
    return c.json({
      issuer,
      authorization_endpoint: `${issuer}/identity/connect/authorize`,
      token_endpoint: `${issuer}/connect/token`,
      revocation_endpoint: `${issuer}/connect/revocation`,
      jwks_uri: `${issuer}/.well-known/openid-configuration/jwks`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: KNOWN_SCOPES,
    });
  });

  app.get('/.well-known/openid-configuration/jwks', (c) => c.json(jwks(deps.db, deps.clock.now())));

  app.get('/identity/connect/authorize', (c) => {
    try {
      const checked = checkAuthorizeRequest(deps, (name) => c.req.query(name));
      if (!checked.ok) return c.redirect(checked.redirect, 302);
      const hidden = AUTHORIZE_PARAMETERS.flatMap((name) => {
        const value = c.req.query(name);
        return value === undefined ? [] : [[name, value] as const];
      });
      const { request } = checked;
      return htmlPage(c, renderConsentPage({ appName: request.app.name, scopes: splitScope(request.scope), hidden, organisations: listOrganisations(deps.db) }));
    } catch (error) {
      return authorizationErrorPage(c, error);
    }
  });

  app.post('/identity/connect/authorize', async (c) => {
    const form = await c.req.parseBody({ all: true });
    const text = (name: string) => (typeof form[name] === 'string' ? form[name] : undefined);
    try {
      const checked = checkAuthorizeRequest(deps, text);
      if (!checked.ok) return c.redirect(checked.redirect, 302);
      const ticked = form['organisationId'];
      const organisationIds = (Array.isArray(ticked) ? ticked : ticked === undefined ? [] : [ticked]).filter((id): id is string => typeof id === 'string');
      return c.redirect(decideAuthorization(deps, checked.request, organisationIds, text('decision') === 'deny' ? 'deny' : 'allow'), 302);
    } catch (error) {
      return authorizationErrorPage(c, error);
    }
  });

  app.post('/connect/token', async (c) => {
    const form = await readForm(c);
    const client = authenticateClient(deps.db, c.req.header('authorization'), form);
    if (client instanceof TokenError) return sendTokenError(c, client);
    const grantType = form['grant_type'];
    let outcome: Issued | TokenError;
    if (grantType === 'authorization_code' || grantType === 'refresh_token') {
      if (client.type === 'custom_connection') return sendTokenError(c, new TokenError(400, 'unauthorized_client', 'A custom connection uses client_credentials only'));
      outcome = grantType === 'authorization_code' ? exchangeCode(deps, client, form) : refreshGrant(deps, client, form);
    } else if (grantType === 'client_credentials') {
      outcome = clientCredentials(deps, client, form);
    } else {
      outcome = new TokenError(400, 'unsupported_grant_type', `grant_type ${JSON.stringify(grantType ?? '')} is not supported`);
    }
    if (outcome instanceof TokenError) return sendTokenError(c, outcome);
    // The fault "lost token response": the rotation is committed, the client never hears of it.
    const socket = c.env?.incoming?.socket;
    if (socket && deps.faults.takeTokenResponseDrop()) {
      c.set('problem', 'injected drop of the token response');
      socket.destroy();
      return c.body(null, 500);
    }
    const now = deps.clock.now();
    const body: Record<string, unknown> = {};
    if (splitScope(outcome.accessToken.scope).includes('openid')) body['id_token'] = idToken(deps.db, new URL(c.req.url).origin, client.clientId, outcome, now);
    body['access_token'] = outcome.accessToken.token;
    // The life this token was given, which the control API may have shortened.
    body['expires_in'] = Math.round((Date.parse(outcome.accessToken.expiresAt) - now.getTime()) / 1000);
    body['token_type'] = 'Bearer';
    if (outcome.refreshToken) body['refresh_token'] = outcome.refreshToken;
    body['scope'] = outcome.accessToken.scope;
    return c.json(body, 200, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  });

  // RFC 7009: an unknown token, or another client's, is answered 200 and changes nothing.
  app.post('/connect/revocation', async (c) => {
    const form = await readForm(c);
    const client = authenticateClient(deps.db, c.req.header('authorization'), form);
    if (client instanceof TokenError) return sendTokenError(c, client);
    if (!form['token']) return sendTokenError(c, new TokenError(400, 'invalid_request', 'token is required'));
    const refresh = findRefreshToken(deps.db, form['token']);
    const grant = refresh ? findGrant(deps.db, refresh.grantId) : undefined;
    if (grant && grant.clientId === client.clientId) deps.db.transaction(() => revokeGrant(deps.db, grant.id, deps.clock.now())).immediate();
    return c.body(null, 200);
  });

  return app;
}

async function readForm(c: Context<SandboxEnv>): Promise<Record<string, string>> {
  const form: Record<string, string> = {};
  const text = await c.req.text();
  for (const [name, value] of new URLSearchParams(text)) if (!(name in form)) form[name] = value;
  return form;
}

function sendTokenError(c: Context<SandboxEnv>, error: TokenError): Response {
  c.set('problem', error.error);
  return c.json({ error: error.error, error_description: error.description }, error.status, { 'Cache-Control': 'no-store', Pragma: 'no-cache', ...error.headers });
}

