import type { AlertRecord } from '../domain/alerts/plan';
import type { Db } from './db';

interface AlertRow {
  organisation_id: string;
  cause: string;
  summary: string;
  raised_at: string;
  last_sent_at: string | null;
  cleared_at: string | null;
}

const toRecord = (row: AlertRow): AlertRecord => ({
  organisationId: row.organisation_id,
  cause: row.cause,
  summary: row.summary,
  raisedAt: row.raised_at,
  lastSentAt: row.last_sent_at,
  clearedAt: row.cleared_at,
});

/** Every alert the proxy has sent, cleared or not. */
export function listAlertRecords(db: Db): AlertRecord[] {
  return (db.prepare('SELECT * FROM alerts ORDER BY raised_at, organisation_id, cause').all() as AlertRow[]).map(toRecord);
}

/** Records that an alert was sent now: raised afresh (a new row, or one that had cleared) or repeated. */
export function recordAlertSent(db: Db, at: string, alert: { organisationId: string; cause: string; summary: string }, event: 'raised' | 'repeat'): void {
  if (event === 'raised') {
    db.prepare(
      `INSERT INTO alerts (organisation_id, cause, summary, raised_at, last_sent_at, cleared_at) VALUES (?, ?, ?, ?, ?, NULL)
       ON CONFLICT(organisation_id, cause) DO UPDATE SET summary = excluded.summary, raised_at = excluded.raised_at, last_sent_at = excluded.last_sent_at, cleared_at = NULL`,
    ).run(alert.organisationId, alert.cause, alert.summary, at, at);
  } else {
    db.prepare('UPDATE alerts SET summary = ?, last_sent_at = ? WHERE organisation_id = ? AND cause = ?').run(alert.summary, at, alert.organisationId, alert.cause);
  }
}

/** Records that an alert's recovery note was sent. */
export function recordAlertCleared(db: Db, at: string, organisationId: string, cause: string): void {
  db.prepare('UPDATE alerts SET cleared_at = ? WHERE organisation_id = ? AND cause = ?').run(at, organisationId, cause);
}
