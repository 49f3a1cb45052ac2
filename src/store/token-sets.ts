import type { Clock } from '../lib/clock';
import { AppError } from '../lib/errors';
import { newId } from '../lib/ids';
import type { Keyring } from '../lib/secret-box';
import type { Db } from './db';
import { isOAuth2Credentials, openOAuth1Credentials, openOAuth2Credentials, sealCredentials, type Credentials, type OAuth1Credentials, type OAuth2Credentials } from './token-set-credentials';

export type { Credentials, OAuth1Credentials, OAuth2Credentials } from './token-set-credentials';

interface TokenSetCommon {
  id: string;
  version: number;
  /** When the access token ends. */
  expiresAt: string | null;
  /** OAuth 1.0a partner apps: when the whole authorisation ends. OAuth 2.0: when the refresh token dies unused (60 days). */
  authorizationExpiresAt: string | null;
  /** OAuth 2.0: until when the previous refresh token may be sent again (Xero's grace for a lost answer). */
  graceUntil: string | null;
  leaseOwner: string | null;
  leaseUntil: string | null;
  /** Set before a renewal request leaves; still set afterwards means its outcome is unknown. */
  renewalStartedAt: string | null;
  renewedAt: string | null;
  /** When the current access token was issued: its renewal, else the link that stored it. */
  issuedAt: string | null;
  lastError: string | null;
}

/** A token set as read from the store, with its renewal bookkeeping: one organisation's OAuth 1.0a token, or one OAuth 2.0 grant. */
export type TokenSet = (TokenSetCommon & { kind: 'oauth1'; credentials: OAuth1Credentials }) | (TokenSetCommon & { kind: 'oauth2'; credentials: OAuth2Credentials });

interface TokenSetRow {
  id: string;
  kind: 'oauth1' | 'oauth2';
  sealed: string;
  version: number;
  expires_at: string | null;
  authorization_expires_at: string | null;
  grace_until: string | null;
  lease_owner: string | null;
  lease_until: string | null;
  renewal_started_at: string | null;
  renewed_at: string | null;
  created_at: string | null;
  last_error: string | null;
}

export interface TokenTimes {
  expiresAt: string | null;
  authorizationExpiresAt: string | null;
  /** OAuth 2.0: until when `previousRefreshToken` may be used; absent keeps what is stored. */
  graceUntil?: string | null;
}

/** Stores new credentials, sealed; returns the token set id. */
export function insertTokenSet(db: Db, keyring: Keyring, clock: Clock, credentials: Credentials, times: TokenTimes): string {
  const id = newId('tok');
  const now = clock.now().toISOString();
  db.prepare(
    'INSERT INTO token_sets (id, kind, sealed, expires_at, authorization_expires_at, grace_until, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)',
  ).run(id, isOAuth2Credentials(credentials) ? 'oauth2' : 'oauth1', sealCredentials(keyring, id, credentials), times.expiresAt, times.authorizationExpiresAt, times.graceUntil ?? null, now, now);
  return id;
}

export function findTokenSet(db: Db, keyring: Keyring, id: string): TokenSet | undefined {
  const row = db.prepare('SELECT * FROM token_sets WHERE id = ?').get(id) as TokenSetRow | undefined;
  if (!row) return undefined;
  const common: TokenSetCommon = {
    id: row.id,
    version: row.version,
    expiresAt: row.expires_at,
    authorizationExpiresAt: row.authorization_expires_at,
    graceUntil: row.grace_until,
    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until,
    renewalStartedAt: row.renewal_started_at,
    renewedAt: row.renewed_at,
    // Both are written in the same statement as expires_at, from the clock that set it.
    issuedAt: row.renewed_at ?? row.created_at,
    lastError: row.last_error,
  };
  return row.kind === 'oauth2'
    ? { ...common, kind: 'oauth2', credentials: openOAuth2Credentials(keyring, row.id, row.sealed) }
    : { ...common, kind: 'oauth1', credentials: openOAuth1Credentials(keyring, row.id, row.sealed) };
}

export function getTokenSet(db: Db, keyring: Keyring, id: string): TokenSet {
  const found = findTokenSet(db, keyring, id);
  if (!found) throw new AppError('not_found', `The token set ${id} no longer exists.`);
  return found;
}

/**
 * Takes the renewal guard across processes: succeeds only if nobody renewed since `version` was
 * read and no live lease is held. Marks the renewal as started in the same write, so a crash
 * after the request left is visible to whoever renews next.
 */
export function takeRenewalLease(db: Db, clock: Clock, id: string, version: number, owner: string, leaseMs: number): boolean {
  const now = clock.now();
  return db.transaction(() => {
    const result = db
      .prepare(
        `UPDATE token_sets SET lease_owner = ?, lease_until = ?, renewal_started_at = COALESCE(renewal_started_at, ?), updated_at = ?
         WHERE id = ? AND version = ? AND (lease_until IS NULL OR lease_until < ?)`,
      )
      .run(owner, new Date(now.getTime() + leaseMs).toISOString(), now.toISOString(), now.toISOString(), id, version, now.toISOString());
    return result.changes === 1;
  }).immediate();
}

/**
 * Saves renewed credentials with a compare-and-swap on the version and the lease owner, clearing
 * the guard; false means someone else's renewal won and ours must not be used.
 */
export function saveRenewedTokenSet(db: Db, keyring: Keyring, clock: Clock, id: string, expect: { version: number; owner: string }, credentials: Credentials, times: TokenTimes): boolean {
  const now = clock.now().toISOString();
  return db.transaction(() => {
    const result = db
      .prepare(
        `UPDATE token_sets SET sealed = ?, expires_at = ?, authorization_expires_at = COALESCE(?, authorization_expires_at),
           grace_until = CASE WHEN ? THEN ? ELSE grace_until END, version = version + 1,
           lease_owner = NULL, lease_until = NULL, renewal_started_at = NULL, renewed_at = ?, last_error = NULL, updated_at = ?
         WHERE id = ? AND version = ? AND lease_owner = ?`,
      )
      .run(sealCredentials(keyring, id, credentials), times.expiresAt, times.authorizationExpiresAt, times.graceUntil === undefined ? 0 : 1, times.graceUntil ?? null, now, now, id, expect.version, expect.owner);
    return result.changes === 1;
  }).immediate();
}

/**
 * Gives the guard back after a failed renewal. `reachedXero: false` (the request never left or was
 * refused before Xero acted) clears the started mark; otherwise it stays as evidence.
 */
export function releaseRenewalLease(db: Db, clock: Clock, id: string, owner: string, outcome: { reachedXero: boolean; error: string }): void {
  db.prepare(
    `UPDATE token_sets SET lease_owner = NULL, lease_until = NULL, last_error = ?, updated_at = ?,
       renewal_started_at = CASE WHEN ? THEN renewal_started_at ELSE NULL END
     WHERE id = ? AND lease_owner = ?`,
  ).run(outcome.error, clock.now().toISOString(), outcome.reachedXero ? 1 : 0, id, owner);
}

/** Removes a token set (disconnect); organisations referring to it must be detached first. Link requests keep their history without it. */
export function deleteTokenSet(db: Db, id: string): void {
  db.prepare('UPDATE link_requests SET token_set_id = NULL WHERE token_set_id = ?').run(id);
  db.prepare('DELETE FROM token_sets WHERE id = ?').run(id);
}

/** Removes a token set no organisation uses any more (an older grant every tenant left); true if it was removed. */
export function deleteTokenSetIfUnused(db: Db, id: string): boolean {
  const used = db.prepare('SELECT 1 FROM organisations WHERE token_set_id = ? LIMIT 1').get(id);
  if (used) return false;
  deleteTokenSet(db, id);
  return true;
}
