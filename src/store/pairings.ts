import type { Clock } from '../lib/clock';
import type { Db } from './db';

export type PairingState = 'pending' | 'approved' | 'denied' | 'expired' | 'collected';

/** A device's request to be linked, as stored. */
export interface Pairing {
  id: string;
  userCode: string;
  deviceId: string;
  name: string;
  sourceAddress: string;
  state: PairingState;
  organisationId: string | null;
  sealedKey: string | null;
  intervalSeconds: number;
  lastPolledAt: string | null;
  decidedReason: string | null;
  createdAt: string;
  expiresAt: string;
}

interface PairingRow {
  id: string;
  user_code: string;
  device_id: string;
  name: string;
  source_address: string;
  state: PairingState;
  organisation_id: string | null;
  sealed_key: string | null;
  interval_seconds: number;
  last_polled_at: string | null;
  decided_reason: string | null;
  created_at: string;
  expires_at: string;
}

const toPairing = (row: PairingRow): Pairing => ({
  id: row.id,
  userCode: row.user_code,
  deviceId: row.device_id,
  name: row.name,
  sourceAddress: row.source_address,
  state: row.state,
  organisationId: row.organisation_id,
  sealedKey: row.sealed_key,
  intervalSeconds: row.interval_seconds,
  lastPolledAt: row.last_polled_at,
  decidedReason: row.decided_reason,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

export interface NewPairing {
  id: string;
  pollHash: string;
  userCode: string;
  deviceId: string;
  name: string;
  sourceAddress: string;
  intervalSeconds: number;
  createdAt: string;
  expiresAt: string;
}

export function insertPairing(db: Db, pairing: NewPairing): void {
  db.prepare(
    `INSERT INTO pairings (id, poll_hash, user_code, device_id, name, source_address, state, interval_seconds, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
  ).run(pairing.id, pairing.pollHash, pairing.userCode, pairing.deviceId, pairing.name, pairing.sourceAddress, pairing.intervalSeconds, pairing.createdAt, pairing.expiresAt);
}

export function findPairingByPollHash(db: Db, pollHash: string): Pairing | undefined {
  const row = db.prepare('SELECT * FROM pairings WHERE poll_hash = ?').get(pollHash) as PairingRow | undefined;
  return row ? toPairing(row) : undefined;
}

export function findPairingByUserCode(db: Db, userCode: string): Pairing | undefined {
  const row = db.prepare('SELECT * FROM pairings WHERE user_code = ?').get(userCode) as PairingRow | undefined;
  return row ? toPairing(row) : undefined;
}

export function findPairing(db: Db, id: string): Pairing | undefined {
  const row = db.prepare('SELECT * FROM pairings WHERE id = ?').get(id) as PairingRow | undefined;
  return row ? toPairing(row) : undefined;
}

/** How many pairing requests one address made after a time, and when the first of them was. */
export function pairingsFromAfter(db: Db, sourceAddress: string, after: string): { count: number; firstAt: string | null } {
  return db.prepare('SELECT count(*) AS count, min(created_at) AS firstAt FROM pairings WHERE source_address = ? AND created_at > ?').get(sourceAddress, after) as { count: number; firstAt: string | null };
}

/**
 * Pairings still waiting for a person (not yet expired), from everywhere or from one address,
 * and when the first of them expires.
 */
export function pendingPairingsCount(db: Db, clock: Clock, sourceAddress?: string): { count: number; firstExpiresAt: string | null } {
  const now = clock.now().toISOString();
  const sql = "SELECT count(*) AS count, min(expires_at) AS firstExpiresAt FROM pairings WHERE state = 'pending' AND expires_at > ?";
  const row = sourceAddress === undefined ? db.prepare(sql).get(now) : db.prepare(`${sql} AND source_address = ?`).get(now, sourceAddress);
  return row as { count: number; firstExpiresAt: string | null };
}

/** Pending requests a person may act on, newest first; optionally only those from one address. */
export function listPendingPairings(db: Db, clock: Clock, sourceAddress?: string): Pairing[] {
  const now = clock.now().toISOString();
  const rows =
    sourceAddress === undefined
      ? db.prepare("SELECT * FROM pairings WHERE state = 'pending' AND expires_at > ? ORDER BY created_at DESC").all(now)
      : db.prepare("SELECT * FROM pairings WHERE state = 'pending' AND expires_at > ? AND source_address = ? ORDER BY created_at DESC").all(now, sourceAddress);
  return (rows as PairingRow[]).map(toPairing);
}

/** Moves a pending pairing to a decision; false if it was no longer pending (a race or a replay). */
export function decidePairing(db: Db, clock: Clock, id: string, decision: { state: 'approved' | 'denied' | 'expired'; organisationId?: string; sealedKey?: string; reason?: string }): boolean {
  const result = db
    .prepare("UPDATE pairings SET state = ?, organisation_id = ?, sealed_key = ?, decided_reason = ?, decided_at = ? WHERE id = ? AND state = 'pending'")
    .run(decision.state, decision.organisationId ?? null, decision.sealedKey ?? null, decision.reason ?? null, clock.now().toISOString(), id);
  return result.changes === 1;
}

/** Marks an approved pairing collected and forgets its sealed key; false if already collected. */
export function collectPairing(db: Db, id: string): boolean {
  return db.prepare("UPDATE pairings SET state = 'collected', sealed_key = NULL WHERE id = ? AND state = 'approved'").run(id).changes === 1;
}

/** Records a poll, and a new interval when the device polled too fast. */
export function recordPoll(db: Db, clock: Clock, id: string, intervalSeconds: number): void {
  db.prepare('UPDATE pairings SET last_polled_at = ?, interval_seconds = ? WHERE id = ?').run(clock.now().toISOString(), intervalSeconds, id);
}
