import { AppError } from '../lib/errors';
import { findLinkRequest, recordChoice } from '../store/link-requests';
import { findOrganisation, organisationsOfTokenSet, type Organisation } from '../store/organisations';
import { findPairing, type Pairing } from '../store/pairings';
import { parseActor } from './audit';
import type { ServiceDeps } from './deps';
import { choiceHashOf } from './grant-linking';
import { approvePairing } from './pairing';

const STALE = 'This choice is out of date or was already made, so nothing was changed.';

/** What the choice page offers: the waiting device and the organisations the grant covers. */
export function choiceOf(deps: ServiceDeps, linkRequestId: string, proof: string): { pairing: Pairing; organisations: Organisation[] } {
  const request = findLinkRequest(deps.db, linkRequestId);
  if (!request || request.state !== 'completed' || !request.tokenSetId || !request.pairingId || request.choiceHash === null || request.choiceHash !== choiceHashOf(proof)) {
    throw new AppError('forbidden', STALE, { hint: 'Start again from the connect page.' });
  }
  const pairing = findPairing(deps.db, request.pairingId);
  if (!pairing) throw new AppError('not_found', 'The pairing request behind this choice no longer exists.');
  return { pairing, organisations: organisationsOfTokenSet(deps.db, request.tokenSetId).filter((org) => org.linkState === 'linked') };
}

/**
 * The person picks the organisation a waiting device sends to, among those the grant just
 * linked; never guessed, even when there is only one. The page proves itself with the one-time
 * proof made when the grant was stored (the callback from Xero carries no session cookie), and
 * the proof is spent in the same transaction that approves the pairing.
 */
export function chooseOrganisation(deps: ServiceDeps, input: { linkRequestId: string; proof: string; organisationId: string }): { pairing: Pairing; organisation: Organisation } {
  return deps.db.transaction(() => {
    const { pairing, organisations } = choiceOf(deps, input.linkRequestId, input.proof);
    const organisation = organisations.find((org) => org.id === input.organisationId);
    if (!organisation) {
      const known = findOrganisation(deps.db, input.organisationId);
      throw new AppError('invalid', known ? `${known.name} is not one of the organisations this authorisation covers.` : 'Choose one of the organisations listed.', { field: 'organisationId' });
    }
    // The choice page has no session either: the approval is the person's who started the link.
    const approved = approvePairing({ ...deps, actor: parseActor(findLinkRequest(deps.db, input.linkRequestId)!.startedBy) }, pairing.userCode, organisation.id);
    if (!recordChoice(deps.db, input.linkRequestId, choiceHashOf(input.proof), organisation.id)) throw new AppError('forbidden', STALE);
    return { pairing: approved, organisation };
  }).immediate();
}
