import { buildAccessTokenRequest, processAccessTokenResponse, type AccessToken } from '../domain/xero/access-token';
import { isOAuth2AppType } from '../config/oauth2';
import { oauth1Auth } from '../domain/xero/auth';
import { privateAppAccess, type XeroAccess } from '../domain/xero/credentials';
import { cannotInvoiceReason } from '../domain/organisation-plan';
import { authorizeUrl } from '../domain/xero/endpoints';
import { buildOrganisationRequest, organisationFields, processOrganisationResponse } from '../domain/xero/organisation';
import { buildRequestTokenRequest, processRequestTokenResponse } from '../domain/xero/request-token';
import { send } from '../domain/xero/send';
import { AppError, toAppError, type ErrorCode } from '../lib/errors';
import { newId } from '../lib/ids';
import { Secret } from '../lib/secret';
import { open, seal } from '../lib/secret-box';
import { findLinkRequestByToken, finishLinkRequest, insertLinkRequest } from '../store/link-requests';
import { findOrganisationByXeroId, upsertLinkedOrganisation, type Organisation, type OrganisationDetails } from '../store/organisations';
import { findPairing } from '../store/pairings';
import { deleteTokenSet, insertTokenSet } from '../store/token-sets';
import { completeGrantLink, startGrantLink } from './grant-linking';
import { actorText, parseActor, type Acting } from './audit';
import { auditLinked } from './link-audit';
import { approvePairing, denyPairing, getPendingPairing } from './pairing';
import { xeroConsumer, type XeroDeps } from './xero-app';

/** How long a person has to approve at Xero before the request token is forgotten. */
const LINK_TTL_MS = 30 * 60_000;

export type LinkDeps = XeroDeps;

export type StartLinkResult = { kind: 'redirect'; authorizeUrl: string; linkRequestId: string } | { kind: 'linked'; organisation: Organisation };

/** A device that asked to be linked, as the outcome pages name it. */
export interface WaitingDevice {
  name: string;
  deviceId: string;
  userCode: string;
}

export type LinkOutcome =
  | { kind: 'linked'; organisation: Organisation; pairingUserCode: string | null; deviceId: string | null }
  /**
   * OAuth 2.0: a grant was stored with every organisation it covers. With `choice`, a device is
   * waiting and the person must pick its organisation, proving the page with `choice.proof`.
   */
  | { kind: 'granted'; organisations: Organisation[]; linkRequestId: string; choice: { proof: string; device: WaitingDevice } | null; device: WaitingDevice | null; refused?: RefusedOrganisation[] }
  | { kind: 'denied'; message: string }
  /** Xero authorised, but no organisation it covers can take invoices (a Cashbook or Ledger plan, a Partner edition), so none was linked. */
  | { kind: 'refused'; organisations: RefusedOrganisation[] }
  | { kind: 'failed'; message: string; code: ErrorCode };

/** An organisation not linked because it cannot take invoices, with why in words. */
export interface RefusedOrganisation {
  name: string;
  reason: string;
}

const secretAad = (id: string) => `link_requests:${id}`;

type LinkedDetails = Omit<OrganisationDetails, 'appType'>;

/**
 * Starts linking an organisation, for a pairing or for `org connect`. Public and partner apps get
 * a request token and the Authorize URL to send the browser to; a private app belongs to one
 * organisation already, so it is linked at once after a signed read proves the key. OAuth 2.0
 * apps are linked by grant-linking.ts.
 * @see PROTOCOL.md §1.1–§1.3
 */
export async function startLink(deps: LinkDeps & Acting, input: { pairingUserCode?: string; deviceId?: string }): Promise<StartLinkResult> {
  const pairing = input.pairingUserCode !== undefined ? getPendingPairing(deps, input.pairingUserCode) : undefined;
  if (isOAuth2AppType(deps.config.xero.appType)) return startGrantLink(deps, pairing, input.deviceId);
  const consumer = xeroConsumer(deps);
  const { apiUrl } = deps.config.xero;
  if (deps.config.xero.appType === 'private') {
    const details = await readOrganisation(deps, privateAppAccess(consumer));
    const refusal = cannotInvoiceReason(details.name, details.planClass, details.edition);
    if (refusal) throw new AppError('forbidden', refusal);
    const organisation = deps.db.transaction(() => {
      const previous = findOrganisationByXeroId(deps.db, details.xeroOrganisationId);
      const linked = upsertLinkedOrganisation(deps.db, deps.clock, { ...details, appType: 'private' }, null);
      auditLinked(deps, deps.actor, linked, previous);
      return linked;
    }).immediate();
    if (pairing) approvePairing(deps, pairing.userCode, organisation.id);
    return { kind: 'linked', organisation };
  }
  const callback = `${deps.config.server.publicUrl}/connect/callback`;
  const response = await send(deps.transport, buildRequestTokenRequest({ apiUrl, consumer, callback, now: deps.clock.now() }));
  const requestToken = processRequestTokenResponse(response);
  const id = newId('lnk');
  // Sealed and stored in one transaction, so a key rotation cannot come between the two.
  deps.db.transaction(() =>
    insertLinkRequest(deps.db, deps.clock, {
      id,
      requestToken: requestToken.token,
      sealedSecret: seal(deps.keyring, requestToken.secret.reveal(), secretAad(id)),
      pairingId: pairing?.id ?? null,
      deviceId: input.deviceId ?? null,
      startedBy: actorText(deps.actor),
      expiresAt: new Date(deps.clock.now().getTime() + LINK_TTL_MS).toISOString(),
    }),
  ).immediate();
  return { kind: 'redirect', authorizeUrl: authorizeUrl(apiUrl, requestToken.token), linkRequestId: id };
}

/**
 * Completes a link on Xero's callback: swaps the approved request token for an access token,
 * reads the organisation, stores it with its sealed tokens and approves the pairing that asked.
 * A forged, replayed or incomplete callback changes nothing.
 */
export async function completeLink(deps: LinkDeps, query: Record<string, string | undefined>): Promise<LinkOutcome> {
  if (isOAuth2AppType(deps.config.xero.appType)) {
    return completeGrantLink(deps, new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined)));
  }
  const token = query['oauth_token'];
  if (!token) return { kind: 'failed', code: 'invalid', message: 'The callback from Xero has no oauth_token; start linking again from the connect page.' };
  const request = findLinkRequestByToken(deps.db, token);
  if (!request) return { kind: 'failed', code: 'not_found', message: 'This authorisation is unknown to the proxy: the link is forged, or from another proxy. Start linking again.' };
  if (request.state !== 'pending') return { kind: 'failed', code: 'conflict', message: `This authorisation was already used (${request.state}); a callback works once. Start linking again if needed.` };
  const pairing = request.pairingId ? findPairing(deps.db, request.pairingId) : undefined;
  if (deps.clock.now().toISOString() >= request.expiresAt) {
    finishLinkRequest(deps.db, deps.clock, request.id, { state: 'expired', error: 'The authorisation took longer than 30 minutes.' });
    return { kind: 'failed', code: 'conflict', message: 'The authorisation at Xero took longer than 30 minutes and has expired. Start linking again.' };
  }
  // The callback has no session: the change is the person's who started the link.
  const acting = { ...deps, actor: parseActor(request.startedBy) };
  if (query['oauth_problem']) {
    const message = query['oauth_problem'] === 'permission_denied' ? 'The person at Xero denied access, so nothing was linked.' : `Xero did not authorise the link (${query['oauth_problem']}).`;
    deps.db.transaction(() => {
      finishLinkRequest(deps.db, deps.clock, request.id, { state: 'denied', error: message });
      if (pairing?.state === 'pending') denyPairing(acting, pairing.userCode, `Denied at Xero: ${message}`);
    }).immediate();
    return { kind: 'denied', message };
  }
  const verifier = query['oauth_verifier'];
  if (!verifier) return { kind: 'failed', code: 'invalid', message: 'The callback from Xero has no oauth_verifier, so the authorisation cannot be completed. Start linking again.' };

  let access: AccessToken;
  let details: LinkedDetails;
  try {
    const consumer = xeroConsumer(deps);
    const requestAccess: XeroAccess = { token: request.requestToken, secret: new Secret(open(deps.keyring, request.sealedSecret, secretAad(request.id))) };
    const answer = await send(deps.transport, buildAccessTokenRequest({ apiUrl: deps.config.xero.apiUrl, consumer, requestToken: requestAccess, verifier, now: deps.clock.now() }));
    access = processAccessTokenResponse(answer);
    details = await readOrganisation(deps, { token: access.token, secret: access.secret });
  } catch (error) {
    // A wrong verifier must not burn the request: the genuine callback may still arrive.
    const appError = toAppError(error);
    return { kind: 'failed', code: appError.code, message: `Xero refused to complete the link: ${appError.message}` };
  }
  const refusal = cannotInvoiceReason(details.name, details.planClass, details.edition);
  if (refusal) {
    finishLinkRequest(deps.db, deps.clock, request.id, { state: 'denied', error: refusal });
    if (pairing?.state === 'pending') denyPairing(acting, pairing.userCode, refusal);
    return { kind: 'refused', organisations: [{ name: details.name, reason: refusal }] };
  }
  const organisation = saveLink(acting, request.id, access, details);
  // The app's pairing may have expired while the person was at Xero: the organisation is linked
  // all the same, and the outcome says the pairing was not approved (the page explains).
  const stillWaiting = pairing?.state === 'pending' && deps.clock.now().toISOString() < pairing.expiresAt;
  if (pairing && stillWaiting) approvePairing(acting, pairing.userCode, organisation.id);
  return { kind: 'linked', organisation, pairingUserCode: pairing?.userCode ?? null, deviceId: request.deviceId };
}

function saveLink(deps: LinkDeps & Acting, requestId: string, access: AccessToken, details: LinkedDetails): Organisation {
  const now = deps.clock.now().getTime();
  const appType = deps.config.xero.appType as 'public' | 'partner';
  return deps.db.transaction(() => {
    const previous = findOrganisationByXeroId(deps.db, details.xeroOrganisationId);
    const tokenSetId = insertTokenSet(deps.db, deps.keyring, deps.clock, { token: access.token, tokenSecret: access.secret, sessionHandle: access.sessionHandle }, {
      expiresAt: new Date(now + access.expiresIn * 1000).toISOString(),
      authorizationExpiresAt: access.authorizationExpiresIn !== undefined ? new Date(now + access.authorizationExpiresIn * 1000).toISOString() : null,
    });
    const organisation = upsertLinkedOrganisation(deps.db, deps.clock, { ...details, appType }, tokenSetId);
    auditLinked(deps, deps.actor, organisation, previous);
    // Linking again replaces the old token at Xero (PROTOCOL.md §1.3), so the old set is dead.
    if (previous?.tokenSetId) deleteTokenSet(deps.db, previous.tokenSetId);
    if (!finishLinkRequest(deps.db, deps.clock, requestId, { state: 'completed', organisationId: organisation.id })) {
      throw new AppError('conflict', 'This authorisation was completed by another callback at the same moment.');
    }
    return organisation;
  }).immediate();
}

/** Reads the organisation a token acts for (the proof that linking worked). */
async function readOrganisation(deps: LinkDeps, access: XeroAccess): Promise<LinkedDetails> {
  const response = await send(deps.transport, buildOrganisationRequest({ apiUrl: deps.config.xero.apiUrl, auth: oauth1Auth(xeroConsumer(deps), access, deps.clock.now()) }));
  return organisationFields(processOrganisationResponse(response));
}
