import type { Clock } from '../lib/clock';
import { AppError } from '../lib/errors';
import { newId } from '../lib/ids';
import { Secret } from '../lib/secret';
import { open, seal, type Keyring } from '../lib/secret-box';
import type { Db } from './db';

/** OAuth 1.0a credentials for one organisation: all secret, all sealed at rest. */
export interface OAuth1Credentials {
  token: Secret;
  tokenSecret: Secret;
  sessionHandle: Secret | undefined;
}

/** A token set as read from the store, with its renewal bookkeeping. */
export interface TokenSet {
  id: string;
  kind: 'oauth1';
  version: number;
  credentials: OAuth1Credentials;
  expiresAt: string | null;
  authorizationExpiresAt: string | null;
  leaseOwner: string | null;
  leaseUntil: string | null;
  /** Set before a renewal request leaves; still set afterwards means its outcome is unknown. */
  renewalStartedAt: string | null;
  renewedAt: string | null;
  lastError: string | null;
}

interface TokenSetRow {
  id: string;
  kind: 'oauth1';
  sealed: string;
  version: number;
  expires_at: string | null;
  authorization_expires_at: string | null;
  lease_owner: string | null;
  lease_until: string | null;
  renewal_started_at: string | null;
  renewed_at: string | null;
  last_error: string | null;
}

const aad = (id: string) => `token_sets:${id}`;

function sealCredentials(keyring: Keyring, id: string, credentials: OAuth1Credentials): string {
  return seal(keyring, JSON.stringify({ token: credentials.token.reveal(), tokenSecret: credentials.tokenSecret.reveal(), sessionHandle: credentials.sessionHandle?.reveal() }), aad(id));
}

export interface TokenTimes {
  expiresAt: string | null;
  authorizationExpiresAt: string | null;
}

/** Stores new credentials, sealed; returns the token set id. */
export function insertTokenSet(db: Db, keyring: Keyring, clock: Clock, credentials: OAuth1Credentials, times: TokenTimes): string {
  const id = newId('tok');
  const now = clock.now().toISOString();
  db.prepare(
    "INSERT INTO token_sets (id, kind, sealed, expires_at, authorization_expires_at, version, created_at, updated_at) VALUES (?, 'oauth1', ?, ?, ?, 1, ?, ?)",
  ).run(id, sealCredentials(keyring, id, credentials), times.expiresAt, times.authorizationExpiresAt, now, now);
  return id;
}

export function findTokenSet(db: Db, keyring: Keyring, id: string): TokenSet | undefined {
  const row = db.prepare('SELECT * FROM token_sets WHERE id = ?').get(id) as TokenSetRow | undefined;
  if (!row) return undefined;
  const plain = JSON.parse(open(keyring, row.sealed, aad(row.id))) as { token: string; tokenSecret: string; sessionHandle?: string };
  return {
    id: row.id,
    kind: row.kind,
    version: row.version,
    credentials: { token: new Secret(plain.token), tokenSecret: new Secret(plain.tokenSecret), sessionHandle: plain.sessionHandle === undefined ? undefined : new Secret(plain.sessionHandle) },
    expiresAt: row.expires_at,
    authorizationExpiresAt: row.authorization_expires_at,
    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until,
    renewalStartedAt: row.renewal_started_at,
    renewedAt: row.renewed_at,
    lastError: row.last_error,
  };
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
export function saveRenewedTokenSet(db: Db, keyring: Keyring, clock: Clock, id: string, expect: { version: number; owner: string }, credentials: OAuth1Credentials, times: TokenTimes): boolean {
  const now = clock.now().toISOString();
  return db.transaction(() => {
    const result = db
      .prepare(
        `UPDATE token_sets SET sealed = ?, expires_at = ?, authorization_expires_at = COALESCE(?, authorization_expires_at), version = version + 1,
           lease_owner = NULL, lease_until = NULL, renewal_started_at = NULL, renewed_at = ?, last_error = NULL, updated_at = ?
         WHERE id = ? AND version = ? AND lease_owner = ?`,
      )
      .run(sealCredentials(keyring, id, credentials), times.expiresAt, times.authorizationExpiresAt, now, now, id, expect.version, expect.owner);
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

/** Removes a token set (disconnect); organisations referring to it must be detached first. */
export function deleteTokenSet(db: Db, id: string): void {
  db.prepare('DELETE FROM token_sets WHERE id = ?').run(id);
}
