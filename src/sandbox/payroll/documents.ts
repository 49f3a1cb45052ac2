import type { Db } from '../../store/db';
import { PAYROLL_TYPES, type Timesheet } from './model';

/** A stored document with its row's timestamps. */
export interface StoredDocument<T> {
  body: T;
  createdAt: string;
  updatedAt: string;
}

interface DocumentRow {
  body: string;
  created_at: string;
  updated_at: string;
}

const fromRow = <T>(row: DocumentRow): StoredDocument<T> => ({ body: JSON.parse(row.body) as T, createdAt: row.created_at, updatedAt: row.updated_at });

/** Every document of `type` in an organisation, oldest first (the ledger's order). */
export function listDocuments<T>(db: Db, organisationId: string, type: string): StoredDocument<T>[] {
  const rows = db.prepare('SELECT body, created_at, updated_at FROM documents WHERE organisation_id = ? AND type = ? ORDER BY seq').all(organisationId, type) as DocumentRow[];
  return rows.map((row) => fromRow<T>(row));
}

/** One document by its (case-insensitive) GUID, or `undefined`. */
export function findDocument<T>(db: Db, organisationId: string, type: string, id: string): T | undefined {
  const row = db.prepare('SELECT body, created_at, updated_at FROM documents WHERE organisation_id = ? AND type = ? AND id = ?').get(organisationId, type, id.toLowerCase()) as
    | DocumentRow
    | undefined;
  return row ? fromRow<T>(row).body : undefined;
}

/**
 * Inserts or replaces a document. A replaced document is re-inserted rather than updated in
 * place, so it gets a new `seq` and `/sandbox/ledger?afterSeq=` shows the change; `created_at`
 * is kept.
 */
export function saveDocument(db: Db, organisationId: string, type: string, id: string, body: unknown, now: string): void {
  const key = id.toLowerCase();
  const existing = db.prepare('SELECT created_at FROM documents WHERE organisation_id = ? AND type = ? AND id = ?').get(organisationId, type, key) as { created_at: string } | undefined;
  if (existing) db.prepare('DELETE FROM documents WHERE organisation_id = ? AND type = ? AND id = ?').run(organisationId, type, key);
  db.prepare('INSERT INTO documents (organisation_id, type, id, number, reference, body, created_at, updated_at) VALUES (?, ?, ?, NULL, NULL, ?, ?, ?)').run(
    organisationId,
    type,
    key,
    JSON.stringify(body),
    existing?.created_at ?? now,
    now,
  );
}

/** An employee's timesheets whose period shares a day with `start`–`end` (stored dates). */
export function overlappingTimesheets(db: Db, organisationId: string, employeeId: string, start: string, end: string): Timesheet[] {
  const rows = db
    .prepare(
      `SELECT body, created_at, updated_at FROM documents
       WHERE organisation_id = ? AND type = ? AND json_extract(body, '$.EmployeeID') = ?
         AND json_extract(body, '$.StartDate') <= ? AND json_extract(body, '$.EndDate') >= ?
       ORDER BY seq`,
    )
    .all(organisationId, PAYROLL_TYPES.timesheet, employeeId.toLowerCase(), end, start) as DocumentRow[];
  return rows.map((row) => fromRow<Timesheet>(row).body);
}
