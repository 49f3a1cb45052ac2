import type { Context, MiddlewareHandler } from 'hono';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { findOAuth2App, type OAuth2App } from './apps';
import { findGrant, listConnections, type Grant } from './grants';
import { scopeAllows, splitScope } from './scopes';
import { sendAuthenticationUnsuccessful, sendAuthorizationUnsuccessful, sendUnauthorized, xeroExpiryTime } from './problems';
import { findAccessToken, type AccessToken } from './tokens';

/** A live access token with its grant and app. */
export interface BearerCaller {
  token: AccessToken;
  grant: Grant;
  app: OAuth2App;
}

/** Whether a request carries an OAuth 2.0 bearer token rather than an OAuth 1.0a signature. */
export const isBearer = (authorization: string | undefined): boolean => /^Bearer\s/i.test(authorization ?? '');

/**
 * Resolves `Authorization: Bearer …` to its caller, or answers 401: `TokenExpired` after 30
 * minutes by the sandbox clock, `AuthenticationUnsuccessful` for an unknown or revoked token.
 */
export function resolveBearer(deps: SandboxDeps, c: Context<SandboxEnv>): BearerCaller | Response {
  const value = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
  const token = value ? findAccessToken(deps.db, value) : undefined;
  const grant = token ? findGrant(deps.db, token.grantId) : undefined;
  const app = grant ? findOAuth2App(deps.db, grant.clientId) : undefined;
  if (!token || !grant || !app || grant.revokedAt) return sendUnauthorized(c, 'AuthenticationUnsuccessful');
  if (deps.clock.now().getTime() >= Date.parse(token.expiresAt)) return sendUnauthorized(c, `TokenExpired: token expired at ${xeroExpiryTime(token.expiresAt)}`);
  return { token, grant, app };
}

/**
 * Authenticates an Accounting or Payroll call made with a bearer token: the token, the
 * `xero-tenant-id` among the grant's connections (a custom connection may leave it out), and
 * the scope the resource needs. Sets `c.get('auth')` as the OAuth 1.0a verifier does.
 * @see PROTOCOL.md §4.4, §6.2, §6.6
 */
export function bearerAuthenticate(deps: SandboxDeps): MiddlewareHandler<SandboxEnv> {
  return async (c, next) => {
    const caller = resolveBearer(deps, c);
    if (caller instanceof Response) return caller;
    const connections = listConnections(deps.db, caller.grant.id);
    const header = c.req.header('xero-tenant-id')?.trim();
    const tenantId = header || (caller.app.type === 'custom_connection' ? connections[0]?.tenantId : undefined);
    if (!tenantId || !connections.some((connection) => connection.tenantId.toLowerCase() === tenantId.toLowerCase())) return sendAuthenticationUnsuccessful(c);
    const scopes = new Set(splitScope(caller.token.scope));
    if (!scopeAllows(scopes, c.req.method, c.req.path)) return sendAuthorizationUnsuccessful(c);
    const organisationId = connections.find((connection) => connection.tenantId.toLowerCase() === tenantId.toLowerCase())!.tenantId;
    c.set('auth', { consumerKey: caller.app.clientId, appType: 'oauth2', organisationId, token: caller.token.token, oauth2: { grantId: caller.grant.id, scopes } });
    await next();
  };
}

/** Sends bearer calls to `bearer` and everything else to `oauth1`. */
export function eitherAuthentication(bearer: MiddlewareHandler<SandboxEnv>, oauth1: MiddlewareHandler<SandboxEnv>): MiddlewareHandler<SandboxEnv> {
  return (c, next) => (isBearer(c.req.header('authorization')) ? bearer(c, next) : oauth1(c, next));
}
