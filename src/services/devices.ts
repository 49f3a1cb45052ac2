import { issueApiKey, parseApiKey, secretMatches } from '../domain/api-key';
import { DEFAULT_RIGHTS, parseRights, type DeviceRight } from '../domain/device-rights';
import { AppError } from '../lib/errors';
import { moveDevice as moveDeviceRow, renameDevice as renameDeviceRow } from '../store/device-changes';
import { findDeviceByDeviceId, findDeviceByKeyPrefix, getDeviceByDeviceId, listDevices, revokeDevice, setDeviceRights, upsertDeviceKey, type Device } from '../store/devices';
import { knownDeviceKey } from '../store/device-keys';
import { noteDeviceSeen } from '../store/device-seen';
import { getOrganisation, listOrganisations } from '../store/organisations';
import { recordAudit, type Acting } from './audit';
import type { ServiceDeps } from './deps';

type ActingDeps = ServiceDeps & Acting;

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

/**
 * Links a device to an organisation and issues its key, replacing any earlier key and rights:
 * the device gets `rights` (names, checked) or else the default, `reference` alone.
 * @example addDevice(deps, { deviceId: 'TILL-1', organisation: '!Hb7Cf', rights: ['reference', 'accounting.read'] })
 */
export function addDevice(deps: ActingDeps, input: { deviceId: string; name?: string; organisation: string; rights?: readonly string[] }): IssuedDevice {
  const deviceId = validateDeviceId(input.deviceId);
  const name = validateDeviceName(input.name ?? deviceId);
  const rights = input.rights ? parseRights(input.rights) : DEFAULT_RIGHTS;
  const issued = deps.db.transaction(() => {
    const organisation = getOrganisation(deps.db, input.organisation);
    const before = findDeviceByDeviceId(deps.db, deviceId);
    const key = issueApiKey();
    const device = upsertDeviceKey(deps.db, deps.clock, { deviceId, name, organisationId: organisation.id, keyPrefix: key.lookup, keyHash: key.hash, rights });
    recordAudit(deps, { actor: deps.actor, action: 'device.added', subject: deviceId, changes: { name, organisation: organisation.name, rights: device.rights, keyReplaced: before !== undefined } });
    return { device, apiKey: key.key };
  }).immediate();
  deps.logger.info('device added', { deviceId: issued.device.deviceId, organisation: issued.device.organisationId, rights: issued.device.rights });
  return issued;
}

/**
 * Adds a device that does not exist yet (the console's form): unlike `addDevice`, an id already
 * in use is refused, so a typing slip cannot replace another device's key.
 */
export function addNewDevice(deps: ActingDeps, input: Parameters<typeof addDevice>[1]): IssuedDevice {
  const existing = findDeviceByDeviceId(deps.db, validateDeviceId(input.deviceId));
  if (existing) {
    throw new AppError('conflict', `A device with the id "${existing.deviceId}" exists already (${existing.name}). Open it from the list to issue it a new key, or choose another id.`, { field: 'deviceId' });
  }
  return addDevice(deps, input);
}

/** Gives a device another display name (1–100 printable characters); nothing else changes. */
export function renameDevice(deps: ActingDeps, deviceId: string, name: string): Device {
  const checked = validateDeviceName(name);
  const device = deps.db.transaction(() => {
    const before = getDeviceByDeviceId(deps.db, deviceId);
    const renamed = renameDeviceRow(deps.db, deps.clock, deviceId, checked);
    recordAudit(deps, { actor: deps.actor, action: 'device.renamed', subject: renamed.deviceId, changes: { name: { from: before.name, to: renamed.name } } });
    return renamed;
  }).immediate();
  deps.logger.info('device renamed', { deviceId, name: checked });
  return device;
}

/**
 * Moves a device to another organisation (name, short code or id): it keeps its key and rights,
 * and what it sends from now on goes to that organisation. Documents it sent before stay with
 * the organisation they were sent to.
 */
export function moveDevice(deps: ActingDeps, deviceId: string, organisation: string): Device {
  const moved = deps.db.transaction(() => {
    const target = getOrganisation(deps.db, organisation);
    if (target.linkState === 'disconnected') {
      throw new AppError('conflict', `${target.name} is disconnected, so a device cannot be moved to it.`, { hint: 'Link the organisation again first.' });
    }
    const before = getDeviceByDeviceId(deps.db, deviceId);
    const from = before.organisationId ? (listOrganisations(deps.db).find((org) => org.id === before.organisationId)?.name ?? before.organisationId) : null;
    const moved = moveDeviceRow(deps.db, deps.clock, deviceId, target.id);
    recordAudit(deps, { actor: deps.actor, action: 'device.moved', subject: moved.deviceId, changes: { organisation: { from, to: target.name } } });
    return moved;
  }).immediate();
  deps.logger.info('device moved', { deviceId, organisation: moved.organisationId });
  return moved;
}

/** Gives a device more rights (names, checked); those it has already stay. */
export function grantRights(deps: ActingDeps, deviceId: string, names: readonly string[]): Device {
  const added = parseRights(names);
  return changeRights(deps, deviceId, (rights) => [...rights, ...added]);
}

/** Takes rights away from a device (names, checked); a right it does not have is no error. */
export function revokeRights(deps: ActingDeps, deviceId: string, names: readonly string[]): Device {
  const removed = parseRights(names);
  return changeRights(deps, deviceId, (rights) => rights.filter((right) => !removed.includes(right)));
}

function changeRights(deps: ActingDeps, deviceId: string, change: (rights: readonly DeviceRight[]) => DeviceRight[]): Device {
  return deps.db.transaction(() => {
    const device = getDeviceByDeviceId(deps.db, deviceId);
    const changed = setDeviceRights(deps.db, deps.clock, device.deviceId, parseRights(change(device.rights)));
    if (changed.rights.join(' ') !== device.rights.join(' ')) {
      recordAudit(deps, { actor: deps.actor, action: 'device.rights_changed', subject: device.deviceId, changes: { rights: { from: device.rights, to: changed.rights } } });
    }
    return changed;
  }).immediate();
}

/** A device as the administrator sees it in a list: never its key, only the key's public prefix. */
export interface DeviceSummary {
  deviceId: string;
  name: string;
  /** The organisation's name, or its id if it is no longer known; null when not linked. */
  organisation: string | null;
  /** Our id of the organisation (for links and pick lists); null when not linked. */
  organisationId: string | null;
  status: Device['status'];
  rights: DeviceRight[];
  key: string | null;
  lastSeenAt: string | null;
  /** The network address it last called from. */
  lastSeenAddress: string | null;
}

/** Every device with its organisation's name, state and rights. */
export function deviceSummaries(deps: Pick<ServiceDeps, 'db'>): DeviceSummary[] {
  const names = new Map(listOrganisations(deps.db).map((org) => [org.id, org.name]));
  return listDevices(deps.db).map((d) => ({
    deviceId: d.deviceId,
    name: d.name,
    organisation: d.organisationId ? (names.get(d.organisationId) ?? d.organisationId) : null,
    organisationId: d.organisationId,
    status: d.status,
    rights: d.rights,
    key: d.keyPrefix ? `xpk_${d.keyPrefix}_…` : null,
    lastSeenAt: d.lastSeenAt,
    lastSeenAddress: d.lastSeenAddress,
  }));
}

/** One device as the list shows it; `not_found` when no device has the id. */
export function deviceSummary(deps: Pick<ServiceDeps, 'db'>, deviceId: string): DeviceSummary {
  getDeviceByDeviceId(deps.db, deviceId);
  return deviceSummaries(deps).find((d) => d.deviceId === deviceId)!;
}

/** Issues a new key for an existing device, which keeps its rights; the old key stops working at once. */
export function rotateDeviceKey(deps: ActingDeps, deviceId: string): IssuedDevice {
  return deps.db.transaction(() => {
    const device = getDeviceByDeviceId(deps.db, deviceId);
    if (!device.organisationId) throw new AppError('conflict', `Device "${deviceId}" is not linked to an organisation.`, { hint: `Link it with \`xero-proxy device add ${deviceId} --org <org>\`.` });
    const issued = issueApiKey();
    const updated = upsertDeviceKey(deps.db, deps.clock, { deviceId, name: device.name, organisationId: device.organisationId, keyPrefix: issued.lookup, keyHash: issued.hash, rights: device.rights });
    // The key's public prefix tells the keys apart; the key itself is never recorded.
    recordAudit(deps, { actor: deps.actor, action: 'device.key_rotated', subject: device.deviceId, changes: { keyPrefix: { from: device.keyPrefix, to: updated.keyPrefix } } });
    return { device: updated, apiKey: issued.key };
  }).immediate();
}

/** Revokes a device's key. */
export function revoke(deps: ActingDeps, deviceId: string): Device {
  const revoked = deps.db.transaction(() => {
    const device = revokeDevice(deps.db, deps.clock, deviceId);
    recordAudit(deps, { actor: deps.actor, action: 'device.revoked', subject: device.deviceId });
    return device;
  }).immediate();
  deps.logger.info('device revoked', { deviceId });
  return revoked;
}

/**
 * Finds the device a presented API key belongs to, noting when and from which `address` it was
 * seen. Unknown, malformed and revoked keys get the same `unauthorized` answer after the same
 * constant-time comparison.
 */
export function authenticateDevice(deps: ServiceDeps, presented: string | undefined, address?: string): Device {
  const parsed = presented ? parseApiKey(presented) : undefined;
  // The row is kept between requests, the key's hash with it; the presented secret is hashed and
  // compared in constant time on every call all the same.
  const found = parsed ? knownDeviceKey(deps.db, parsed.lookup, (lookup) => findDeviceByKeyPrefix(deps.db, lookup)) : undefined;
  const matches = secretMatches(parsed?.secret ?? '', found?.keyHash);
  if (!presented) throw new AppError('unauthorized', 'This request needs a device API key: send it as "Authorization: Bearer xpk_…".');
  if (!parsed || !found || !matches || found.device.status !== 'active') {
    throw new AppError('unauthorized', 'The device API key is not valid: it is unknown, mistyped or revoked.', { hint: 'Pair the device again, or ask the administrator for a new key.' });
  }
  noteDeviceSeen(deps.db, deps.clock, found.device, address);
  return found.device;
}
