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
  expiresAt: string;
}

export function insertPairing(db: Db, clock: Clock, pairing: NewPairing): void {
  db.prepare(
    `INSERT INTO pairings (id, poll_hash, user_code, device_id, name, source_address, state, interval_seconds, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
  ).run(pairing.id, pairing.pollHash, pairing.userCode, pairing.deviceId, pairing.name, pairing.sourceAddress, pairing.intervalSeconds, clock.now().toISOString(), pairing.expiresAt);
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

/** Pairing requests from one address since a time, for rate limiting. */
export function countPairingsFrom(db: Db, sourceAddress: string, since: string): number {
  return db.prepare('SELECT count(*) FROM pairings WHERE source_address = ? AND created_at >= ?').pluck().get(sourceAddress, since) as number;
}

/** Pairings still waiting for a person (not yet expired). */
export function countPendingPairings(db: Db, clock: Clock): number {
  return db.prepare("SELECT count(*) FROM pairings WHERE state = 'pending' AND expires_at > ?").pluck().get(clock.now().toISOString()) as number;
}

/** Pending requests a person may act on, newest first. */
export function listPendingPairings(db: Db, clock: Clock): Pairing[] {
  return (db.prepare("SELECT * FROM pairings WHERE state = 'pending' AND expires_at > ? ORDER BY created_at DESC").all(clock.now().toISOString()) as PairingRow[]).map(toPairing);
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
