import { decodeRights, encodeRights, type DeviceRight } from '../domain/device-rights';
import type { Clock } from '../lib/clock';
import { AppError } from '../lib/errors';
import { newId } from '../lib/ids';
import type { Db } from './db';
import { devicesChanged } from './device-keys';
import { statement } from './statements';

/** A device as the store holds it (never the key itself). */
export interface Device {
  id: string;
  deviceId: string;
  name: string;
  organisationId: string | null;
  keyPrefix: string | null;
  status: 'active' | 'revoked';
  /** What it may do beyond sending documents, in the canonical order. */
  rights: DeviceRight[];
  createdAt: string;
  lastSeenAt: string | null;
  /** The network address the device last called from, as the socket showed it. */
  lastSeenAddress: string | null;
}

interface DeviceRow {
  id: string;
  device_id: string;
  name: string;
  organisation_id: string | null;
  key_prefix: string | null;
  key_hash: string | null;
  status: 'active' | 'revoked';
  rights: string;
  created_at: string;
  last_seen_at: string | null;
  last_seen_address: string | null;
}

const toDevice = (row: DeviceRow): Device => ({
  id: row.id,
  deviceId: row.device_id,
  name: row.name,
  organisationId: row.organisation_id,
  keyPrefix: row.key_prefix,
  status: row.status,
  rights: decodeRights(row.rights),
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  lastSeenAddress: row.last_seen_address,
});

/** The devices with these row ids (the ones a page of documents names), by row id. */
export function findDevicesById(db: Db, ids: readonly string[]): Map<string, Device> {
  const byId = db.prepare('SELECT * FROM devices WHERE id = ?');
  const found = new Map<string, Device>();
  for (const id of new Set(ids)) {
    const row = byId.get(id) as DeviceRow | undefined;
    if (row) found.set(id, toDevice(row));
  }
  return found;
}

export function findDeviceByDeviceId(db: Db, deviceId: string): Device | undefined {
  const row = db.prepare('SELECT * FROM devices WHERE device_id = ?').get(deviceId) as DeviceRow | undefined;
  return row ? toDevice(row) : undefined;
}

export function getDeviceByDeviceId(db: Db, deviceId: string): Device {
  const device = findDeviceByDeviceId(db, deviceId);
  if (!device) throw new AppError('not_found', `No device has the id "${deviceId}".`, { hint: 'List devices with `xero-proxy device list`.' });
  return device;
}

/** The device holding the key lookup id, with its stored hash, for authentication. */
export function findDeviceByKeyPrefix(db: Db, lookup: string): { device: Device; keyHash: string } | undefined {
  const row = statement(db, 'SELECT * FROM devices WHERE key_prefix = ?').get(lookup) as DeviceRow | undefined;
  return row && row.key_hash ? { device: toDevice(row), keyHash: row.key_hash } : undefined;
}

/** How many devices there are. */
export function countDevices(db: Db): number {
  return db.prepare('SELECT COUNT(*) FROM devices').pluck().get() as number;
}

export function listDevices(db: Db): Device[] {
  return (db.prepare('SELECT * FROM devices ORDER BY created_at, device_id').all() as DeviceRow[]).map(toDevice);
}

/**
 * Links a device (creating it if new) to an organisation with a new key hash and its rights,
 * replacing any earlier key and rights: the device is active again with exactly one valid key.
 */
export function upsertDeviceKey(
  db: Db,
  clock: Clock,
  input: { deviceId: string; name: string; organisationId: string; keyPrefix: string; keyHash: string; rights: readonly DeviceRight[] },
): Device {
  const now = clock.now().toISOString();
  devicesChanged(db);
  db.prepare(
    `INSERT INTO devices (id, device_id, name, organisation_id, key_prefix, key_hash, rights, status, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)
     ON CONFLICT(device_id) DO UPDATE SET name = excluded.name, organisation_id = excluded.organisation_id,
       key_prefix = excluded.key_prefix, key_hash = excluded.key_hash, rights = excluded.rights, status = 'active', updated_at = excluded.updated_at`,
  ).run(newId('dev'), input.deviceId, input.name, input.organisationId, input.keyPrefix, input.keyHash, encodeRights(input.rights), now, now);
  return getDeviceByDeviceId(db, input.deviceId);
}

/** Replaces a device's rights. */
export function setDeviceRights(db: Db, clock: Clock, deviceId: string, rights: readonly DeviceRight[]): Device {
  devicesChanged(db);
  const result = db.prepare('UPDATE devices SET rights = ?, updated_at = ? WHERE device_id = ?').run(encodeRights(rights), clock.now().toISOString(), deviceId);
  if (result.changes === 0) throw new AppError('not_found', `No device has the id "${deviceId}".`, { hint: 'List devices with `xero-proxy device list`.' });
  return getDeviceByDeviceId(db, deviceId);
}

/** Revokes a device: its key stops working at once. */
export function revokeDevice(db: Db, clock: Clock, deviceId: string): Device {
  devicesChanged(db);
  const result = db.prepare("UPDATE devices SET status = 'revoked', key_hash = NULL, key_prefix = NULL, updated_at = ? WHERE device_id = ?").run(clock.now().toISOString(), deviceId);
  if (result.changes === 0) throw new AppError('not_found', `No device has the id "${deviceId}".`, { hint: 'List devices with `xero-proxy device list`.' });
  return getDeviceByDeviceId(db, deviceId);
}
