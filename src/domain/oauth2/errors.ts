import * as oauth from 'oauth4webapi';
import { XeroError, type XeroErrorOptions } from '../xero/xero-error';

/**
 * A refusal from Xero's identity server, with the OAuth error code it sent (`invalid_grant`,
 * `invalid_client`, `access_denied`…) so callers act on the code, never on the wording.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class OAuth2Error extends XeroError {
  readonly oauthError: string;

  constructor(code: 'upstream' | 'unavailable', oauthError: string, message: string, options: XeroErrorOptions) {
    super(code, message, options);
    this.name = 'OAuth2Error';
    this.oauthError = oauthError;
  }
}

/** Whether an error is Xero refusing a grant: an authorisation code or refresh token that is used, expired or revoked. */
export const isInvalidGrant = (error: unknown): error is OAuth2Error => error instanceof OAuth2Error && error.oauthError === 'invalid_grant';

const MEANING: Record<string, string> = {
  invalid_grant: 'the code or refresh token was already used, has expired, or was revoked',
  invalid_client: "Xero does not accept the app's client id or secret",
  unauthorized_client: 'the app may not use this kind of grant',
  unsupported_grant_type: 'the app may not use this kind of grant',
  invalid_scope: 'a scope asked for is unknown or not allowed for this app',
  access_denied: 'the person at Xero did not allow access',
  invalid_request: 'the request was malformed',
};

// Error codes that say "not now" rather than "no".
const TRANSIENT = new Set(['server_error', 'temporarily_unavailable']);

const HINTS: Record<string, string> = {
  invalid_client: 'Check xero.client_id and xero.client_secret against the app in the Xero developer portal.',
  unauthorized_client: 'Check xero.app_type against the app in the Xero developer portal (web app, PKCE or custom connection).',
  unsupported_grant_type: 'Check xero.app_type against the app in the Xero developer portal (web app, PKCE or custom connection).',
  invalid_scope: 'Check xero.scopes: apps created since March 2026 use granular scopes such as accounting.invoices.',
};

/**
 * Runs one exchange with the identity server (an oauth4webapi request and its processing) and
 * turns whatever fails into an OAuth2Error or a retryable XeroError, saying whether the request
 * may have changed something at Xero. `what` names the step for messages ("refreshing the token").
 */
export async function atIdentityServer<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw identityError(what, error);
  }
}

function identityError(what: string, error: unknown): XeroError {
  if (error instanceof XeroError) return error;
  const status =
    error instanceof oauth.ResponseBodyError || error instanceof oauth.WWWAuthenticateChallengeError
      ? error.status
      : error instanceof oauth.OperationProcessingError && error.cause instanceof Response
        ? error.cause.status
        : undefined;
  const transient = (status !== undefined && (status >= 500 || status === 429)) || (error instanceof oauth.ResponseBodyError && TRANSIENT.has(error.error));
  if (!transient && (error instanceof oauth.ResponseBodyError || error instanceof oauth.AuthorizationResponseError)) {
    return refusal(what, error.error, error.error_description, error);
  }
  if (!transient && error instanceof oauth.WWWAuthenticateChallengeError) {
    const challenge = error.cause[0];
    const code = typeof challenge?.parameters['error'] === 'string' ? challenge.parameters['error'] : 'invalid_client';
    return refusal(what, code, challenge?.parameters['error_description'], error);
  }
  if (transient) {
    // The server may have acted before failing (a refresh may have rotated): the outcome is unknown.
    return new XeroError('unavailable', `Xero's identity server failed while ${what}${status !== undefined ? ` (HTTP ${status})` : ''}; try again.`, { retryable: true, delivery: 'unknown', cause: error });
  }
  if (error instanceof oauth.OperationProcessingError || error instanceof oauth.UnsupportedOperationError) {
    return new XeroError('upstream', `Xero's identity server answered unexpectedly while ${what}: ${error.message}${status !== undefined ? ` (HTTP ${status})` : ''}.`, { retryable: false, delivery: 'answered', cause: error });
  }
  // oauth4webapi refuses wrong arguments with coded TypeErrors: a bug here, not trouble at Xero.
  if (error instanceof TypeError && /^ERR_INVALID_ARG/.test(String((error as { code?: unknown }).code))) {
    return new XeroError('upstream', `The proxy built a wrong request while ${what}: ${error.message}`, { retryable: false, delivery: 'not_sent', cause: error });
  }
  // Anything else broke while the answer was being read: it may have been acted on.
  return new XeroError('unavailable', `The answer from Xero's identity server was cut off while ${what}; its outcome is unknown.`, { retryable: true, delivery: 'unknown', cause: error });
}

function refusal(what: string, code: string, description: string | undefined, cause: unknown): OAuth2Error {
  const meaning = MEANING[code] ?? 'see the OAuth 2.0 error code';
  const detail = description ? ` Xero says: "${description.slice(0, 200)}"` : '';
  const hint = HINTS[code];
  return new OAuth2Error('upstream', code, `While ${what}, Xero answered ${code}: ${meaning}.${detail}`, {
    retryable: false,
    delivery: 'answered',
    cause,
    ...(hint ? { hint } : {}),
  });
}
