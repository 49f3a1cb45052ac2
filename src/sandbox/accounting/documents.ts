import type { Db } from '../../store/db';
import type { DocType } from './model';

/**
 * The `documents` table as the Accounting API uses it: one row per document per organisation,
 * the body in Xero's JSON shape, `number` (InvoiceNumber, account Code, item Code, ContactNumber)
 * and `reference` beside it for lookups. Rows come back in insertion order (the ledger order).
 */
export interface DocumentRow {
  id: string;
  number: string | null;
  reference: string | null;
}

interface Row {
  body: string;
}

const parse = <T>(row: Row): T => JSON.parse(row.body) as T;

/** Every document of `type` in the organisation, oldest first. */
export function listDocuments<T>(db: Db, organisationId: string, type: DocType): T[] {
  const rows = db.prepare('SELECT body FROM documents WHERE organisation_id = ? AND type = ? ORDER BY seq').all(organisationId, type) as Row[];
  return rows.map((row) => parse<T>(row));
}

/** One document by id (ids are compared without regard to case, as Xero's GUIDs are). */
export function findDocument<T>(db: Db, organisationId: string, type: DocType, id: string): T | undefined {
  const row = db.prepare('SELECT body FROM documents WHERE organisation_id = ? AND type = ? AND id = ?').get(organisationId, type, id.toLowerCase()) as Row | undefined;
  return row ? parse<T>(row) : undefined;
}

/** Documents whose `number` column equals `number` exactly, oldest first. */
export function findDocumentsByNumber<T>(db: Db, organisationId: string, type: DocType, number: string): T[] {
  const rows = db.prepare('SELECT body FROM documents WHERE organisation_id = ? AND type = ? AND number = ? ORDER BY seq').all(organisationId, type, number) as Row[];
  return rows.map((row) => parse<T>(row));
}

/** Inserts a new document; `at` is the sandbox clock's ISO time. */
export function insertDocument(db: Db, organisationId: string, type: DocType, row: DocumentRow, body: unknown, at: string): void {
  db.prepare('INSERT INTO documents (organisation_id, type, id, number, reference, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    organisationId,
    type,
    row.id.toLowerCase(),
    row.number,
    row.reference,
    JSON.stringify(body),
    at,
    at,
  );
}

/** Replaces an existing document's body, number and reference. */
export function updateDocument(db: Db, organisationId: string, type: DocType, row: DocumentRow, body: unknown, at: string): void {
  const result = db
    .prepare('UPDATE documents SET number = ?, reference = ?, body = ?, updated_at = ? WHERE organisation_id = ? AND type = ? AND id = ?')
    .run(row.number, row.reference, JSON.stringify(body), at, organisationId, type, row.id.toLowerCase());
  if (result.changes !== 1) throw new Error(`No ${type} ${row.id} to update in organisation ${organisationId}.`);
}
