import { randomUUID } from 'node:crypto';
import type { Db } from '../../store/db';
import { randomCode } from '../oauth1/codes';

/** One user's authorisation of one app, which its tokens and connections hang from. */
export interface Grant {
  id: string;
  clientId: string;
  scope: string;
  authEventId: string;
  revokedAt: string | undefined;
}

/** A tenant the grant may call, as `GET /connections` lists it. */
export interface Connection {
  id: string;
  grantId: string;
  tenantId: string;
  authEventId: string;
  createdAt: string;
  updatedAt: string;
}

interface GrantRow {
  id: string;
  client_id: string;
  scope: string;
  auth_event_id: string;
  revoked_at: string | null;
}

interface ConnectionRow {
  id: string;
  grant_id: string;
  tenant_id: string;
  auth_event_id: string;
  created_at: string;
  updated_at: string;
}

const grantFromRow = (row: GrantRow): Grant => ({ id: row.id, clientId: row.client_id, scope: row.scope, authEventId: row.auth_event_id, revokedAt: row.revoked_at ?? undefined });
const connectionFromRow = (row: ConnectionRow): Connection => ({
  id: row.id,
  grantId: row.grant_id,
  tenantId: row.tenant_id,
  authEventId: row.auth_event_id,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Opaque bearer and refresh tokens: 64 characters from a CSPRNG. */
export const newToken = (): string => randomCode(64, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');

/** Creates a grant with one connection per organisation, all under one auth event. */
export function insertGrant(db: Db, clientId: string, scope: string, tenantIds: readonly string[], now: Date): Grant {
  const grant: Grant = { id: randomUUID(), clientId, scope, authEventId: randomUUID(), revokedAt: undefined };
  db.prepare('INSERT INTO oauth2_grants (id, client_id, scope, auth_event_id, created_at) VALUES (?, ?, ?, ?, ?)').run(grant.id, clientId, scope, grant.authEventId, now.toISOString());
  const insert = db.prepare('INSERT INTO oauth2_connections (id, grant_id, tenant_id, auth_event_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
  for (const tenantId of tenantIds) insert.run(randomUUID(), grant.id, tenantId, grant.authEventId, now.toISOString(), now.toISOString());
  return grant;
}

export function findGrant(db: Db, id: string): Grant | undefined {
  const row = db.prepare('SELECT * FROM oauth2_grants WHERE id = ?').get(id) as GrantRow | undefined;
  return row ? grantFromRow(row) : undefined;
}

/** A custom connection's one live grant, if it has been used before. */
export function findLiveGrantOfClient(db: Db, clientId: string): Grant | undefined {
  const row = db.prepare('SELECT * FROM oauth2_grants WHERE client_id = ? AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1').get(clientId) as GrantRow | undefined;
  return row ? grantFromRow(row) : undefined;
}

/**
 * Revokes a grant as Xero does after a replayed refresh token or a revocation call: its tokens
 * stop working and its connections are gone. Returns false when it was already revoked.
 */
export function revokeGrant(db: Db, grantId: string, now: Date): boolean {
  const changed = db.prepare('UPDATE oauth2_grants SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now.toISOString(), grantId).changes;
  db.prepare('DELETE FROM oauth2_connections WHERE grant_id = ?').run(grantId);
  db.prepare('DELETE FROM oauth2_access_tokens WHERE grant_id = ?').run(grantId);
  return changed === 1;
}

export function listConnections(db: Db, grantId: string): Connection[] {
  return (db.prepare('SELECT * FROM oauth2_connections WHERE grant_id = ? ORDER BY created_at, rowid').all(grantId) as ConnectionRow[]).map(connectionFromRow);
}

/** Disconnects one tenant from a grant; false when the grant has no such connection. */
export function deleteConnection(db: Db, grantId: string, connectionId: string): boolean {
  return db.prepare('DELETE FROM oauth2_connections WHERE grant_id = ? AND id = ?').run(grantId, connectionId).changes === 1;
}
