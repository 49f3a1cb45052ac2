import { createHash } from 'node:crypto';
import type { SandboxDeps } from '../deps';
import type { OAuth2App } from './apps';
import { consumeCode } from './codes';
import { findGrant, findLiveGrantOfClient, insertGrant, revokeGrant, type Grant } from './grants';
import { splitScope } from './scopes';
import { invalidGrant, invalidRequest, TokenError } from './token-error';
import { findRefreshToken, insertAccessToken, insertRefreshToken, markRotated, type AccessToken } from './tokens';

type Deps = Pick<SandboxDeps, 'db' | 'clock' | 'oauth2'>;

/** What a successful token request produced, before it is encoded. */
export interface Issued {
  grant: Grant;
  accessToken: AccessToken;
  refreshToken: string | undefined;
  nonce: string | undefined;
}

/** The 30-minute window in which a just-rotated refresh token may be presented again. @see PROTOCOL.md §6.4 */
export const ROTATION_GRACE_MS = 30 * 60_000;

/**
 * `grant_type=authorization_code`: a code works once, within 5 minutes, for the client and
 * redirect URI it was issued to, and with the verifier of its S256 challenge when it has one.
 * A reused code is `invalid_grant` and revokes nothing.
 */
export function exchangeCode(deps: Deps, app: OAuth2App, form: Record<string, string>): Issued | TokenError {
  if (!form['code']) return invalidRequest('code is required');
  if (!form['redirect_uri']) return invalidRequest('redirect_uri is required');
  const now = deps.clock.now();
  return deps.db.transaction((): Issued | TokenError => {
    const code = consumeCode(deps.db, form['code']!, now);
    if (!code || code.clientId !== app.clientId) return invalidGrant('The authorization code is invalid or has already been used');
    if (now.getTime() >= Date.parse(code.expiresAt)) return invalidGrant('The authorization code has expired');
    if (code.redirectUri !== form['redirect_uri']) return invalidGrant('redirect_uri does not match the one the code was issued for');
    if (code.codeChallenge !== undefined) {
      const verifier = form['code_verifier'] ?? '';
      if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return invalidGrant('code_verifier is missing or malformed');
      if (createHash('sha256').update(verifier).digest('base64url') !== code.codeChallenge) return invalidGrant('code_verifier does not match the code_challenge');
    } else if (form['code_verifier'] !== undefined) {
      return invalidGrant('code_verifier was sent but the authorize request had no code_challenge');
    }
    const grant = insertGrant(deps.db, app.clientId, code.scope, code.organisationIds, now);
    return issue(deps, grant, now, code.nonce);
  }).immediate();
}

/**
 * `grant_type=refresh_token` with strict rotation: the current token is exchanged for a new one.
 * The previous token, within 30 minutes of its rotation, gets the same successor again (a lost
 * response), never a fork. Anything older, or the previous token after the grace, revokes the
 * whole grant. An unused token expires after 60 days without revoking anything.
 */
export function refreshGrant(deps: Deps, app: OAuth2App, form: Record<string, string>): Issued | TokenError {
  if (!form['refresh_token']) return invalidRequest('refresh_token is required');
  const now = deps.clock.now();
  return deps.db.transaction((): Issued | TokenError => {
    const presented = findRefreshToken(deps.db, form['refresh_token']!);
    const grant = presented ? findGrant(deps.db, presented.grantId) : undefined;
    if (!presented || !grant || grant.clientId !== app.clientId || grant.revokedAt) return invalidGrant('The refresh token is invalid, expired or revoked');
    if (presented.replacedBy === undefined) {
      if (now.getTime() >= Date.parse(presented.expiresAt)) return invalidGrant('The refresh token has expired');
      const next = insertRefreshToken(deps.db, grant.id, now);
      markRotated(deps.db, presented.token, next.token, now);
      return { ...issue(deps, grant, now, undefined, false), refreshToken: next.token };
    }
    const successor = findRefreshToken(deps.db, presented.replacedBy);
    const withinGrace = now.getTime() < Date.parse(presented.rotatedAt!) + ROTATION_GRACE_MS;
    if (successor && successor.replacedBy === undefined && withinGrace) {
      return { ...issue(deps, grant, now, undefined, false), refreshToken: successor.token };
    }
    revokeGrant(deps.db, grant.id, now);
    return invalidGrant('The refresh token has been used before; the grant is revoked');
  }).immediate();
}

/**
 * `grant_type=client_credentials` for a custom connection: an access token for its one
 * organisation, never a refresh token. `scope`, when given, must be within the app's scopes.
 */
export function clientCredentials(deps: Deps, app: OAuth2App, form: Record<string, string>): Issued | TokenError {
  if (app.type !== 'custom_connection') return new TokenError(400, 'unauthorized_client', 'Only a custom connection may use client_credentials');
  const asked = splitScope(form['scope'] ?? '');
  const refused = asked.filter((scope) => !app.scopes.includes(scope));
  if (refused.length > 0) return new TokenError(400, 'invalid_scope', `The app may not ask for ${refused.join(', ')}`);
  const scope = (asked.length > 0 ? asked : app.scopes).join(' ');
  const now = deps.clock.now();
  return deps.db.transaction((): Issued => {
    const grant = findLiveGrantOfClient(deps.db, app.clientId) ?? insertGrant(deps.db, app.clientId, app.scopes.join(' '), [app.tenantId!], now);
    return { grant, accessToken: insertAccessToken(deps.db, grant.id, scope, now, deps.oauth2.settings.accessTokenSeconds), refreshToken: undefined, nonce: undefined };
  }).immediate();
}

function issue(deps: Deps, grant: Grant, now: Date, nonce: string | undefined, withRefresh = true): Issued {
  const accessToken = insertAccessToken(deps.db, grant.id, grant.scope, now, deps.oauth2.settings.accessTokenSeconds);
  const offline = splitScope(grant.scope).includes('offline_access');
  const refreshToken = withRefresh && offline ? insertRefreshToken(deps.db, grant.id, now).token : undefined;
  return { grant, accessToken, refreshToken, nonce };
}
