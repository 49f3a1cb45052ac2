import type { Db } from './db';

/** An administrator's signed-in browser, as stored: the cookie itself is never stored, only its hash. */
export interface AdminSession {
  idHash: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

interface SessionRow {
  id_hash: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

const toSession = (row: SessionRow): AdminSession => ({ idHash: row.id_hash, csrfToken: row.csrf_token, createdAt: row.created_at, expiresAt: row.expires_at });

export function insertSession(db: Db, session: AdminSession): void {
  db.prepare('INSERT INTO sessions (id_hash, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?)').run(session.idHash, session.csrfToken, session.createdAt, session.expiresAt);
}

export function findSession(db: Db, idHash: string): AdminSession | undefined {
  const row = db.prepare('SELECT * FROM sessions WHERE id_hash = ?').get(idHash) as SessionRow | undefined;
  return row ? toSession(row) : undefined;
}

/** Moves a session's expiry (idle time slides forward on use). */
export function extendSession(db: Db, idHash: string, expiresAt: string): void {
  db.prepare('UPDATE sessions SET expires_at = ? WHERE id_hash = ?').run(expiresAt, idHash);
}

export function deleteSession(db: Db, idHash: string): void {
  db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
}

/** Removes sessions that have expired; returns how many. */
export function deleteExpiredSessions(db: Db, now: string): number {
  return db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now).changes;
}

/** Signs every browser out (after the password changes). */
export function deleteAllSessions(db: Db): number {
  return db.prepare('DELETE FROM sessions').run().changes;
}
