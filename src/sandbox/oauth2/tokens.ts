import type { Db } from '../../store/db';
import { newToken } from './grants';

/** A refresh token and where it sits in its grant's rotation chain. */
export interface RefreshToken {
  token: string;
  grantId: string;
  issuedAt: string;
  expiresAt: string;
  /** The token this one was rotated into, once used. */
  replacedBy: string | undefined;
  rotatedAt: string | undefined;
}

/** A bearer access token (opaque to clients). */
export interface AccessToken {
  token: string;
  grantId: string;
  scope: string;
  expiresAt: string;
}

interface RefreshRow {
  token: string;
  grant_id: string;
  issued_at: string;
  expires_at: string;
  replaced_by: string | null;
  rotated_at: string | null;
}

/** Xero's access-token life; the control API's `accessTokenSeconds` may shorten it. */
export const ACCESS_TOKEN_SECONDS = 1800;
/** Xero: unused refresh tokens expire after 60 days. @see PROTOCOL.md §6.4 */
export const REFRESH_TOKEN_MS = 60 * 86_400_000;

export function insertAccessToken(db: Db, grantId: string, scope: string, now: Date, lifeSeconds = ACCESS_TOKEN_SECONDS): AccessToken {
  const token: AccessToken = { token: newToken(), grantId, scope, expiresAt: new Date(now.getTime() + lifeSeconds * 1000).toISOString() };
  db.prepare('INSERT INTO oauth2_access_tokens (token, grant_id, scope, expires_at) VALUES (?, ?, ?, ?)').run(token.token, grantId, scope, token.expiresAt);
  // Expired tokens are kept an hour so that a late caller hears "expired", not "unknown".
  db.prepare('DELETE FROM oauth2_access_tokens WHERE expires_at < ?').run(new Date(now.getTime() - 3_600_000).toISOString());
  return token;
}

export function findAccessToken(db: Db, token: string): AccessToken | undefined {
  const row = db.prepare('SELECT token, grant_id AS grantId, scope, expires_at AS expiresAt FROM oauth2_access_tokens WHERE token = ?').get(token);
  return row as AccessToken | undefined;
}

export function insertRefreshToken(db: Db, grantId: string, now: Date): RefreshToken {
  const token: RefreshToken = { token: newToken(), grantId, issuedAt: now.toISOString(), expiresAt: new Date(now.getTime() + REFRESH_TOKEN_MS).toISOString(), replacedBy: undefined, rotatedAt: undefined };
  db.prepare('INSERT INTO oauth2_refresh_tokens (token, grant_id, issued_at, expires_at) VALUES (?, ?, ?, ?)').run(token.token, grantId, token.issuedAt, token.expiresAt);
  return token;
}

export function findRefreshToken(db: Db, token: string): RefreshToken | undefined {
  const row = db.prepare('SELECT * FROM oauth2_refresh_tokens WHERE token = ?').get(token) as RefreshRow | undefined;
  if (!row) return undefined;
  return { token: row.token, grantId: row.grant_id, issuedAt: row.issued_at, expiresAt: row.expires_at, replacedBy: row.replaced_by ?? undefined, rotatedAt: row.rotated_at ?? undefined };
}

/** Records that `token` was rotated into `next`; false if someone else rotated it first. */
export function markRotated(db: Db, token: string, next: string, now: Date): boolean {
  return db.prepare('UPDATE oauth2_refresh_tokens SET replaced_by = ?, rotated_at = ? WHERE token = ? AND replaced_by IS NULL').run(next, now.toISOString(), token).changes === 1;
}
