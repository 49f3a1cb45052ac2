import type { Clock } from '../lib/clock';
import type { Db } from './db';

/**
 * The key that seals new secrets, as the database records it once `key rotate` has run, or
 * `undefined` before any rotation (the key file's last key seals then). Read inside the
 * transaction that seals, so no process can seal with a key a rotation has just replaced.
 */
export function findSealingKeyId(db: Db): string | undefined {
  if (!hasKeyStates(db)) return undefined;
  return db.prepare("SELECT key_id FROM key_states WHERE state = 'active'").pluck().get() as string | undefined;
}

/** The key ids a rotation retired: the database holds nothing sealed with them. */
export function retiredKeyIds(db: Db): Set<string> {
  if (!hasKeyStates(db)) return new Set();
  return new Set(db.prepare("SELECT key_id FROM key_states WHERE state = 'retired'").pluck().all() as string[]);
}

/** Records `activeId` as the key that seals and every id of `retiredIds` as retired; run in the rotation's transaction. */
export function recordKeyStates(db: Db, clock: Clock, activeId: string, retiredIds: readonly string[]): void {
  const now = clock.now().toISOString();
  const upsert = db.prepare('INSERT INTO key_states (key_id, state, changed_at) VALUES (?, ?, ?) ON CONFLICT(key_id) DO UPDATE SET state = excluded.state, changed_at = excluded.changed_at WHERE state <> excluded.state');
  // Retired first: the unique index allows one active key at a time.
  for (const id of retiredIds) if (id !== activeId) upsert.run(id, 'retired', now);
  upsert.run(activeId, 'active', now);
}

// A database from before the table existed (a backup being checked, or one not yet migrated) has no states.
function hasKeyStates(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'key_states'").get() !== undefined;
}
