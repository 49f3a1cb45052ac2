import { AppError } from '../../lib/errors';
import { Secret } from '../../lib/secret';
import { signRequest } from '../oauth1/sign-request';
import { signingCredentials, type XeroAccess, type XeroConsumer } from './credentials';
import { xeroEndpoints } from './endpoints';
import type { XeroRequest, XeroResponse } from './http';
import { readTokenAnswer } from './token-answer';

/** An access token as Xero issued it; a partner app's comes with a session handle to renew it. */
export interface AccessToken {
  token: Secret;
  secret: Secret;
  /** Seconds until the token expires (1800 at Xero). */
  expiresIn: number;
  sessionHandle?: Secret;
  /** Seconds the whole authorisation lasts (partner apps; 315360000 = 10 years at Xero). */
  authorizationExpiresIn?: number;
  /** Sent by Xero, meaning undocumented; taken to be the organisation the user picked. */
  xeroOrgMuid?: string;
}

/** What step 3 of linking needs: the approved request token and the verifier Xero gave the user. */
export interface AccessTokenInput {
  apiUrl: string;
  consumer: XeroConsumer;
  /** The request token the user approved, with its secret. */
  requestToken: XeroAccess;
  /** `oauth_verifier` from the callback (or typed in by the user after `oob`). */
  verifier: string;
  now: Date;
  nonce?: string;
}

/**
 * Builds step 3 of linking: POST /oauth/AccessToken signed with the approved request token,
 * with `oauth_verifier` in the Authorization header.
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-2.3; PROTOCOL.md §1.3
 */
export function buildAccessTokenRequest(input: AccessTokenInput): XeroRequest {
  if (input.verifier === '') throw new AppError('invalid', 'The verifier is empty.', { field: 'verifier' });
  return tokenRequest(input.apiUrl, input.consumer, input.requestToken, { oauth_verifier: input.verifier }, input.now, input.nonce);
}

/** Builds a token endpoint call signed with a token, with the given extra protocol parameters. */
export function tokenRequest(apiUrl: string, consumer: XeroConsumer, access: XeroAccess, extraOAuth: Record<string, string>, now: Date, nonce?: string): XeroRequest {
  const url = xeroEndpoints(apiUrl).accessToken;
  const { authorization } = signRequest({ method: 'POST', url, credentials: signingCredentials(consumer, access), extraOAuth, now, ...(nonce !== undefined ? { nonce } : {}) });
  return { method: 'POST', url, headers: { Authorization: authorization } };
}

// Xero always sent oauth_expires_in=1800. If it were missing, refusing a good token would be
// worse than assuming the documented lifetime: after a renewal the old token is already dead.
const DOCUMENTED_LIFETIME_SECONDS = 1800;

/**
 * Reads an AccessToken answer, first link or partner renewal alike: `oauth_token`,
 * `oauth_token_secret`, `oauth_expires_in`, and where sent `oauth_session_handle`,
 * `oauth_authorization_expires_in` and `xero_org_muid`.
 * @see PROTOCOL.md §1.3, §1.4
 */
export function processAccessTokenResponse(response: XeroResponse): AccessToken {
  const answer = readTokenAnswer(response, 'access-token');
  const result: AccessToken = {
    token: new Secret(answer['oauth_token']!),
    secret: new Secret(answer['oauth_token_secret']!),
    expiresIn: seconds(answer['oauth_expires_in']) ?? DOCUMENTED_LIFETIME_SECONDS,
  };
  if (answer['oauth_session_handle']) result.sessionHandle = new Secret(answer['oauth_session_handle']);
  const authorizationExpiresIn = seconds(answer['oauth_authorization_expires_in']);
  if (authorizationExpiresIn !== undefined) result.authorizationExpiresIn = authorizationExpiresIn;
  if (answer['xero_org_muid']) result.xeroOrgMuid = answer['xero_org_muid'];
  return result;
}

function seconds(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,12}$/.test(text) ? Number(text) : undefined;
}
