import * as oauth from 'oauth4webapi';
import { AppError } from '../../lib/errors';
import { clientOf, identityServer, type OAuth2App } from './app';
import { atIdentityServer } from './errors';

/** An authorisation about to start: where to send the browser, and what must be kept to finish it. */
export interface AuthorizationStart {
  url: string;
  /** Matched against the callback's `state`; the callback carries it back, so it finds this start. */
  state: string;
  /** PKCE apps: sent with the code; the authorisation URL carries only its SHA-256. */
  codeVerifier: string | undefined;
}

/**
 * Builds the authorisation URL: `response_type=code`, the client id, the redirect URI, the
 * scopes and a fresh `state`; PKCE apps add an S256 code challenge. `fixed` is for tests only.
 * @see PROTOCOL.md §6.2, §6.5; https://www.rfc-editor.org/rfc/rfc7636
 */
export async function buildAuthorizationUrl(app: OAuth2App, fixed: { state?: string; codeVerifier?: string } = {}): Promise<AuthorizationStart> {
  if (app.type === 'custom_connection') throw new AppError('internal', 'A custom connection is authorised by Xero by email, never through the browser.');
  const url = new URL(identityServer(app).authorization_endpoint!);
  const state = fixed.state ?? oauth.generateRandomState();
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', app.clientId);
  url.searchParams.set('redirect_uri', app.redirectUri);
  url.searchParams.set('scope', app.scopes.join(' '));
  url.searchParams.set('state', state);
  let codeVerifier: string | undefined;
  if (app.type === 'oauth2_pkce') {
    codeVerifier = fixed.codeVerifier ?? oauth.generateRandomCodeVerifier();
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return { url: url.href, state, codeVerifier };
}

/**
 * Reads the parameters Xero put on the redirect (the callback's query, or the address a person
 * pasted): checks `state` and turns `error=access_denied` and the like into an OAuth2Error.
 * Returns the parameters the code exchange takes.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export function readAuthorizationResponse(app: OAuth2App, parameters: URLSearchParams, expectedState: string): Promise<URLSearchParams> {
  return atIdentityServer('reading the answer from Xero\'s authorisation page', async () => oauth.validateAuthResponse(identityServer(app), clientOf(app), parameters, expectedState));
}

/**
 * The answer in an address a person pasted: where Xero sent the browser (a localhost page that
 * did not load elsewhere). It must hold `state` and a `code` or an `error`.
 */
export function pastedAnswer(address: string): URLSearchParams {
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    throw new AppError('invalid', 'That is not a web address. Copy the whole address from the address bar of the tab Xero sent you to.', { field: 'address' });
  }
  if (!url.searchParams.get('state') || (!url.searchParams.get('code') && !url.searchParams.get('error'))) {
    throw new AppError('invalid', 'That address holds no answer from Xero (no code and state). Copy the address of the tab Xero sent you to after you chose Allow access.', { field: 'address' });
  }
  return url.searchParams;
}
