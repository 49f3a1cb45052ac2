import type { Db } from '../../store/db';

/** An authorization code, waiting for its one exchange. */
export interface AuthorizationCode {
  code: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  organisationIds: string[];
  expiresAt: string;
}

interface CodeRow {
  code: string;
  client_id: string;
  redirect_uri: string;
  scope: string;
  nonce: string | null;
  code_challenge: string | null;
  organisation_ids: string;
  expires_at: string;
  used_at: string | null;
}

export function insertCode(db: Db, code: AuthorizationCode): void {
  db.prepare(
    'INSERT INTO oauth2_codes (code, client_id, redirect_uri, scope, nonce, code_challenge, organisation_ids, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(code.code, code.clientId, code.redirectUri, code.scope, code.nonce ?? null, code.codeChallenge ?? null, JSON.stringify(code.organisationIds), code.expiresAt);
}

/**
 * Marks a code used and returns it, or undefined when it is unknown or was used before; the
 * update is the single-use guarantee, so two racing exchanges cannot both win.
 */
export function consumeCode(db: Db, code: string, usedAt: Date): AuthorizationCode | undefined {
  const row = db.prepare('UPDATE oauth2_codes SET used_at = ? WHERE code = ? AND used_at IS NULL RETURNING *').get(usedAt.toISOString(), code) as CodeRow | undefined;
  if (!row) return undefined;
  return {
    code: row.code,
    clientId: row.client_id,
    redirectUri: row.redirect_uri,
    scope: row.scope,
    nonce: row.nonce ?? undefined,
    codeChallenge: row.code_challenge ?? undefined,
    organisationIds: JSON.parse(row.organisation_ids) as string[],
    expiresAt: row.expires_at,
  };
}
