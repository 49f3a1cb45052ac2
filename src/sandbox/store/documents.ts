import type { Db } from '../../store/db';
import { statement } from '../../store/statements';

/**
 * The `documents` table both APIs keep their documents in: one row per document per
 * organisation, the body in Xero's JSON shape, and beside it `number` (InvoiceNumber, account
 * Code, item Code, ContactNumber) and `reference` for lookups. Ids are stored lower-case and
 * matched without regard to case, as Xero's GUIDs are. Lists come back in ledger order (`seq`).
 */
export interface DocumentRow {
  id: string;
  number: string | null;
  reference: string | null;
  /** The app that created it through the API (consumer key or client id); kept by later updates. */
  createdByApp?: string | null;
}

interface BodyRow {
  body: string;
}

const parse = <T>(row: BodyRow): T => JSON.parse(row.body) as T;

/** Every document of `type` in the organisation, oldest first. */
export function listDocuments<T>(db: Db, organisationId: string, type: string): T[] {
  const rows = statement(db, 'SELECT body FROM documents WHERE organisation_id = ? AND type = ? ORDER BY seq').all(organisationId, type) as BodyRow[];
  return rows.map((row) => parse<T>(row));
}

/** Every document of `type` the app `createdByApp` created through the API, oldest first (`createdByMyApp=true`). */
export function listDocumentsCreatedBy<T>(db: Db, organisationId: string, type: string, createdByApp: string): T[] {
  const rows = db.prepare('SELECT body FROM documents WHERE organisation_id = ? AND type = ? AND created_by_app = ? ORDER BY seq').all(organisationId, type, createdByApp) as BodyRow[];
  return rows.map((row) => parse<T>(row));
}

/** One document by id, or undefined. */
export function findDocument<T>(db: Db, organisationId: string, type: string, id: string): T | undefined {
  const row = statement(db, 'SELECT body FROM documents WHERE organisation_id = ? AND type = ? AND id = ?').get(organisationId, type, id.toLowerCase()) as BodyRow | undefined;
  return row ? parse<T>(row) : undefined;
}

/** Documents whose `number` column equals `number` exactly, oldest first. */
export function findDocumentsByNumber<T>(db: Db, organisationId: string, type: string, number: string): T[] {
  const rows = statement(db, 'SELECT body FROM documents WHERE organisation_id = ? AND type = ? AND number = ? ORDER BY seq').all(organisationId, type, number) as BodyRow[];
  return rows.map((row) => parse<T>(row));
}

/**
 * Documents of `type` numbered `prefix` and digits (e.g. `INV-0042`), highest number first. Only
 * the numbers are sorted; each body is read as the caller reaches it, so finding the highest
 * number does not parse every document (that made a long run of invoices quadratic).
 */
export function* documentsByNumberDescending<T>(db: Db, organisationId: string, type: string, prefix: string): Generator<T> {
  const rows = db
    .prepare(`SELECT seq FROM documents WHERE organisation_id = ? AND type = ? AND number GLOB ? AND NOT number GLOB ? ORDER BY CAST(substr(number, ?) AS INTEGER) DESC, seq`)
    .pluck()
    .all(organisationId, type, `${prefix}[0-9]*`, `${prefix}*[^0-9]*`, prefix.length + 1) as number[];
  const body = db.prepare('SELECT body FROM documents WHERE seq = ?');
  for (const seq of rows) yield parse<T>(body.get(seq) as BodyRow);
}

/** Inserts a new document; `at` is the sandbox clock's ISO time. */
export function insertDocument(db: Db, organisationId: string, type: string, row: DocumentRow, body: unknown, at: string): void {
  insertRow(db, organisationId, type, row, body, at, at);
}

/** Replaces an existing document's body, number and reference in place, keeping its ledger position. */
export function updateDocument(db: Db, organisationId: string, type: string, row: DocumentRow, body: unknown, at: string): void {
  const result = statement(db, 'UPDATE documents SET number = ?, reference = ?, body = ?, updated_at = ? WHERE organisation_id = ? AND type = ? AND id = ?').run(
    row.number,
    row.reference,
    JSON.stringify(body),
    at,
    organisationId,
    type,
    row.id.toLowerCase(),
  );
  if (result.changes !== 1) throw new Error(`No ${type} ${row.id} to update in organisation ${organisationId}.`);
}

/**
 * Inserts or replaces a document without number or reference (Payroll AU's). A replaced
 * document is re-inserted rather than updated in place, so it gets a new `seq` and
 * `/sandbox/ledger?afterSeq=` shows the change; `created_at` is kept.
 */
export function replaceDocument(db: Db, organisationId: string, type: string, id: string, body: unknown, at: string): void {
  const key = id.toLowerCase();
  const existing = db.prepare('SELECT created_at FROM documents WHERE organisation_id = ? AND type = ? AND id = ?').get(organisationId, type, key) as { created_at: string } | undefined;
  if (existing) db.prepare('DELETE FROM documents WHERE organisation_id = ? AND type = ? AND id = ?').run(organisationId, type, key);
  insertRow(db, organisationId, type, { id: key, number: null, reference: null }, body, existing?.created_at ?? at, at);
}

function insertRow(db: Db, organisationId: string, type: string, row: DocumentRow, body: unknown, createdAt: string, updatedAt: string): void {
  statement(db, 'INSERT INTO documents (organisation_id, type, id, number, reference, body, created_at, updated_at, created_by_app) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    organisationId,
    type,
    row.id.toLowerCase(),
    row.number,
    row.reference,
    JSON.stringify(body),
    createdAt,
    updatedAt,
    row.createdByApp ?? null,
  );
}
