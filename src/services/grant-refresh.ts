import { isInvalidGrant } from '../domain/oauth2/errors';
import { clientCredentials, refreshTokens, type TokenAnswer } from '../domain/oauth2/grants';
import { XeroError } from '../domain/xero/xero-error';
import { AppError } from '../lib/errors';
import type { Secret } from '../lib/secret';
import type { OAuth2Credentials, TokenSet, TokenTimes } from '../store/token-sets';
import { oauth2App, oauth2Net } from './oauth2-app';
import type { XeroDeps } from './xero-app';

type OAuth2TokenSet = Extract<TokenSet, { kind: 'oauth2' }>;

/** Xero lets an unused refresh token live 60 days. @see PROTOCOL.md §6.4 */
export const REFRESH_TOKEN_IDLE_MS = 60 * 24 * 3600_000;
/** The previous refresh token may be sent again for 30 minutes if an answer was lost. @see PROTOCOL.md §6.4 */
export const GRACE_MS = 30 * 60_000;

/**
 * The network half of an OAuth 2.0 renewal, run while holding the token set's renewal guard:
 * a custom connection asks for a new access token; a grant sends its refresh token. Whether
 * Xero acted is unknown after a cut-off answer, so the same token is sent once more at once
 * (Xero takes it again within its grace window). Refused with `invalid_grant`, the previous
 * refresh token is tried if its grace window is still open. The caller saves the answer, new
 * refresh token and the one it replaces, before anyone uses the access token.
 */
export async function refreshGrant(deps: XeroDeps, current: OAuth2TokenSet): Promise<{ credentials: OAuth2Credentials; times: TokenTimes }> {
  const app = oauth2App(deps.config);
  const net = oauth2Net(deps);
  if (app.type === 'custom_connection' || current.credentials.refreshToken === undefined) {
    if (app.type !== 'custom_connection') throw new AppError('upstream', 'This grant has no refresh token (was offline_access granted?), so its access cannot be renewed.', { retryable: false });
    const answer = await clientCredentials(net, app);
    return { credentials: { accessToken: answer.accessToken, refreshToken: undefined, previousRefreshToken: undefined }, times: timesOf(deps, answer, false) };
  }
  const sent = current.credentials.refreshToken;
  try {
    return adopt(deps, await refreshOnceMore(() => refreshTokens(net, app, sent)), sent);
  } catch (error) {
    const previous = current.credentials.previousRefreshToken;
    const graceOpen = current.graceUntil !== null && deps.clock.now().toISOString() < current.graceUntil;
    if (!isInvalidGrant(error) || previous === undefined || !graceOpen) throw error;
    deps.logger.warn('refresh token refused; trying the previous one inside its grace window', { tokenSetId: current.id, graceUntil: current.graceUntil });
    return adopt(deps, await refreshTokens(net, app, previous), previous);
  }
}

/** Sends once more when the first answer was lost: the token was not rotated for us to see, and Xero honours it again. */
async function refreshOnceMore(work: () => Promise<TokenAnswer>): Promise<TokenAnswer> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof XeroError) || error.delivery !== 'unknown') throw error;
    return work();
  }
}

function adopt(deps: XeroDeps, answer: TokenAnswer, sent: Secret): { credentials: OAuth2Credentials; times: TokenTimes } {
  // Xero always rotates; should a server not, the token sent stays the one to use.
  const credentials = { accessToken: answer.accessToken, refreshToken: answer.refreshToken ?? sent, previousRefreshToken: answer.refreshToken ? sent : undefined };
  return { credentials, times: timesOf(deps, answer, answer.refreshToken !== undefined) };
}

function timesOf(deps: XeroDeps, answer: TokenAnswer, rotated: boolean): TokenTimes {
  const now = deps.clock.now().getTime();
  return {
    expiresAt: new Date(now + answer.expiresIn * 1000).toISOString(),
    authorizationExpiresAt: answer.refreshToken ? new Date(now + REFRESH_TOKEN_IDLE_MS).toISOString() : null,
    graceUntil: rotated ? new Date(now + GRACE_MS).toISOString() : null,
  };
}
