import type { Config } from '../config/types';
import { expiryStatus } from '../domain/certificates';
import type { Transport } from '../domain/xero/send';
import { AppError } from '../lib/errors';
import type { Secret } from '../lib/secret';
import { activatePendingCertificate, findPendingCertificate, loadSigningKey, type StoredCertificate } from '../store/certificates';
import { listOrganisations } from '../store/organisations';
import { findTokenSet } from '../store/token-sets';
import type { CertificateDeps } from './certificates';
import { proveSigningKey, type ProofCredentials } from './certificate-proof';

export interface ActivationDeps extends CertificateDeps {
  config: Config;
  /** The network: `fetch` itself outside tests. */
  transport: Transport;
}

export interface ActivationResult {
  activated: StoredCertificate;
  retired: StoredCertificate | undefined;
  /** What proved the pair, e.g. `GET Organisation answered 200 for "Harbourside Café" as the private app` */
  provedWith: string;
}

/**
 * Makes the pending pair active only after Xero accepted a request signed with it, so a pair
 * whose certificate was never uploaded cannot take over and stop delivery. The old pair keeps
 * signing until the switch, which is one transaction. No transaction is held across the call.
 * @see PROTOCOL.md §1.2
 */
export async function activateCertificate(deps: ActivationDeps): Promise<ActivationResult> {
  const pending = findPendingCertificate(deps.db);
  if (!pending) throw new AppError('conflict', 'There is no pending certificate to activate.', { hint: 'Make one with `xero-proxy cert rotate`, upload its publickey.cer to Xero, then activate it.' });
  const expiry = expiryStatus(pending.notAfter, deps.clock);
  if (expiry.level === 'expired') {
    throw new AppError('invalid', `The pending certificate ${pending.id} expired on ${pending.notAfter.slice(0, 10)} and cannot become active.`, { hint: 'Replace it with `xero-proxy cert rotate --replace-pending`.' });
  }
  const credentials = proofCredentials(deps, loadSigningKey(deps.db, deps.keyring, pending.id));
  const organisation = await proveSigningKey({ apiUrl: deps.config.xero.apiUrl, transport: deps.transport, clock: deps.clock }, credentials);
  const { activated, retired } = activatePendingCertificate(deps.db, deps.clock, pending.id);
  return { activated, retired, provedWith: `GET Organisation answered 200 for "${organisation.name}" as ${credentials.caller}` };
}

/**
 * Who signs the proving request, by app type. A private app's token is its consumer key; a
 * partner app needs a linked organisation's live access token. Extend here for new app kinds.
 * @see PROTOCOL.md §1.2
 */
export function proofCredentials(deps: ActivationDeps, privateKey: Secret): ProofCredentials {
  const { appType, consumerKey } = deps.config.xero;
  if (appType === 'public') {
    throw new AppError('invalid', 'xero.app_type is "public": public apps sign with HMAC-SHA1 and the consumer secret, so there is no certificate to activate.', { field: 'xero.app_type' });
  }
  if (consumerKey === '') {
    throw new AppError('invalid', 'xero.consumer_key: must be set to prove the new certificate at Xero.', { field: 'xero.consumer_key', hint: 'Copy it from the app in the Xero developer portal into the config file.' });
  }
  // A private app's token is its own consumer key, with no token secret.
  if (appType === 'private') return { consumerKey, access: { token: consumerKey }, privateKey, caller: 'the private app' };
  return partnerCredentials(deps, consumerKey, privateKey);
}

function partnerCredentials(deps: ActivationDeps, consumerKey: string, privateKey: Secret): ProofCredentials {
  const now = deps.clock.now().getTime();
  for (const organisation of listOrganisations(deps.db)) {
    if (organisation.appType !== 'partner' || organisation.linkState !== 'linked' || !organisation.tokenSetId) continue;
    const tokens = findTokenSet(deps.db, deps.keyring, organisation.tokenSetId);
    // Partner access tokens live 30 minutes; an expired one would fail for that reason, not the key's.
    if (!tokens || tokens.kind !== 'oauth1' || (tokens.expiresAt !== null && Date.parse(tokens.expiresAt) <= now)) continue;
    return { consumerKey, access: { token: tokens.credentials.token, secret: tokens.credentials.tokenSecret }, privateKey, caller: `the partner app with ${organisation.name}'s access token` };
  }
  throw new AppError('conflict', 'A partner app proves a new certificate with a linked organisation\'s access token, and no linked organisation has a current one.', {
    hint: 'Link an organisation (or let `xero-proxy serve` renew its token), then run `xero-proxy cert activate` again.',
  });
}
