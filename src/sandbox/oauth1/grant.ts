import { immediate } from '../../store/db';
import type { SandboxDeps } from '../deps';
import { insertAccessToken, revokeAccessTokens, supersedeAccessToken, type AccessToken } from './access-tokens';
import type { SandboxApp } from './apps';
import { newCredential } from './codes';
import { OAuthProblem, problems, REVOKED_ADVICE, unexpectedToken } from './problems';
import { insertRequestToken, markRequestTokenUsed, pruneRequestTokens, type RequestToken } from './request-tokens';

type Deps = Pick<SandboxDeps, 'db' | 'clock'>;

/** How long a request token may wait for the user and the exchange (the sandbox's choice). */
export const REQUEST_TOKEN_SECONDS = 30 * 60;
/** Xero's access-token lifetime: `oauth_expires_in=1800`. */
export const ACCESS_TOKEN_SECONDS = 1800;
/** A partner authorisation's lifetime as Xero reported it: `oauth_authorization_expires_in=315360000` (10 years). */
export const AUTHORIZATION_SECONDS = 315_360_000;
/** Xero's limit on a callback URL's length. */
export const MAX_CALLBACK_LENGTH = 250;

const later = (from: Date, seconds: number) => new Date(from.getTime() + seconds * 1000).toISOString();
// Rounded up, so a token answered a few milliseconds after it was made still says 1800.
const secondsUntil = (iso: string, now: Date) => Math.max(0, Math.ceil((Date.parse(iso) - now.getTime()) / 1000));

/**
 * RequestToken: a temporary credential for a public or partner app. The callback must be `oob`
 * or an absolute http(s) URL of at most 250 characters.
 * @see PROTOCOL.md §1.1
 */
export function issueRequestToken(deps: Deps, app: SandboxApp, callback: string): RequestToken | OAuthProblem {
  if (callback !== 'oob') {
    if (callback.length > MAX_CALLBACK_LENGTH) return problems.parameterRejected(['oauth_callback'], `The callback URL must be at most ${MAX_CALLBACK_LENGTH} characters, or oob`);
    // The callback ends up in a Location header, so it must be printable ASCII (percent-encode the rest).
    if (!/^https?:\/\/[^/?#]+/i.test(callback) || !/^[\x21-\x7e]+$/.test(callback) || !URL.canParse(callback)) {
      return problems.parameterRejected(['oauth_callback'], 'The callback must be an absolute http or https URL in printable ASCII, or oob');
    }
  }
  const now = deps.clock.now();
  // Tokens a day past their expiry can only ever earn an "unknown token" answer, so they go.
  pruneRequestTokens(deps.db, later(now, -24 * 60 * 60));
  const token: RequestToken = {
    token: newCredential(),
    secret: newCredential(),
    consumerKey: app.consumerKey,
    callback,
    verifier: undefined,
    organisationId: undefined,
    state: 'pending',
    createdAt: now.toISOString(),
    expiresAt: later(now, REQUEST_TOKEN_SECONDS),
  };
  insertRequestToken(deps.db, token);
  return token;
}

/**
 * AccessToken, first leg: swaps an authorised request token and its verifier for an access
 * token. The request token is spent (compare-and-swap, so two racing exchanges cannot both
 * win), and the app's earlier tokens for the same organisation are revoked, as Xero replaced
 * them on a new authorisation.
 * @see PROTOCOL.md §1.3
 */
export function exchangeRequestToken(deps: Deps, app: SandboxApp, request: RequestToken, verifier: string): AccessToken | OAuthProblem {
  const now = deps.clock.now();
  if (request.state === 'used') return problems.tokenRejected(unexpectedToken(request.token));
  if (now.getTime() >= Date.parse(request.expiresAt)) return problems.tokenExpired('The request token has expired');
  if (request.state === 'pending') return problems.permissionUnknown();
  if (request.state === 'denied') return problems.permissionDenied('The user denied access to their organisation');
  if (verifier !== request.verifier) return problems.tokenRejected('The oauth_verifier does not match the request token');
  const organisationId = request.organisationId!;
  return immediate(deps.db, () => {
    if (!markRequestTokenUsed(deps.db, request.token)) return problems.tokenRejected(unexpectedToken(request.token));
    revokeAccessTokens(deps.db, app.consumerKey, organisationId);
    const partner = app.type === 'partner';
    const token: AccessToken = {
      token: newCredential(),
      secret: newCredential(),
      consumerKey: app.consumerKey,
      organisationId,
      sessionHandle: partner ? newCredential() : undefined,
      expiresAt: later(now, ACCESS_TOKEN_SECONDS),
      authorizationExpiresAt: partner ? later(now, AUTHORIZATION_SECONDS) : undefined,
      state: 'active',
      createdAt: now.toISOString(),
    };
    insertAccessToken(deps.db, token);
    return token;
  });
}

/**
 * AccessToken, renewal (partner apps only): the current access token, expired or not, plus its
 * session handle buys a new token and a new handle; the presented token is superseded, so any
 * later use of it is `token_rejected`.
 * @see PROTOCOL.md §1.4
 */
export function renewAccessToken(deps: Deps, app: SandboxApp, current: AccessToken, sessionHandle: string): AccessToken | OAuthProblem {
  const now = deps.clock.now();
  if (app.type !== 'partner') return problems.tokenRejected(`Only partner applications can renew access tokens; a ${app.type} application must ask the user to authorise again`);
  if (current.state === 'superseded') return problems.tokenRejected(unexpectedToken(current.token));
  if (current.state === 'revoked') return problems.tokenRejected(REVOKED_ADVICE);
  if (current.sessionHandle !== sessionHandle) return problems.tokenRejected('The session handle does not match the access token');
  if (current.authorizationExpiresAt && now.getTime() >= Date.parse(current.authorizationExpiresAt)) {
    return problems.tokenRejected('The authorisation has expired; ask the user to authorise the application again');
  }
  return immediate(deps.db, () => {
    if (!supersedeAccessToken(deps.db, current.token)) return problems.tokenRejected(unexpectedToken(current.token));
    const token: AccessToken = {
      ...current,
      token: newCredential(),
      secret: newCredential(),
      sessionHandle: newCredential(),
      expiresAt: later(now, ACCESS_TOKEN_SECONDS),
      state: 'active',
      createdAt: now.toISOString(),
    };
    insertAccessToken(deps.db, token);
    return token;
  });
}

/**
 * The AccessToken answer, in the order of the partner response xero-node recorded:
 * token, secret, expiry, then for partner apps the session handle and authorisation expiry,
 * then `xero_org_muid` (the sandbox sends the organisation id).
 */
export function accessTokenAnswer(token: AccessToken, now: Date): Array<[string, string]> {
  const pairs: Array<[string, string]> = [
    ['oauth_token', token.token],
    ['oauth_token_secret', token.secret],
    ['oauth_expires_in', String(secondsUntil(token.expiresAt, now))],
  ];
  if (token.sessionHandle) pairs.push(['oauth_session_handle', token.sessionHandle]);
  if (token.authorizationExpiresAt) pairs.push(['oauth_authorization_expires_in', String(secondsUntil(token.authorizationExpiresAt, now))]);
  pairs.push(['xero_org_muid', token.organisationId]);
  return pairs;
}
