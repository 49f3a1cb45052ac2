import { createHash, randomBytes } from 'node:crypto';
import { buildAuthorizationUrl, readAuthorizationResponse } from '../domain/oauth2/authorize';
import { OAuth2Error } from '../domain/oauth2/errors';
import { clientCredentials, exchangeCode } from '../domain/oauth2/grants';
import { AppError, toAppError } from '../lib/errors';
import { newId } from '../lib/ids';
import { open, seal } from '../lib/secret-box';
import { findLinkRequestByToken, finishLinkRequest, insertLinkRequest } from '../store/link-requests';
import type { Pairing } from '../store/pairings';
import { findPairing } from '../store/pairings';
import { saveGrant } from './grant-store';
import { readTenants } from './grant-tenants';
import type { LinkDeps, LinkOutcome, RefusedOrganisation, StartLinkResult } from './linking';
import { cannotInvoiceReason } from '../domain/organisation-plan';
import type { Tenant } from './grant-tenants';
import { oauth2App, oauth2Net } from './oauth2-app';
import { actorText, parseActor, type Acting } from './audit';
import { approvePairing, denyPairing } from './pairing';

/** How long a person has to approve at Xero before the authorisation is forgotten. */
const LINK_TTL_MS = 30 * 60_000;
const verifierAad = (id: string) => `link_requests:${id}`;

/** The hash a choice page's one-time proof is kept as. */
export const choiceHashOf = (choice: string) => createHash('sha256').update(choice).digest('hex');

/**
 * Starts linking with OAuth 2.0. A web or PKCE app gets an authorisation URL with a fresh
 * `state` (and PKCE challenge), remembered as a link request. A custom connection has no
 * browser step: its client credentials reach exactly one organisation, linked at once.
 * @see PROTOCOL.md §6.2, §6.5, §6.6
 */
export async function startGrantLink(deps: LinkDeps & Acting, pairing: Pairing | undefined, deviceId: string | undefined): Promise<StartLinkResult> {
  const app = oauth2App(deps.config);
  if (app.type === 'custom_connection') {
    const answer = await clientCredentials(oauth2Net(deps), app);
    const tenants = await readTenants(deps, answer.accessToken);
    if (tenants.length !== 1) throw new AppError('upstream', `A custom connection reaches one organisation, but Xero lists ${tenants.length}.`, { retryable: false });
    const refused = invoicingTenants(tenants).refused[0];
    if (refused) throw new AppError('forbidden', refused.reason);
    const [organisation] = saveGrant(deps, app.type, answer, tenants).organisations;
    if (pairing) approvePairing(deps, pairing.userCode, organisation!.id);
    return { kind: 'linked', organisation: organisation! };
  }
  const start = await buildAuthorizationUrl(app);
  const id = newId('lnk');
  // Sealed and stored in one transaction, so a key rotation cannot come between the two.
  deps.db.transaction(() =>
    insertLinkRequest(deps.db, deps.clock, {
      id,
      requestToken: start.state,
      sealedSecret: seal(deps.keyring, start.codeVerifier ?? '', verifierAad(id)),
      pairingId: pairing?.id ?? null,
      deviceId: deviceId ?? null,
      startedBy: actorText(deps.actor),
      expiresAt: new Date(deps.clock.now().getTime() + LINK_TTL_MS).toISOString(),
    }),
  ).immediate();
  return { kind: 'redirect', authorizeUrl: start.url, linkRequestId: id };
}

/**
 * Completes an OAuth 2.0 link from the parameters Xero put on the redirect (the callback, or a
 * pasted address): finds the authorisation by `state`, exchanges the code, reads the tenants the
 * grant covers and stores them all sharing one token set. A waiting device is not approved
 * here: the person chooses its organisation next (the outcome carries the one-time proof).
 * A forged, replayed or incomplete callback changes nothing.
 */
export async function completeGrantLink(deps: LinkDeps, parameters: URLSearchParams): Promise<LinkOutcome> {
  const state = parameters.get('state');
  if (!state) return { kind: 'failed', code: 'invalid', message: 'The answer from Xero has no state, so it cannot be matched to a link started here. Start linking again.' };
  const request = findLinkRequestByToken(deps.db, state);
  if (!request) return { kind: 'failed', code: 'not_found', message: 'This authorisation is unknown to the proxy: the link is forged, or from another proxy. Start linking again.' };
  if (request.state !== 'pending') return { kind: 'failed', code: 'conflict', message: `This authorisation was already used (${request.state}); an answer from Xero works once. Start linking again if needed.` };
  const pairing = request.pairingId ? findPairing(deps.db, request.pairingId) : undefined;
  if (deps.clock.now().toISOString() >= request.expiresAt) {
    finishLinkRequest(deps.db, deps.clock, request.id, { state: 'expired', error: 'The authorisation took longer than 30 minutes.' });
    return { kind: 'failed', code: 'conflict', message: 'The authorisation at Xero took longer than 30 minutes and has expired. Start linking again.' };
  }
  const app = oauth2App(deps.config);
  // The callback has no session: the change is the person's who started the link.
  const acting = { ...deps, actor: parseActor(request.startedBy) };
  let saved: ReturnType<typeof saveGrant>;
  let refused: RefusedOrganisation[];
  // The device is chosen for on the next page, if its pairing still waits when the person is back from Xero.
  const waiting = pairing?.state === 'pending' && deps.clock.now().toISOString() < pairing.expiresAt;
  const choice = waiting ? randomBytes(24).toString('base64url') : undefined;
  try {
    const callback = await readAuthorizationResponse(app, parameters, state);
    const verifier = open(deps.keyring, request.sealedSecret, verifierAad(request.id));
    const answer = await exchangeCode(oauth2Net(deps), app, callback, verifier === '' ? undefined : verifier);
    if (!answer.refreshToken) throw new AppError('upstream', 'Xero gave no refresh token, so the link would end in 30 minutes; keep offline_access in xero.scopes and allow it at Xero.', { retryable: false });
    const tenants = invoicingTenants(await readTenants(deps, answer.accessToken));
    refused = tenants.refused;
    if (tenants.accepted.length === 0) {
      const reason = refused.map((entry) => entry.reason).join(' ');
      deps.db.transaction(() => {
        finishLinkRequest(deps.db, deps.clock, request.id, { state: 'denied', error: reason });
        if (pairing?.state === 'pending') denyPairing(acting, pairing.userCode, reason);
      }).immediate();
      return { kind: 'refused', organisations: refused };
    }
    saved = saveGrant(acting, app.type, answer, tenants.accepted, { id: request.id, choiceHash: choice ? choiceHashOf(choice) : undefined });
  } catch (error) {
    if (error instanceof OAuth2Error && error.oauthError === 'access_denied') {
      const message = 'The person at Xero denied access, so nothing was linked.';
      deps.db.transaction(() => {
        finishLinkRequest(deps.db, deps.clock, request.id, { state: 'denied', error: message });
        if (pairing?.state === 'pending') denyPairing(acting, pairing.userCode, `Denied at Xero: ${message}`);
      }).immediate();
      return { kind: 'denied', message };
    }
    // A bad code must not burn the request: the genuine answer may still arrive.
    const appError = toAppError(error);
    return { kind: 'failed', code: appError.code, message: `Xero refused to complete the link: ${appError.message}` };
  }
  const device = pairing ? { name: pairing.name, deviceId: pairing.deviceId, userCode: pairing.userCode } : null;
  return { kind: 'granted', organisations: saved.organisations, linkRequestId: request.id, choice: choice && device ? { proof: choice, device } : null, device, ...(refused.length > 0 ? { refused } : {}) };
}

/** The tenants that can take invoices, and those that cannot with why (a Cashbook or Ledger plan, a Partner edition). */
function invoicingTenants(tenants: readonly Tenant[]): { accepted: Tenant[]; refused: RefusedOrganisation[] } {
  const accepted: Tenant[] = [];
  const refused: RefusedOrganisation[] = [];
  for (const tenant of tenants) {
    const reason = cannotInvoiceReason(tenant.name, tenant.planClass, tenant.edition);
    if (reason) refused.push({ name: tenant.name, reason });
    else accepted.push(tenant);
  }
  return { accepted, refused };
}
