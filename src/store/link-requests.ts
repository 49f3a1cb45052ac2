import type { Clock } from '../lib/clock';
import type { Db } from './db';

export type LinkRequestState = 'pending' | 'completed' | 'denied' | 'failed' | 'expired';

/**
 * An authorisation at Xero in progress: an OAuth 1.0a request token, or an OAuth 2.0 `state`
 * (in `requestToken`) with its sealed PKCE verifier, waiting for the callback.
 */
export interface LinkRequest {
  id: string;
  requestToken: string;
  sealedSecret: string;
  pairingId: string | null;
  deviceId: string | null;
  state: LinkRequestState;
  organisationId: string | null;
  /** OAuth 2.0: the grant the callback stored; its organisations are the tenants it covers. */
  tokenSetId: string | null;
  /** OAuth 2.0: SHA-256 of the one-time proof the organisation-choice page carries; null once chosen. */
  choiceHash: string | null;
  error: string | null;
  /** Who started it, as the audit service wrote it (JSON). */
  startedBy: string | null;
  createdAt: string;
  expiresAt: string;
}

interface LinkRequestRow {
  id: string;
  request_token: string;
  sealed_secret: string;
  pairing_id: string | null;
  device_id: string | null;
  state: LinkRequestState;
  organisation_id: string | null;
  token_set_id: string | null;
  choice_hash: string | null;
  error: string | null;
  started_by: string | null;
  created_at: string;
  expires_at: string;
}

const toLinkRequest = (row: LinkRequestRow): LinkRequest => ({
  id: row.id,
  requestToken: row.request_token,
  sealedSecret: row.sealed_secret,
  pairingId: row.pairing_id,
  deviceId: row.device_id,
  state: row.state,
  organisationId: row.organisation_id,
  tokenSetId: row.token_set_id,
  choiceHash: row.choice_hash,
  error: row.error,
  startedBy: row.started_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

export function insertLinkRequest(db: Db, clock: Clock, request: { id: string; requestToken: string; sealedSecret: string; pairingId: string | null; deviceId: string | null; startedBy: string; expiresAt: string }): void {
  db.prepare(
    "INSERT INTO link_requests (id, request_token, sealed_secret, pairing_id, device_id, state, started_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)",
  ).run(request.id, request.requestToken, request.sealedSecret, request.pairingId, request.deviceId, request.startedBy, clock.now().toISOString(), request.expiresAt);
}

export function findLinkRequestByToken(db: Db, requestToken: string): LinkRequest | undefined {
  const row = db.prepare('SELECT * FROM link_requests WHERE request_token = ?').get(requestToken) as LinkRequestRow | undefined;
  return row ? toLinkRequest(row) : undefined;
}

export function findLinkRequest(db: Db, id: string): LinkRequest | undefined {
  const row = db.prepare('SELECT * FROM link_requests WHERE id = ?').get(id) as LinkRequestRow | undefined;
  return row ? toLinkRequest(row) : undefined;
}

/** Ends a pending link request; false if it was no longer pending (a replayed callback). */
export function finishLinkRequest(
  db: Db,
  clock: Clock,
  id: string,
  outcome: { state: Exclude<LinkRequestState, 'pending'>; organisationId?: string; tokenSetId?: string; choiceHash?: string; error?: string },
): boolean {
  return (
    db
      .prepare("UPDATE link_requests SET state = ?, organisation_id = ?, token_set_id = ?, choice_hash = ?, error = ?, completed_at = ? WHERE id = ? AND state = 'pending'")
      .run(outcome.state, outcome.organisationId ?? null, outcome.tokenSetId ?? null, outcome.choiceHash ?? null, outcome.error ?? null, clock.now().toISOString(), id).changes === 1
  );
}

/** Records the organisation chosen on the choice page, once: false if the proof was already spent. */
export function recordChoice(db: Db, id: string, choiceHash: string, organisationId: string): boolean {
  return db.prepare('UPDATE link_requests SET choice_hash = NULL, organisation_id = ? WHERE id = ? AND choice_hash = ?').run(organisationId, id, choiceHash).changes === 1;
}
