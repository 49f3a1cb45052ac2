import type { Db } from './db';

/**
 * Where a sign-in is: the password was right and a code is due (`code`), two-step sign-in must
 * be set up before anything else (`enrol`), or signed in.
 */
export type SessionStage = 'code' | 'enrol' | 'signed_in';

/** An administrator's browser, as stored: the cookie itself is never stored, only its hash. */
export interface AdminSession {
  idHash: string;
  administratorId: string;
  stage: SessionStage;
  csrfToken: string;
  /** The network address it signed in from, and its browser as it named itself. */
  address: string;
  userAgent: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

interface SessionRow {
  id_hash: string;
  administrator_id: string;
  stage: SessionStage;
  csrf_token: string;
  address: string;
  user_agent: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

const toSession = (row: SessionRow): AdminSession => ({
  idHash: row.id_hash,
  administratorId: row.administrator_id,
  stage: row.stage,
  csrfToken: row.csrf_token,
  address: row.address,
  userAgent: row.user_agent,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  expiresAt: row.expires_at,
});

export function insertSession(db: Db, session: AdminSession): void {
  db.prepare('INSERT INTO sessions (id_hash, administrator_id, stage, csrf_token, address, user_agent, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    session.idHash,
    session.administratorId,
    session.stage,
    session.csrfToken,
    session.address,
    session.userAgent,
    session.createdAt,
    session.lastSeenAt,
    session.expiresAt,
  );
}

export function findSession(db: Db, idHash: string): AdminSession | undefined {
  const row = db.prepare('SELECT * FROM sessions WHERE id_hash = ?').get(idHash) as SessionRow | undefined;
  return row ? toSession(row) : undefined;
}

/** An administrator's sessions that are signed in, most recently used first. */
export function listSignedInSessions(db: Db, administratorId: string): AdminSession[] {
  return (db.prepare("SELECT * FROM sessions WHERE administrator_id = ? AND stage = 'signed_in' ORDER BY last_seen_at DESC").all(administratorId) as SessionRow[]).map(toSession);
}

/** How many browsers each administrator has signed in. */
export function countSignedInSessions(db: Db): Map<string, number> {
  const rows = db.prepare("SELECT administrator_id AS id, count(*) AS n FROM sessions WHERE stage = 'signed_in' GROUP BY administrator_id").all() as Array<{ id: string; n: number }>;
  return new Map(rows.map((row) => [row.id, row.n]));
}

/** Notes a use: the idle expiry slides forward. */
export function touchSession(db: Db, idHash: string, lastSeenAt: string, expiresAt: string): void {
  db.prepare('UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id_hash = ?').run(lastSeenAt, expiresAt, idHash);
}

export function deleteSession(db: Db, idHash: string): boolean {
  return db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(idHash).changes === 1;
}

/** Removes sessions that have expired; returns how many. */
export function deleteExpiredSessions(db: Db, now: string): number {
  return db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now).changes;
}

/** Ends an administrator's sessions, all of them or all but `keep`; returns how many. */
export function deleteSessionsOf(db: Db, administratorId: string, keep?: string): number {
  return db.prepare('DELETE FROM sessions WHERE administrator_id = ? AND id_hash != ?').run(administratorId, keep ?? '').changes;
}
