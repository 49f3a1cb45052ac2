import type { Db } from './db';

/**
 * One change as the audit log keeps it. The table is append-only: this module inserts and
 * reads, nothing updates or deletes, and triggers refuse both (migration "audit log").
 */
export interface AuditRecord {
  id: number;
  at: string;
  /** `admin:<name>`, `cli:<OS user>`, or `anonymous` (a sign-in with an unknown name). */
  actor: string;
  /** The network address of the browser, or `cli`. */
  source: string;
  action: string;
  /** What the change was made to: a device id, an organisation's name, an administrator… */
  subject: string | null;
  changes: Record<string, unknown>;
}

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  source: string;
  action: string;
  subject: string | null;
  changes: string;
}

const toRecord = (row: AuditRow): AuditRecord => ({ ...row, changes: JSON.parse(row.changes) as Record<string, unknown> });

export function insertAuditRecord(db: Db, record: Omit<AuditRecord, 'id'>): number {
  return Number(
    db.prepare('INSERT INTO audit_log (at, actor, source, action, subject, changes) VALUES (?, ?, ?, ?, ?, ?)').run(record.at, record.actor, record.source, record.action, record.subject, JSON.stringify(record.changes)).lastInsertRowid,
  );
}

/** Which records to read: from a moment on, by actor or action (an action ending in `.` takes every action it begins). */
export interface AuditQuery {
  since?: string;
  actor?: string;
  action?: string;
  /** Records older than this id: the next page. */
  before?: number;
  limit: number;
}

/** Records newest first. */
export function listAuditRecords(db: Db, query: AuditQuery): AuditRecord[] {
  const where: string[] = [];
  const values: Array<string | number> = [];
  const add = (clause: string, ...params: Array<string | number>) => {
    where.push(clause);
    values.push(...params);
  };
  if (query.since !== undefined) add('at >= ?', query.since);
  if (query.actor !== undefined) add('actor = ?', query.actor);
  if (query.action?.endsWith('.')) add('substr(action, 1, ?) = ?', query.action.length, query.action);
  else if (query.action !== undefined) add('action = ?', query.action);
  if (query.before !== undefined) add('id < ?', query.before);
  const sql = `SELECT * FROM audit_log ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
  return (db.prepare(sql).all(...values, query.limit) as AuditRow[]).map(toRecord);
}

/** The actors that appear in the log, for the page's filter. */
export function auditActors(db: Db): string[] {
  return db.prepare('SELECT DISTINCT actor FROM audit_log ORDER BY actor').pluck().all() as string[];
}
