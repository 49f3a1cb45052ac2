import type { Db } from '../../store/db';

export type AccessTokenState = 'active' | 'superseded' | 'revoked';

/** A token credential (RFC 5849 §2.3) for one (public or partner app, organisation) pair. */
export interface AccessToken {
  token: string;
  secret: string;
  consumerKey: string;
  organisationId: string;
  /** Partner apps only: what renews the token. */
  sessionHandle: string | undefined;
  expiresAt: string;
  /** Partner apps only: when the whole authorisation lapses. */
  authorizationExpiresAt: string | undefined;
  state: AccessTokenState;
  createdAt: string;
}

interface AccessTokenRow {
  token: string;
  secret: string;
  consumer_key: string;
  organisation_id: string;
  session_handle: string | null;
  expires_at: string;
  authorization_expires_at: string | null;
  state: AccessTokenState;
  created_at: string;
}

const fromRow = (row: AccessTokenRow): AccessToken => ({
  token: row.token,
  secret: row.secret,
  consumerKey: row.consumer_key,
  organisationId: row.organisation_id,
  sessionHandle: row.session_handle ?? undefined,
  expiresAt: row.expires_at,
  authorizationExpiresAt: row.authorization_expires_at ?? undefined,
  state: row.state,
  createdAt: row.created_at,
});

export function insertAccessToken(db: Db, token: AccessToken): void {
  db.prepare(
    `INSERT INTO access_tokens (token, secret, consumer_key, organisation_id, session_handle, expires_at, authorization_expires_at, state, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    token.token,
    token.secret,
    token.consumerKey,
    token.organisationId,
    token.sessionHandle ?? null,
    token.expiresAt,
    token.authorizationExpiresAt ?? null,
    token.state,
    token.createdAt,
  );
}

export function findAccessToken(db: Db, token: string): AccessToken | undefined {
  const row = db.prepare('SELECT * FROM access_tokens WHERE token = ?').get(token) as AccessTokenRow | undefined;
  return row ? fromRow(row) : undefined;
}

/** Retires a renewed token (compare-and-swap); false if it was no longer active. */
export function supersedeAccessToken(db: Db, token: string): boolean {
  return db.prepare("UPDATE access_tokens SET state = 'superseded' WHERE token = ? AND state = 'active'").run(token).changes === 1;
}

/**
 * Revokes an app's active tokens, for one organisation or all: what a new authorisation of the
 * same organisation, or the user removing the app in Xero, did.
 */
export function revokeAccessTokens(db: Db, consumerKey: string, organisationId?: string): number {
  return db
    .prepare("UPDATE access_tokens SET state = 'revoked' WHERE consumer_key = ? AND (? IS NULL OR organisation_id = ?) AND state = 'active'")
    .run(consumerKey, organisationId ?? null, organisationId ?? null).changes;
}
