import { issueApiKey, parseApiKey, secretMatches } from '../domain/api-key';
import { AppError } from '../lib/errors';
import { findDeviceByKeyPrefix, getDeviceByDeviceId, revokeDevice, touchDevice, upsertDeviceKey, type Device } from '../store/devices';
import { getOrganisation } from '../store/organisations';
import type { ServiceDeps } from './deps';

/** What a device is told about itself, and its key once. */
export interface IssuedDevice {
  device: Device;
  apiKey: string;
}

const DEVICE_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

/** Checks a device's own id: 1–128 letters, digits or `._:@-`, as licence and hardware ids are. */
export function validateDeviceId(deviceId: unknown, field = 'deviceId'): string {
  if (typeof deviceId !== 'string' || !DEVICE_ID.test(deviceId)) {
    throw new AppError('invalid', `${field}: must be 1 to 128 letters, digits or . _ : @ - (a device, hardware or licence id).`, { field });
  }
  return deviceId;
}

/** Checks a device's display name: 1–100 printable characters. */
export function validateDeviceName(name: unknown, field = 'name'): string {
  if (typeof name !== 'string' || name.trim().length === 0 || name.length > 100 || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new AppError('invalid', `${field}: must be 1 to 100 printable characters.`, { field });
  }
  return name.trim();
}

/** Links a device to an organisation and issues its key (replacing any earlier key). */
export function addDevice(deps: ServiceDeps, input: { deviceId: string; name?: string; organisation: string }): IssuedDevice {
  const deviceId = validateDeviceId(input.deviceId);
  const name = validateDeviceName(input.name ?? deviceId);
  return deps.db.transaction(() => {
    const organisation = getOrganisation(deps.db, input.organisation);
    const issued = issueApiKey();
    const device = upsertDeviceKey(deps.db, deps.clock, { deviceId, name, organisationId: organisation.id, keyPrefix: issued.lookup, keyHash: issued.hash });
    return { device, apiKey: issued.key };
  }).immediate();
}

/** Issues a new key for an existing device; the old key stops working at once. */
export function rotateDeviceKey(deps: ServiceDeps, deviceId: string): IssuedDevice {
  return deps.db.transaction(() => {
    const device = getDeviceByDeviceId(deps.db, deviceId);
    if (!device.organisationId) throw new AppError('conflict', `Device "${deviceId}" is not linked to an organisation.`, { hint: `Link it with \`xero-proxy device add ${deviceId} --org <org>\`.` });
    const issued = issueApiKey();
    const updated = upsertDeviceKey(deps.db, deps.clock, { deviceId, name: device.name, organisationId: device.organisationId, keyPrefix: issued.lookup, keyHash: issued.hash });
    return { device: updated, apiKey: issued.key };
  }).immediate();
}

/** Revokes a device's key. */
export function revoke(deps: ServiceDeps, deviceId: string): Device {
  return revokeDevice(deps.db, deps.clock, deviceId);
}

/**
 * Finds the device a presented API key belongs to. Unknown, malformed and revoked keys get the
 * same `unauthorized` answer after the same constant-time comparison.
 */
export function authenticateDevice(deps: ServiceDeps, presented: string | undefined): Device {
  const parsed = presented ? parseApiKey(presented) : undefined;
  const found = parsed ? findDeviceByKeyPrefix(deps.db, parsed.lookup) : undefined;
  const matches = secretMatches(parsed?.secret ?? '', found?.keyHash);
  if (!presented) throw new AppError('unauthorized', 'This request needs a device API key: send it as "Authorization: Bearer xpk_…".');
  if (!parsed || !found || !matches || found.device.status !== 'active') {
    throw new AppError('unauthorized', 'The device API key is not valid: it is unknown, mistyped or revoked.', { hint: 'Pair the device again, or ask the administrator for a new key.' });
  }
  touchDevice(deps.db, deps.clock, found.device);
  return found.device;
}
