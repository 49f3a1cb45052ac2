import type { Db } from '../../store/db';

/** A file attached to a document, as the sandbox keeps it. */
export interface StoredAttachment {
  id: string;
  fileName: string;
  mimeType: string;
  contentLength: number;
  includeOnline: boolean;
}

interface Row {
  id: string;
  file_name: string;
  mime_type: string;
  length: number;
  include_online: number;
}

const toAttachment = (row: Row): StoredAttachment => ({ id: row.id, fileName: row.file_name, mimeType: row.mime_type, contentLength: row.length, includeOnline: row.include_online === 1 });
const SELECT = 'SELECT id, file_name, mime_type, length(content) AS length, include_online FROM attachments';

/** A document's attachments, oldest first. */
export function listAttachments(db: Db, organisationId: string, endpoint: string, documentId: string): StoredAttachment[] {
  const rows = db.prepare(`${SELECT} WHERE organisation_id = ? AND endpoint = ? AND document_id = ? ORDER BY created_at, rowid`).all(organisationId, endpoint, documentId.toLowerCase()) as Row[];
  return rows.map(toAttachment);
}

/** One attachment's bytes and type, by its AttachmentID or (without regard to case) its file name. */
export function readAttachment(db: Db, organisationId: string, endpoint: string, documentId: string, idOrName: string): { mimeType: string; content: Buffer } | undefined {
  const row = db
    .prepare(`SELECT mime_type, content FROM attachments WHERE organisation_id = ? AND endpoint = ? AND document_id = ? AND (id = lower(?) OR lower(file_name) = lower(?)) ORDER BY created_at, rowid LIMIT 1`)
    .get(organisationId, endpoint, documentId.toLowerCase(), idOrName, idOrName) as { mime_type: string; content: Buffer } | undefined;
  return row ? { mimeType: row.mime_type, content: row.content } : undefined;
}

/** Adds an attachment (`replace`: first removing those of the same name, as a POST does). */
export function saveAttachment(
  db: Db,
  organisationId: string,
  place: { endpoint: string; documentId: string },
  file: { id: string; fileName: string; mimeType: string; content: Uint8Array; includeOnline: boolean },
  at: string,
  replace: boolean,
): StoredAttachment {
  const documentId = place.documentId.toLowerCase();
  if (replace) db.prepare('DELETE FROM attachments WHERE organisation_id = ? AND endpoint = ? AND document_id = ? AND lower(file_name) = lower(?)').run(organisationId, place.endpoint, documentId, file.fileName);
  db.prepare('INSERT INTO attachments (id, organisation_id, endpoint, document_id, file_name, mime_type, content, include_online, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    file.id,
    organisationId,
    place.endpoint,
    documentId,
    file.fileName,
    file.mimeType,
    Buffer.from(file.content),
    file.includeOnline ? 1 : 0,
    at,
  );
  return { id: file.id, fileName: file.fileName, mimeType: file.mimeType, contentLength: file.content.byteLength, includeOnline: file.includeOnline };
}
