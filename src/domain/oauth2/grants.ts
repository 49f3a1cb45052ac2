import * as oauth from 'oauth4webapi';
import { AppError } from '../../lib/errors';
import { Secret } from '../../lib/secret';
import { clientAuthOf, clientOf, identityServer, requestOptions, type OAuth2App, type OAuth2Net } from './app';
import { atIdentityServer } from './errors';

/** What the token endpoint gave: an access token for 30 minutes and, with offline_access, the next refresh token. */
export interface TokenAnswer {
  accessToken: Secret;
  /** Absent for client credentials, and when offline_access was not granted. */
  refreshToken: Secret | undefined;
  /** Seconds the access token lasts (1800 at Xero). */
  expiresIn: number;
  scopes: string[];
}

// Xero always sends expires_in=1800; if it were missing, the documented lifetime is the safe guess.
const DOCUMENTED_LIFETIME_SECONDS = 1800;

function tokenAnswer(response: oauth.TokenEndpointResponse): TokenAnswer {
  return {
    accessToken: new Secret(response.access_token),
    refreshToken: response.refresh_token ? new Secret(response.refresh_token) : undefined,
    expiresIn: typeof response.expires_in === 'number' && response.expires_in > 0 ? response.expires_in : DOCUMENTED_LIFETIME_SECONDS,
    scopes: (response.scope ?? '').split(/\s+/).filter(Boolean),
  };
}

/**
 * Swaps the authorisation code for tokens: `grant_type=authorization_code` with the redirect URI,
 * the app's Basic credentials, or its client id and the PKCE verifier.
 * @see PROTOCOL.md §6.2, §6.5
 */
export function exchangeCode(net: OAuth2Net, app: OAuth2App, callback: URLSearchParams, codeVerifier: string | undefined): Promise<TokenAnswer> {
  const as = identityServer(app);
  if (app.type === 'oauth2_pkce' && codeVerifier === undefined) throw new AppError('internal', 'A PKCE exchange needs the code verifier made with its authorisation URL.');
  return atIdentityServer('exchanging the authorisation code', async () => {
    const response = await oauth.authorizationCodeGrantRequest(as, clientOf(app), clientAuthOf(app), callback, app.redirectUri, codeVerifier ?? oauth.nopkce, requestOptions(net, as.token_endpoint!));
    return tokenAnswer(await oauth.processAuthorizationCodeResponse(as, clientOf(app), response));
  });
}

/**
 * Refreshes: `grant_type=refresh_token`. Xero answers with a new refresh token every time; the
 * one sent is dead from then on, except that it may be sent again for 30 minutes if this
 * answer is lost. Callers must store the new one before using the access token.
 * @see PROTOCOL.md §6.4
 */
export function refreshTokens(net: OAuth2Net, app: OAuth2App, refreshToken: Secret): Promise<TokenAnswer> {
  const as = identityServer(app);
  return atIdentityServer('refreshing the token', async () => {
    const response = await oauth.refreshTokenGrantRequest(as, clientOf(app), clientAuthOf(app), refreshToken.reveal(), requestOptions(net, as.token_endpoint!));
    return tokenAnswer(await oauth.processRefreshTokenResponse(as, clientOf(app), response));
  });
}

/**
 * A custom connection's access token: `grant_type=client_credentials`, no refresh token; ask
 * again whenever it ends. No scope is sent: the connection's scopes were fixed when it was set up.
 * @see PROTOCOL.md §6.6
 */
export function clientCredentials(net: OAuth2Net, app: OAuth2App): Promise<TokenAnswer> {
  const as = identityServer(app);
  return atIdentityServer('asking for a custom connection\'s token', async () => {
    const response = await oauth.clientCredentialsGrantRequest(as, clientOf(app), clientAuthOf(app), new URLSearchParams(), requestOptions(net, as.token_endpoint!));
    return tokenAnswer(await oauth.processClientCredentialsResponse(as, clientOf(app), response));
  });
}

/**
 * Revokes a refresh token: Xero then ends the whole grant, every connection it made.
 * @see PROTOCOL.md §6.4 (revocation)
 */
export function revokeRefreshToken(net: OAuth2Net, app: OAuth2App, refreshToken: Secret): Promise<void> {
  const as = identityServer(app);
  return atIdentityServer('revoking the grant', async () => {
    const response = await oauth.revocationRequest(as, clientOf(app), clientAuthOf(app), refreshToken.reveal(), { ...requestOptions(net, as.revocation_endpoint!), additionalParameters: { token_type_hint: 'refresh_token' } });
    await oauth.processRevocationResponse(response);
  });
}
