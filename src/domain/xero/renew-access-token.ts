import { AppError } from '../../lib/errors';
import type { Secret } from '../../lib/secret';
import { processAccessTokenResponse, tokenRequest, type AccessToken } from './access-token';
import type { XeroAccess, XeroConsumer } from './credentials';
import type { XeroRequest, XeroResponse } from './http';

/** What a partner renewal needs: the newest access token and its session handle. */
export interface RenewalInput {
  apiUrl: string;
  consumer: XeroConsumer;
  /** The newest access token and its secret, expired or not; an older one is token_rejected. */
  accessToken: XeroAccess;
  sessionHandle: Secret;
  now: Date;
  nonce?: string;
}

/**
 * Builds a partner app's renewal: POST /oauth/AccessToken signed with the current access token,
 * `oauth_session_handle` in the Authorization header (as Xero-Net and xero-node sent it), no verifier.
 * @see PROTOCOL.md §1.4; https://developer.xero.com/documentation/auth-and-limits/partner-applications
 */
export function buildRenewalRequest(input: RenewalInput): XeroRequest {
  if (input.sessionHandle.isEmpty) throw new AppError('invalid', 'The session handle is empty; only partner apps can renew.', { field: 'sessionHandle' });
  return tokenRequest(input.apiUrl, input.consumer, input.accessToken, { oauth_session_handle: input.sessionHandle.reveal() }, input.now, input.nonce);
}

/**
 * Reads a renewal answer: the same shape as the first AccessToken answer, with a new token,
 * secret and session handle. The token it replaces is dead from now on.
 * @see PROTOCOL.md §1.4
 */
export function processRenewalResponse(response: XeroResponse): AccessToken {
  return processAccessTokenResponse(response);
}
