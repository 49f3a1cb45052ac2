import { isOAuth2AppType } from '../config/oauth2';
import { buildDeleteConnectionRequest, processDeleteConnectionResponse } from '../domain/oauth2/connections';
import { revokeRefreshToken } from '../domain/oauth2/grants';
import { send } from '../domain/xero/send';
import { toAppError } from '../lib/errors';
import { markDisconnected, organisationsOfTokenSet, type Organisation } from '../store/organisations';
import { deleteTokenSetIfUnused } from '../store/token-sets';
import { recordAudit, type Acting } from './audit';
import { oauth2App, oauth2Net } from './oauth2-app';
import type { XeroCalls } from './xero-calls';
import type { XeroDeps } from './xero-app';

/** What disconnecting did at Xero, for the operator. */
export interface Disconnected {
  /** OAuth 2.0: the connection deleted at Xero, already gone, or not reached (the note says why). OAuth 1.0a has no such call. */
  connection: 'deleted' | 'already_gone' | 'not_reached' | 'not_applicable';
  /** Whether the grant's refresh token was revoked (the last organisation of a grant). */
  revoked: boolean;
  notes: string[];
}

/**
 * Disconnects an organisation. OAuth 2.0: `DELETE /connections/{id}` ends this tenant's access
 * at Xero while the grant's other organisations stay linked; when no other organisation uses the
 * grant, its refresh token is revoked too. What Xero could not be told is said in `notes`, and the
 * proxy forgets the credentials regardless. OAuth 1.0a has no revocation: forgetting is all.
 * @see PROTOCOL.md §6.1, §6.4
 */
export async function disconnectOrganisation(deps: XeroDeps & Acting, calls: XeroCalls, organisation: Organisation): Promise<Disconnected> {
  const result: Disconnected = { connection: 'not_applicable', revoked: false, notes: [] };
  const tokenSetId = organisation.tokenSetId;
  const others = tokenSetId ? organisationsOfTokenSet(deps.db, tokenSetId).filter((org) => org.id !== organisation.id) : [];
  if (isOAuth2AppType(organisation.appType) && tokenSetId) {
    try {
      if (organisation.linkState !== 'linked') throw new Error(`it is ${organisation.linkState.replace('_', ' ')}`);
      const tokens = await calls.fresh(organisation);
      if (tokens.kind !== 'oauth2') throw new Error('its token set is not an OAuth 2.0 grant');
      if (organisation.connectionId) {
        result.connection = processDeleteConnectionResponse(await send(deps.transport, buildDeleteConnectionRequest(deps.config.xero.apiUrl, tokens.credentials.accessToken, organisation.connectionId)));
      }
      if (others.length === 0 && tokens.credentials.refreshToken) {
        await revokeRefreshToken(oauth2Net(deps), oauth2App(deps.config), tokens.credentials.refreshToken);
        result.revoked = true;
      }
    } catch (error) {
      if (result.connection === 'not_applicable') result.connection = 'not_reached';
      result.notes.push(`Xero could not be told (${toAppError(error).message}); remove the app in Xero too (Settings > Connected apps).`);
    }
  }
  deps.db.transaction(() => {
    markDisconnected(deps.db, deps.clock, organisation.id);
    // The grant's other organisations keep it; the last one out takes it along.
    if (tokenSetId) deleteTokenSetIfUnused(deps.db, tokenSetId);
    recordAudit(deps, { actor: deps.actor, action: 'organisation.disconnected', subject: organisation.name, changes: { linkState: { from: organisation.linkState, to: 'disconnected' }, atXero: result.connection, grantRevoked: result.revoked } });
  }).immediate();
  deps.logger.info('organisation disconnected', { organisation: organisation.name, connection: result.connection, revoked: result.revoked });
  return result;
}
