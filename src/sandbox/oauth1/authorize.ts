import { AppError } from '../../lib/errors';
import type { SandboxDeps } from '../deps';
import { findOrganisation, type SandboxOrganisation } from '../organisations';
import { newVerifier } from './codes';
import { formEncode } from './problems';
import { decideRequestToken, findRequestToken, type RequestToken } from './request-tokens';

type Deps = Pick<SandboxDeps, 'db' | 'clock'>;

export type Decision = 'allow' | 'deny';

/** What the user's decision leads to. */
export interface AuthorizeOutcome {
  /** The callback with its parameters, or null for an `oob` app. */
  redirect: string | null;
  /** The verifier when allowed, else null. */
  verifier: string | null;
  organisation: SandboxOrganisation | null;
}

/**
 * Finds a request token the user may still decide on.
 * @throws AppError `not_found` for an unknown token, `invalid` once expired, `conflict` once decided.
 */
export function findPendingRequestToken(deps: Deps, token: string): RequestToken {
  const found = token ? findRequestToken(deps.db, token) : undefined;
  if (!found) throw new AppError('not_found', 'This authorisation link is not valid: the request token is unknown.', { field: 'oauthToken' });
  if (deps.clock.now().getTime() >= Date.parse(found.expiresAt)) {
    throw new AppError('invalid', 'This authorisation link has expired. Go back to the application and connect again.', { field: 'oauthToken' });
  }
  if (found.state !== 'pending') {
    throw new AppError('conflict', 'This authorisation link has already been used. Go back to the application and connect again.', { field: 'oauthToken' });
  }
  return found;
}

/**
 * Records the user's Allow or Deny for a pending request token. Allow redirects to the callback
 * with `oauth_token`, `oauth_verifier` and `org` (the organisation's short code); Deny with
 * `oauth_token` and `oauth_problem=permission_denied`. An `oob` app gets no redirect.
 * @see PROTOCOL.md §1.3 (the format of `org` is the sandbox's choice)
 */
export function authorizeRequestToken(deps: Deps, token: string, organisationId: string | undefined, decision: Decision): AuthorizeOutcome {
  const pending = findPendingRequestToken(deps, token);
  if (decision === 'deny') {
    if (!decideRequestToken(deps.db, pending.token, { state: 'denied' })) throw alreadyDecided();
    const redirect = pending.callback === 'oob' ? null : withParameters(pending.callback, [['oauth_token', pending.token], ['oauth_problem', 'permission_denied']]);
    return { redirect, verifier: null, organisation: null };
  }
  const organisation = organisationId ? findOrganisation(deps.db, organisationId) : undefined;
  if (!organisation) throw new AppError('invalid', 'Choose one of the organisations listed to connect.', { field: 'organisationId' });
  const verifier = newVerifier();
  if (!decideRequestToken(deps.db, pending.token, { state: 'authorized', verifier, organisationId: organisation.id })) throw alreadyDecided();
  const redirect =
    pending.callback === 'oob'
      ? null
      : withParameters(pending.callback, [['oauth_token', pending.token], ['oauth_verifier', verifier], ['org', organisation.shortCode]]);
  return { redirect, verifier, organisation };
}

const alreadyDecided = () => new AppError('conflict', 'This authorisation link has already been used. Go back to the application and connect again.', { field: 'oauthToken' });

/** Appends query parameters to a callback URL, keeping its own query and fragment as they were. */
export function withParameters(callback: string, pairs: ReadonlyArray<readonly [string, string]>): string {
  const hashAt = callback.indexOf('#');
  const base = hashAt === -1 ? callback : callback.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : callback.slice(hashAt);
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${formEncode(pairs)}${fragment}`;
}
