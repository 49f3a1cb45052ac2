import type { Db } from './db';
import type { Device } from './devices';
import { statement } from './statements';

/** Enough for every device of a large install; past it the cache starts again. */
const MOST_KEPT = 20_000;

interface Known {
  /** SQLite's `data_version` when the entries were read: another connection's commit changes it. */
  dataVersion: number;
  entries: Map<string, Found>;
}

const KNOWN = new WeakMap<Db, Known>();

type Found = { device: Device; keyHash: string };

/**
 * The device holding a key lookup id, without a query per request: `read` (the store's
 * `findDeviceByKeyPrefix`) is asked once, and the devices found are kept, with the stored
 * hash of their key (never the key), until the devices table may have changed. A change made on
 * this connection (a key revoked or rotated from the pages, a device added or moved) calls
 * `devicesChanged`; one made by another connection (the CLI in another process) moves SQLite's
 * `data_version`, read here on every call. Either way the next call reads the row again, so a
 * revoked key stops working at once. Unknown lookup ids are not kept.
 */
export function knownDeviceKey(db: Db, lookup: string, read: (lookup: string) => Found | undefined): Found | undefined {
  const dataVersion = statement(db, 'PRAGMA data_version').pluck().get() as number;
  let known = KNOWN.get(db);
  if (!known || known.dataVersion !== dataVersion || known.entries.size >= MOST_KEPT) KNOWN.set(db, (known = { dataVersion, entries: new Map() }));
  const cached = known.entries.get(lookup);
  if (cached) return cached;
  const found = read(lookup);
  if (found) known.entries.set(lookup, found);
  return found;
}

/** Forgets every device kept for key checks: called by each write to the devices table on this connection. */
export function devicesChanged(db: Db): void {
  KNOWN.delete(db);
}
