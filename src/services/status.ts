import type { Device } from '../store/devices';
import { certificateWarnings } from './certificate-warnings';
import { findOrganisation } from '../store/organisations';
import { findTokenSet } from '../store/token-sets';
import type { ServiceDeps } from './deps';
import { warningsFor, type PauseReader } from './overview';

/** What a device may know about its link: never a credential, only states and times. */
export interface DeviceStatus {
  /** `rights`: what the device may do beyond sending documents (see domain/device-rights.ts). */
  device: { deviceId: string; name: string; status: string; rights: string[] };
  organisation: { id: string; name: string; xeroOrganisationId: string; shortCode: string | null; linkState: string; relinkReason: string | null } | null;
  token: { expiresAt: string | null; authorizationExpiresAt: string | null; renewedAt: string | null } | null;
  /** What someone should do, in sentences; empty when all is well. */
  warnings: string[];
}

/**
 * The calling device's view of its organisation and link, with the overview's warnings for its
 * organisation (documents needing attention, the day's Xero budget, a queue that stands still).
 */
export function deviceStatus(deps: ServiceDeps, device: Device, pauses?: PauseReader): DeviceStatus {
  const organisation = device.organisationId ? findOrganisation(deps.db, device.organisationId) : undefined;
  const tokenSet = organisation?.tokenSetId ? findTokenSet(deps.db, deps.keyring, organisation.tokenSetId) : undefined;
  const warnings: string[] = [];
  if (!organisation) warnings.push('This device is not linked to an organisation; pair it again.');
  else if (organisation.linkState === 'needs_relink') warnings.push(`${organisation.name} must be linked to Xero again by the administrator: ${organisation.relinkReason ?? ''}`.trim());
  else if (organisation.linkState === 'disconnected') warnings.push(`${organisation.name} was disconnected from Xero by the administrator.`);
  if (organisation) {
    // The link and the certificates are said above, in the device's terms; HTTPS and backups are the administrator's to fix.
    for (const warning of warningsFor(deps, organisation.id, pauses)) if (!['relink', 'certificate', 'https', 'backup'].includes(warning.code)) warnings.push(warning.message);
  }
  // Certificates sign every call of a private or partner app; their expiry concerns every device.
  for (const warning of certificateWarnings(deps.db, deps.clock, { appType: deps.config.xero.appType })) warnings.push(warning.message);
  return {
    device: { deviceId: device.deviceId, name: device.name, status: device.status, rights: device.rights },
    organisation: organisation
      ? { id: organisation.id, name: organisation.name, xeroOrganisationId: organisation.xeroOrganisationId, shortCode: organisation.shortCode, linkState: organisation.linkState, relinkReason: organisation.relinkReason }
      : null,
    token: tokenSet ? { expiresAt: tokenSet.expiresAt, authorizationExpiresAt: tokenSet.authorizationExpiresAt, renewedAt: tokenSet.renewedAt } : null,
    warnings,
  };
}
