import type { Db } from '../../store/db';

export type RequestTokenState = 'pending' | 'authorized' | 'denied' | 'used';

/** A temporary credential (RFC 5849 §2.1) between RequestToken and AccessToken. */
export interface RequestToken {
  token: string;
  secret: string;
  consumerKey: string;
  /** An absolute http(s) URL, or "oob". */
  callback: string;
  verifier: string | undefined;
  organisationId: string | undefined;
  state: RequestTokenState;
  createdAt: string;
  expiresAt: string;
}

interface RequestTokenRow {
  token: string;
  secret: string;
  consumer_key: string;
  callback: string;
  verifier: string | null;
  organisation_id: string | null;
  state: RequestTokenState;
  created_at: string;
  expires_at: string;
}

const fromRow = (row: RequestTokenRow): RequestToken => ({
  token: row.token,
  secret: row.secret,
  consumerKey: row.consumer_key,
  callback: row.callback,
  verifier: row.verifier ?? undefined,
  organisationId: row.organisation_id ?? undefined,
  state: row.state,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

export function insertRequestToken(db: Db, token: RequestToken): void {
  db.prepare(
    'INSERT INTO request_tokens (token, secret, consumer_key, callback, verifier, organisation_id, state, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(token.token, token.secret, token.consumerKey, token.callback, token.verifier ?? null, token.organisationId ?? null, token.state, token.createdAt, token.expiresAt);
}

export function findRequestToken(db: Db, token: string): RequestToken | undefined {
  const row = db.prepare('SELECT * FROM request_tokens WHERE token = ?').get(token) as RequestTokenRow | undefined;
  return row ? fromRow(row) : undefined;
}

/** Records the user's decision on a pending token; false if someone decided first. */
export function decideRequestToken(db: Db, token: string, decision: { state: 'authorized'; verifier: string; organisationId: string } | { state: 'denied' }): boolean {
  const verifier = decision.state === 'authorized' ? decision.verifier : null;
  const organisationId = decision.state === 'authorized' ? decision.organisationId : null;
  return (
    db
      .prepare("UPDATE request_tokens SET state = ?, verifier = ?, organisation_id = ? WHERE token = ? AND state = 'pending'")
      .run(decision.state, verifier, organisationId, token).changes === 1
  );
}

/** Marks an authorised token used by its exchange; false if another exchange won. */
export function markRequestTokenUsed(db: Db, token: string): boolean {
  return db.prepare("UPDATE request_tokens SET state = 'used' WHERE token = ? AND state = 'authorized'").run(token).changes === 1;
}

/** Deletes tokens that expired before `before` (an ISO timestamp). */
export function pruneRequestTokens(db: Db, before: string): number {
  return db.prepare('DELETE FROM request_tokens WHERE expires_at < ?').run(before).changes;
}
