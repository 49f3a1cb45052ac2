import { createHash } from 'node:crypto';
import { attachmentType, checkAttachmentContent, cleanFileName, MAX_ATTACHMENTS_PER_DOCUMENT, parseXeroDocument, refuseIncludeOnline, type AttachmentEndpoint } from '../domain/documents/attachment';
import { AppError } from '../lib/errors';
import { newId } from '../lib/ids';
import { countLiveAttachments, findDocumentJobId, insertAttachment } from '../store/attachments';
import type { Device } from '../store/devices';
import { findJob, findJobByDocumentKey, insertJob, type Job } from '../store/jobs';
import { findOrganisation } from '../store/organisations';
import type { ServiceDeps } from './deps';
import { documentKey, findSubmission, IDEMPOTENCY_KEY, restoredRecently, type SubmitAnswer } from './submit';

/** A file for a document, as the device API read it (JSON with base64, or a multipart form). */
export interface AttachmentInput {
  fileName: string | undefined;
  mimeType: string | undefined;
  content: Uint8Array | undefined;
  /** The DocumentId of an invoice or credit note this device sent. */
  documentId: string | undefined;
  /** Or a document already at Xero, `Invoices/{InvoiceID}`. */
  xeroDocument: string | undefined;
  includeOnline: boolean | undefined;
}

/** The documents a device's DocumentId may name, and the endpoint each one's files go to. */
const ATTACHABLE: Readonly<Record<string, AttachmentEndpoint>> = { invoice: 'Invoices', credit_note: 'CreditNotes' };

/**
 * Accepts a file for a document: checks it (a PDF or an image whose bytes are what its type says,
 * at most 10 MB, a clean file name, at most ten a document, IncludeOnline only where the customer
 * sees it), then in ONE transaction stores the submission, the job (waiting for the document's
 * own job, when the document is one this device sent) and the file's sealed bytes, so the 202
 * is sent only once it is durable. The same file name for the same document with the same bytes
 * is the same attachment (`duplicateOf`); with other bytes it is refused (409), nothing stored.
 */
export function submitAttachment(deps: ServiceDeps, device: Device, input: AttachmentInput, request: { idempotencyKey: string | undefined; route: string }): SubmitAnswer {
  if (request.idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(request.idempotencyKey)) {
    throw new AppError('invalid', 'Idempotency-Key: must be 1 to 255 printable ASCII characters.', { field: 'Idempotency-Key' });
  }
  const file = checkedFile(input);
  if ((input.documentId === undefined) === (input.xeroDocument === undefined)) {
    throw new AppError('invalid', 'DocumentId: name the document, either by the DocumentId of an invoice or credit note this device sent, or as XeroDocument ("Invoices/{InvoiceID}"); not both.', { field: 'DocumentId' });
  }
  const xero = input.xeroDocument !== undefined ? parseXeroDocument(input.xeroDocument) : undefined;
  if (input.documentId !== undefined && (input.documentId.trim() === '' || input.documentId.length > 255)) throw new AppError('invalid', 'DocumentId: must be 1 to 255 characters.', { field: 'DocumentId' });
  const contentHash = createHash('sha256').update(file.content).digest('hex');
  // The request as parsed, so a multipart retry (a new boundary) is the same request.
  const requestHash = createHash('sha256').update(JSON.stringify([request.route, input.documentId ?? null, xero ?? null, file.fileName, file.mimeType, file.includeOnline, contentHash])).digest('hex');
  const replay = request.idempotencyKey ? findSubmission(deps, device.id, request.idempotencyKey, requestHash) : undefined;
  if (replay) return replay;
  if (!device.organisationId) throw new AppError('conflict', 'This device is not linked to an organisation; pair it again.');
  const organisation = findOrganisation(deps.db, device.organisationId);
  if (!organisation || organisation.linkState === 'disconnected') throw new AppError('conflict', "This device's organisation was disconnected; it must be linked again before documents are accepted.");

  // Soon after a restore, the proxy that made the backup may have sent this file since: it is looked up first.
  const lookUpFirst = restoredRecently(deps);

  return deps.db
    .transaction((): SubmitAnswer => {
      const raced = request.idempotencyKey ? findSubmission(deps, device.id, request.idempotencyKey, requestHash) : undefined;
      if (raced) return raced;
      const place = xero ? { endpoint: xero.endpoint, target: `${xero.endpoint}/${xero.id}`, document: undefined } : sentDocument(deps, device, organisation.id, input.documentId!);
      const field = xero ? 'XeroDocument' : 'DocumentId';
      if (file.includeOnline) refuseIncludeOnline(place.endpoint, typeof place.document?.payload['Type'] === 'string' ? place.document.payload['Type'] : undefined);
      const key = documentKey(device.id, 'attachment', `${place.target}|${file.fileName.toLowerCase()}`);
      const submissionId = newId('sub');
      const answer: SubmitAnswer = { status: 202, body: { submissionId, jobs: [] } };
      const existing = findJobByDocumentKey(deps.db, organisation.id, 'attachment', key);
      if (existing && existing.contentHash !== contentHash) {
        throw new AppError('document_changed', `FileName: "${file.fileName}" was already sent for this document with other content (job ${existing.id}); this file was not stored.`, {
          field: 'FileName',
          hint: 'Send the new file under another name; Xero keeps files by name.',
        });
      }
      if (!existing && countLiveAttachments(deps.db, place.target) >= MAX_ATTACHMENTS_PER_DOCUMENT) {
        throw new AppError('unprocessable', `${field}: the document already has ${MAX_ATTACHMENTS_PER_DOCUMENT} attachments, the most Xero keeps for one document; this file was not stored.`, { field });
      }
      deps.db
        .prepare('INSERT INTO submissions (id, device_id, idempotency_key, request_hash, status_code, response, created_at, request_body, request_content_type) VALUES (?, ?, ?, ?, 202, ?, ?, NULL, ?)')
        .run(submissionId, device.id, request.idempotencyKey ?? null, requestHash, '{}', deps.clock.now().toISOString(), file.mimeType);
      if (existing) {
        answer.body.jobs.push({ id: existing.id, kind: 'attachment', documentKey: existing.documentKey, status: existing.status, duplicateOf: existing.id });
      } else {
        const id = newId('job');
        const payload = { Endpoint: place.endpoint, ...(xero ? { XeroId: xero.id } : {}), FileName: file.fileName, MimeType: file.mimeType, ContentLength: file.content.byteLength, IncludeOnline: file.includeOnline };
        insertJob(deps.db, deps.clock, { id, submissionId, organisationId: organisation.id, deviceId: device.id, kind: 'attachment', documentKey: key, payload, dependsOn: place.document?.id ?? null, documentId: input.documentId ?? null, contentHash, outcomeUnknown: lookUpFirst });
        insertAttachment(deps.db, deps.keyring, deps.clock, { jobId: id, target: place.target, fileName: file.fileName, mimeType: file.mimeType, byteLength: file.content.byteLength, sha256: contentHash, includeOnline: file.includeOnline }, file.content);
        answer.body.jobs.push({ id, kind: 'attachment', documentKey: key, status: 'queued' });
      }
      deps.db.prepare('UPDATE submissions SET response = ? WHERE id = ?').run(JSON.stringify(answer.body), submissionId);
      return answer;
    })
    .immediate();
}

/** The file's name, type and bytes, each checked; errors name the field. */
function checkedFile(input: AttachmentInput): { fileName: string; mimeType: string; content: Uint8Array; includeOnline: boolean } {
  if (input.content === undefined) throw new AppError('invalid', 'Content: the file is missing.', { field: 'Content' });
  if (input.fileName === undefined) throw new AppError('invalid', 'FileName: the file needs a name.', { field: 'FileName' });
  if (input.mimeType === undefined) throw new AppError('invalid', 'MimeType: say what the file is, e.g. application/pdf or image/jpeg.', { field: 'MimeType' });
  const mimeType = attachmentType(input.mimeType);
  checkAttachmentContent(mimeType, input.content);
  return { fileName: cleanFileName(input.fileName), mimeType, content: input.content, includeOnline: input.includeOnline ?? false };
}

/** The invoice or credit note this device sent under `documentId`, and where its files go. */
function sentDocument(deps: ServiceDeps, device: Device, organisationId: string, documentId: string): { endpoint: AttachmentEndpoint; target: string; document: Job } {
  const id = findDocumentJobId(deps.db, organisationId, device.id, documentId, Object.keys(ATTACHABLE));
  const document = id ? findJob(deps.db, id) : undefined;
  if (!document) throw new AppError('invalid', `DocumentId: this device sent no invoice or credit note with DocumentId "${documentId}".`, { field: 'DocumentId' });
  return { endpoint: ATTACHABLE[document.kind]!, target: `job:${document.id}`, document };
}
