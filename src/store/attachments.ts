import type { Clock } from '../lib/clock';
import { open, seal, type Keyring } from '../lib/secret-box';
import type { Db } from './db';

/** A file waiting for, or delivered to, a document at Xero; its bytes are apart (`attachmentContent`). */
export interface Attachment {
  jobId: string;
  /** `job:<id>` for a document this proxy sends, or `<Endpoint>/<id>` for one already at Xero. */
  target: string;
  fileName: string;
  mimeType: string;
  byteLength: number;
  sha256: string;
  includeOnline: boolean;
  createdAt: string;
  /** When its bytes were erased after storage.retention_days; null while they are kept. */
  contentErasedAt: string | null;
}

interface AttachmentRow {
  job_id: string;
  target: string;
  file_name: string;
  mime_type: string;
  byte_length: number;
  sha256: string;
  include_online: number;
  created_at: string;
  content_erased_at: string | null;
}

const COLUMNS = 'job_id, target, file_name, mime_type, byte_length, sha256, include_online, created_at, content_erased_at';

const toAttachment = (row: AttachmentRow): Attachment => ({
  jobId: row.job_id,
  target: row.target,
  fileName: row.file_name,
  mimeType: row.mime_type,
  byteLength: row.byte_length,
  sha256: row.sha256,
  includeOnline: row.include_online === 1,
  createdAt: row.created_at,
  contentErasedAt: row.content_erased_at,
});

// Bound to its row, so sealed bytes copied to another row do not open.
const aad = (jobId: string) => `attachments:${jobId}`;

/** Stores an attachment's facts and its sealed bytes; run inside the transaction that inserts its job. */
export function insertAttachment(db: Db, keyring: Keyring, clock: Clock, attachment: Omit<Attachment, 'createdAt' | 'contentErasedAt'>, content: Uint8Array): void {
  db.prepare(`INSERT INTO attachments (job_id, target, file_name, mime_type, byte_length, sha256, include_online, sealed_content, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
    attachment.jobId,
    attachment.target,
    attachment.fileName,
    attachment.mimeType,
    attachment.byteLength,
    attachment.sha256,
    attachment.includeOnline ? 1 : 0,
    seal(keyring, Buffer.from(content).toString('base64'), aad(attachment.jobId)),
    clock.now().toISOString(),
  );
}

export function findAttachment(db: Db, jobId: string): Attachment | undefined {
  const row = db.prepare(`SELECT ${COLUMNS} FROM attachments WHERE job_id = ?`).get(jobId) as AttachmentRow | undefined;
  return row ? toAttachment(row) : undefined;
}

/** The bytes to send, opened; undefined once erased. */
export function attachmentContent(db: Db, keyring: Keyring, jobId: string): Uint8Array | undefined {
  const sealed = db.prepare('SELECT sealed_content FROM attachments WHERE job_id = ?').pluck().get(jobId) as string | null | undefined;
  return sealed ? new Uint8Array(Buffer.from(open(keyring, sealed, aad(jobId)), 'base64')) : undefined;
}

/** Attachments for a target that still count against Xero's ten a document: all but those refused or cancelled (one the proxy gave up on may be there). */
export function countLiveAttachments(db: Db, target: string): number {
  return db
    .prepare(`SELECT COUNT(*) FROM attachments a JOIN jobs j ON j.id = a.job_id WHERE a.target = ? AND j.status NOT IN ('failed', 'cancelled')`)
    .pluck()
    .get(target) as number;
}

/** Every attachment of a document (its target), oldest first, with the job's status. */
export function attachmentsOf(db: Db, target: string): Array<Attachment & { status: string; xeroId: string | null; lastError: string | null; errors: string | null }> {
  const rows = db
    .prepare(`SELECT ${COLUMNS.split(', ').map((c) => `a.${c}`).join(', ')}, j.status, j.xero_id, j.last_error, j.errors FROM attachments a JOIN jobs j ON j.id = a.job_id WHERE a.target = ? ORDER BY a.created_at, j.rowid`)
    .all(target) as Array<AttachmentRow & { status: string; xero_id: string | null; last_error: string | null; errors: string | null }>;
  return rows.map((row) => ({ ...toAttachment(row), status: row.status, xeroId: row.xero_id, lastError: row.last_error, errors: row.errors }));
}

/** Erases the bytes of attachments whose jobs' content was erased (content-retention.ts); returns how many. */
export function eraseAttachmentContent(db: Db, jobIds: readonly string[], at: string): number {
  const erase = db.prepare('UPDATE attachments SET sealed_content = NULL, content_erased_at = ? WHERE job_id = ? AND sealed_content IS NOT NULL');
  let count = 0;
  for (const id of jobIds) count += erase.run(at, id).changes;
  return count;
}

/** The id of the first job of one of `kinds` a device sent under `documentId`: the document a file names by DocumentId. */
export function findDocumentJobId(db: Db, organisationId: string, deviceId: string, documentId: string, kinds: readonly string[]): string | undefined {
  return db
    .prepare(`SELECT id FROM jobs WHERE organisation_id = ? AND device_id = ? AND document_id = ? AND kind IN (${kinds.map(() => '?').join(', ')}) ORDER BY rowid LIMIT 1`)
    .pluck()
    .get(organisationId, deviceId, documentId, ...kinds) as string | undefined;
}
