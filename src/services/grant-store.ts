import type { TokenAnswer } from '../domain/oauth2/grants';
import { AppError } from '../lib/errors';
import { finishLinkRequest } from '../store/link-requests';
import { findOrganisationByXeroId, upsertLinkedOrganisation, type AppType, type Organisation } from '../store/organisations';
import { deleteTokenSetIfUnused, insertTokenSet } from '../store/token-sets';
import { REFRESH_TOKEN_IDLE_MS } from './grant-refresh';
import type { Tenant } from './grant-tenants';
import type { Acting } from './audit';
import type { ServiceDeps } from './deps';
import { auditLinked } from './link-audit';

/**
 * Stores a new grant in one transaction: its tokens sealed in one token set, and every tenant it
 * covers as an organisation sharing that set (a relinked organisation keeps its id, devices and
 * jobs). Older grants no organisation uses any more are forgotten here, never revoked: revoking
 * would end the connections the new grant has just made. With `linkRequestId` the request is
 * completed in the same transaction, so a replayed callback stores nothing.
 */
export function saveGrant(
  deps: ServiceDeps & Acting,
  appType: Extract<AppType, 'oauth2' | 'oauth2_pkce' | 'custom_connection'>,
  answer: TokenAnswer,
  tenants: readonly Tenant[],
  linkRequest?: { id: string; choiceHash: string | undefined },
): { tokenSetId: string; organisations: Organisation[] } {
  const now = deps.clock.now().getTime();
  return deps.db.transaction(() => {
    const tokenSetId = insertTokenSet(deps.db, deps.keyring, deps.clock, { accessToken: answer.accessToken, refreshToken: answer.refreshToken, previousRefreshToken: undefined }, {
      expiresAt: new Date(now + answer.expiresIn * 1000).toISOString(),
      authorizationExpiresAt: answer.refreshToken ? new Date(now + REFRESH_TOKEN_IDLE_MS).toISOString() : null,
    });
    const replaced = new Set<string>();
    const organisations = tenants.map((tenant) => {
      const previous = findOrganisationByXeroId(deps.db, tenant.xeroOrganisationId);
      if (previous?.tokenSetId) replaced.add(previous.tokenSetId);
      const linked = upsertLinkedOrganisation(deps.db, deps.clock, { ...tenant, appType }, tokenSetId);
      auditLinked(deps, deps.actor, linked, previous);
      return linked;
    });
    for (const old of replaced) deleteTokenSetIfUnused(deps.db, old);
    if (linkRequest && !finishLinkRequest(deps.db, deps.clock, linkRequest.id, { state: 'completed', tokenSetId, ...(linkRequest.choiceHash ? { choiceHash: linkRequest.choiceHash } : {}) })) {
      throw new AppError('conflict', 'This authorisation was completed by another callback at the same moment.');
    }
    return { tokenSetId, organisations };
  }).immediate();
}
