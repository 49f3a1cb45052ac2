import type { Clock } from '../lib/clock';
import { AppError } from '../lib/errors';
import type { Db } from './db';
import { devicesChanged } from './device-keys';
import { getDeviceByDeviceId, type Device } from './devices';

const notFound = (deviceId: string) => new AppError('not_found', `No device has the id "${deviceId}".`, { hint: 'List devices with `xero-proxy device list`.' });

/** Gives a device another display name; its key, rights and organisation stay. */
export function renameDevice(db: Db, clock: Clock, deviceId: string, name: string): Device {
  devicesChanged(db);
  const result = db.prepare('UPDATE devices SET name = ?, updated_at = ? WHERE device_id = ?').run(name, clock.now().toISOString(), deviceId);
  if (result.changes === 0) throw notFound(deviceId);
  return getDeviceByDeviceId(db, deviceId);
}

/** Moves a device to another organisation: its key and rights stay, its new documents go there. */
export function moveDevice(db: Db, clock: Clock, deviceId: string, organisationId: string): Device {
  devicesChanged(db);
  const result = db.prepare('UPDATE devices SET organisation_id = ?, updated_at = ? WHERE device_id = ?').run(organisationId, clock.now().toISOString(), deviceId);
  if (result.changes === 0) throw notFound(deviceId);
  return getDeviceByDeviceId(db, deviceId);
}
