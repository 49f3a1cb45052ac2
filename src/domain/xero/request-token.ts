import { AppError } from '../../lib/errors';
import { Secret } from '../../lib/secret';
import { signRequest } from '../oauth1/sign-request';
import { signingCredentials, type XeroConsumer } from './credentials';
import { xeroEndpoints } from './endpoints';
import type { XeroRequest, XeroResponse } from './http';
import { readTokenAnswer } from './token-answer';

/** An unauthorised request token: the user approves it at Xero, then it is swapped for an access token. */
export interface RequestToken {
  /** Shown to the user's browser in the Authorize URL, so kept as plain text. */
  token: string;
  secret: Secret;
  /** `oauth_callback_confirmed=true`: the server honours the callback (OAuth 1.0a, not 1.0). */
  callbackConfirmed: boolean;
}

/** What step 1 of linking needs: the app and where Xero should send the user back. */
export interface RequestTokenInput {
  apiUrl: string;
  consumer: XeroConsumer;
  /** Where Xero sends the browser back; `oob` shows the user a code to type instead. */
  callback: string;
  now: Date;
  nonce?: string;
}

// Xero refused longer callback URLs (PROTOCOL.md §1.1).
const MAX_CALLBACK = 250;

/**
 * Builds step 1 of linking a public or partner app: POST /oauth/RequestToken, signed by the
 * app alone, with `oauth_callback` in the Authorization header.
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-2.1; PROTOCOL.md §1.1
 */
export function buildRequestTokenRequest(input: RequestTokenInput): XeroRequest {
  if (input.callback === '') throw new AppError('invalid', 'The callback URL is empty; use "oob" when there is none.', { field: 'callback' });
  if (input.callback.length > MAX_CALLBACK) throw new AppError('invalid', `The callback URL is longer than Xero's ${MAX_CALLBACK} characters.`, { field: 'callback' });
  const url = xeroEndpoints(input.apiUrl).requestToken;
  const { authorization } = signRequest({
    method: 'POST',
    url,
    credentials: signingCredentials(input.consumer),
    extraOAuth: { oauth_callback: input.callback },
    now: input.now,
    ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
  });
  return { method: 'POST', url, headers: { Authorization: authorization } };
}

/**
 * Reads the RequestToken answer: `oauth_token`, `oauth_token_secret`, `oauth_callback_confirmed`.
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-2.1
 */
export function processRequestTokenResponse(response: XeroResponse): RequestToken {
  const answer = readTokenAnswer(response, 'request-token');
  return { token: answer['oauth_token']!, secret: new Secret(answer['oauth_token_secret']!), callbackConfirmed: answer['oauth_callback_confirmed'] === 'true' };
}
