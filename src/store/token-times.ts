import type { Db } from './db';

/** When a token set's access token and its whole authorisation (or OAuth 2.0 grant) end. */
export interface TokenTimes {
  expiresAt: string | null;
  authorizationExpiresAt: string | null;
}

/** A token set's expiry times, read without opening its sealed credentials. */
export function findTokenTimes(db: Db, tokenSetId: string): TokenTimes | undefined {
  const row = db.prepare('SELECT expires_at, authorization_expires_at FROM token_sets WHERE id = ?').get(tokenSetId) as
    | { expires_at: string | null; authorization_expires_at: string | null }
    | undefined;
  return row ? { expiresAt: row.expires_at, authorizationExpiresAt: row.authorization_expires_at } : undefined;
}

/** Every token set's expiry times by id, read without opening any sealed credentials (the overview shows each). */
export function allTokenTimes(db: Db): Map<string, TokenTimes> {
  const rows = db.prepare('SELECT id, expires_at, authorization_expires_at FROM token_sets').all() as Array<{ id: string; expires_at: string | null; authorization_expires_at: string | null }>;
  return new Map(rows.map((row) => [row.id, { expiresAt: row.expires_at, authorizationExpiresAt: row.authorization_expires_at }]));
}
