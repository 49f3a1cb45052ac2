import { AppError } from '../../lib/errors';
import type { SandboxDeps } from '../deps';
import { randomCode } from '../oauth1/codes';
import { withParameters } from '../oauth1/authorize';
import { findOrganisation } from '../organisations';
import { findOAuth2App, type OAuth2App } from './apps';
import { insertCode } from './codes';
import { splitScope } from './scopes';

type Deps = Pick<SandboxDeps, 'db' | 'clock'>;

/** An authorize request that passed its checks: what the consent page shows and posts back. */
export interface AuthorizeRequest {
  app: OAuth2App;
  redirectUri: string;
  scope: string;
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string | undefined;
}

/** The authorize parameters the page posts back as hidden fields, and the control API accepts. */
export const AUTHORIZE_PARAMETERS = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method'] as const;

export type AuthorizeCheck = { ok: true; request: AuthorizeRequest } | { ok: false; redirect: string };

const CODE_LIFETIME_MS = 5 * 60_000;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Checks an authorize request. An unknown client, a redirect URI not registered exactly or a
 * scope the app may not have cannot be sent back to the app: they throw (an error page, as
 * Xero shows). Other faults go back to the redirect URI as `error=…&state=…` (RFC 6749 §4.1.2.1).
 * @see PROTOCOL.md §6.2, §6.5
 */
export function checkAuthorizeRequest(deps: Deps, params: (name: string) => string | undefined): AuthorizeCheck {
  const clientId = params('client_id') ?? '';
  const app = clientId ? findOAuth2App(deps.db, clientId) : undefined;
  if (!app || app.type === 'custom_connection') throw new AppError('invalid', `unauthorized_client: no app that signs users in has the client id "${clientId}".`, { field: 'client_id' });
  const redirectUri = params('redirect_uri') ?? '';
  if (!app.redirectUris.includes(redirectUri)) throw new AppError('invalid', `invalid_request: the redirect_uri "${redirectUri}" is not one of the app's registered redirect URIs.`, { field: 'redirect_uri' });
  const scopes = splitScope(params('scope') ?? '');
  const refused = scopes.filter((scope) => !app.scopes.includes(scope));
  if (scopes.length === 0 || refused.length > 0) {
    throw new AppError('invalid', `invalid_scope: ${scopes.length === 0 ? 'no scope was requested' : `the app may not ask for ${refused.join(', ')}`}.`, { field: 'scope' });
  }
  const state = params('state');
  const back = (error: string, description: string): AuthorizeCheck => ({ ok: false, redirect: errorRedirect(redirectUri, error, description, state) });
  if (params('response_type') !== 'code') return back('unsupported_response_type', 'response_type must be "code"');
  const codeChallenge = params('code_challenge');
  const method = params('code_challenge_method');
  if (codeChallenge !== undefined || method !== undefined) {
    if (method !== 'S256') return back('invalid_request', 'code_challenge_method must be S256');
    if (!codeChallenge || !CHALLENGE.test(codeChallenge)) return back('invalid_request', 'code_challenge must be the base64url SHA-256 of the code_verifier (43 characters)');
  } else if (app.type === 'pkce') {
    return back('invalid_request', 'code_challenge is required for this app (Auth Code with PKCE)');
  }
  return { ok: true, request: { app, redirectUri, scope: scopes.join(' '), state, nonce: params('nonce'), codeChallenge } };
}

/**
 * Records the user's Allow (with the organisations ticked) or Deny and answers the redirect:
 * `code` and `state`, or `error=access_denied`. A code lives 5 minutes and works once.
 */
export function decideAuthorization(deps: Deps, request: AuthorizeRequest, organisationIds: readonly string[], decision: 'allow' | 'deny'): string {
  if (decision === 'deny') return errorRedirect(request.redirectUri, 'access_denied', 'The user denied access', request.state);
  const unique = [...new Set(organisationIds)];
  if (unique.length === 0) throw new AppError('invalid', 'Choose at least one organisation to connect.', { field: 'organisationIds' });
  for (const id of unique) {
    if (!findOrganisation(deps.db, id)) throw new AppError('invalid', `organisationIds: no sandbox organisation has the id ${JSON.stringify(id)}.`, { field: 'organisationIds' });
  }
  const code = randomCode(64, '0123456789abcdef');
  insertCode(deps.db, {
    code,
    clientId: request.app.clientId,
    redirectUri: request.redirectUri,
    scope: request.scope,
    nonce: request.nonce,
    codeChallenge: request.codeChallenge,
    organisationIds: unique,
    expiresAt: new Date(deps.clock.now().getTime() + CODE_LIFETIME_MS).toISOString(),
  });
  return withParameters(request.redirectUri, [['code', code], ['scope', request.scope], ...(request.state !== undefined ? [['state', request.state] as const] : [])]);
}

function errorRedirect(redirectUri: string, error: string, description: string, state: string | undefined): string {
  return withParameters(redirectUri, [['error', error], ['error_description', description], ...(state !== undefined ? [['state', state] as const] : [])]);
}
