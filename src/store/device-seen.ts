import type { Clock } from '../lib/clock';
import type { Db } from './db';
import type { Device } from './devices';
import { groupCommitOf } from './group-commit';
import { statement } from './statements';

/** How stale the `last_seen_at` the pages show may be: a device calling all day is written once a minute. */
export const SEEN_EVERY_MS = 60_000;

interface Written {
  at: number;
  address: string | null;
}

const WRITTEN = new WeakMap<Db, Map<string, Written>>();

/**
 * Records that a device was seen and from which address, without a commit of its own: the
 * update rides on the next group commit (a document's, or one of its own at the end of this turn
 * of the event loop when none is pending), at most once a minute per device, and at once when it
 * calls from another address than last time. What was last written is kept here, so the device
 * read for a request (perhaps from a cache) need not be fresh.
 */
export function noteDeviceSeen(db: Db, clock: Clock, device: Device, address?: string): void {
  let written = WRITTEN.get(db);
  if (!written) WRITTEN.set(db, (written = new Map()));
  const last = written.get(device.id) ?? { at: device.lastSeenAt ? Date.parse(device.lastSeenAt) : -Infinity, address: device.lastSeenAddress };
  const now = clock.now();
  const moved = address !== undefined && address !== last.address;
  if (!moved && now.getTime() - last.at < SEEN_EVERY_MS) return;
  written.set(device.id, { at: now.getTime(), address: address ?? last.address });
  const at = now.toISOString();
  groupCommitOf(db).alongside(`seen:${device.id}`, () => {
    statement(db, 'UPDATE devices SET last_seen_at = ?, last_seen_address = COALESCE(?, last_seen_address) WHERE id = ?').run(at, address ?? null, device.id);
  });
}
