import { createHash } from 'node:crypto';
import { invoiceToXero, parseDocument, paymentToXero, type DocumentBody, type Invoice, type Payment } from '../domain/documents';
import { AppError } from '../lib/errors';
import { newId, randomBase32 } from '../lib/ids';
import type { Device } from '../store/devices';
import { findJobByDocumentKey, insertJob, type Job, type JobKind } from '../store/jobs';
import { findOrganisation } from '../store/organisations';
import type { ServiceDeps } from './deps';

/** What the API answers for an accepted write; stored with the submission for Idempotency-Key replays. */
export interface SubmitAnswer {
  status: 202;
  body: { submissionId: string; jobs: Array<{ id: string; documentKey: string; status: string; duplicateOf?: string }> };
}

export interface SubmitInput {
  body: DocumentBody;
  /** The `Idempotency-Key` header, if sent. */
  idempotencyKey: string | undefined;
  /** Method and path, part of what a key is bound to. */
  route: string;
}

interface Planned {
  documentKey: string;
  payload: Record<string, unknown>;
  dependsOn: string | null;
  existing: Job | undefined;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The stable key of one document, written into a field Xero stores (its Reference), so that an
 * unknown send can be settled by looking it up. It derives from the device and the app's own
 * DocumentId, or else the Idempotency-Key (or submission) and the document's place in it.
 */
export function documentKey(deviceRowId: string, kind: JobKind, identity: string): string {
  const digest = createHash('sha256').update(`${deviceRowId}|${kind}|${identity}`).digest();
  // 60 bits in Crockford base32 letters: short enough for a Reference, far from any collision.
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let out = '';
  for (let i = 0; i < 12; i++) out += alphabet[digest[i]! & 31];
  return `XP-${out}`;
}

/** An app's Reference with the document key after it, e.g. `Table 4 [XP-7K3M9Q2WZ4AB]`. */
export function referenceWithKey(reference: string | undefined, key: string): string {
  return reference ? `${reference} [${key}]` : `[${key}]`;
}

/**
 * Accepts invoices or payments from a device: validates the whole body, then in ONE transaction
 * stores the submission (with its answer) and a job per document, so the 202 is only sent once
 * the work is durable. The same Idempotency-Key and body gets the first answer and creates
 * nothing; the same key with another body is refused. A document whose DocumentId this device
 * already sent is not queued again.
 */
export function submitDocuments(deps: ServiceDeps, device: Device, kind: 'invoice' | 'payment', input: SubmitInput): SubmitAnswer {
  if (input.idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(input.idempotencyKey)) {
    throw new AppError('invalid', 'Idempotency-Key: must be 1 to 255 printable ASCII characters.', { field: 'Idempotency-Key' });
  }
  const requestHash = createHash('sha256').update(input.route).update('\0').update(input.body.contentType ?? '').update('\0').update(input.body.bytes).digest('hex');
  const replay = input.idempotencyKey ? findSubmission(deps, device.id, input.idempotencyKey, requestHash) : undefined;
  if (replay) return replay;
  if (!device.organisationId) throw new AppError('conflict', 'This device is not linked to an organisation; pair it again.');
  const organisation = findOrganisation(deps.db, device.organisationId);
  if (!organisation || organisation.linkState === 'disconnected') throw new AppError('conflict', 'This device\'s organisation was disconnected; it must be linked again before documents are accepted.');

  const documents = kind === 'invoice' ? parseDocument('invoices', input.body).Invoices : parseDocument('payments', input.body).Payments;
  const submissionId = newId('sub');
  const identityBase = input.idempotencyKey ?? `${submissionId}:${randomBase32(4)}`;

  return deps.db
    .transaction((): SubmitAnswer => {
      // Checked again under the write lock: of two identical requests racing, the second replays.
      const raced = input.idempotencyKey ? findSubmission(deps, device.id, input.idempotencyKey, requestHash) : undefined;
      if (raced) return raced;
      const planned = documents.map((document, index) => plan(deps, device, organisation.id, kind, document, `${identityBase}#${index}`, index));
      const answer: SubmitAnswer = { status: 202, body: { submissionId, jobs: [] } };
      deps.db
        .prepare('INSERT INTO submissions (id, device_id, idempotency_key, request_hash, status_code, response, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(submissionId, device.id, input.idempotencyKey ?? null, requestHash, 202, '{}', deps.clock.now().toISOString());
      for (const item of planned) {
        if (item.existing) {
          answer.body.jobs.push({ id: item.existing.id, documentKey: item.documentKey, status: item.existing.status, duplicateOf: item.existing.id });
          continue;
        }
        const id = newId('job');
        insertJob(deps.db, deps.clock, { id, submissionId, organisationId: organisation.id, deviceId: device.id, kind, documentKey: item.documentKey, payload: item.payload, dependsOn: item.dependsOn });
        answer.body.jobs.push({ id, documentKey: item.documentKey, status: 'queued' });
      }
      deps.db.prepare('UPDATE submissions SET response = ? WHERE id = ?').run(JSON.stringify(answer.body), submissionId);
      return answer;
    })
    .immediate();
}

function plan(deps: ServiceDeps, device: Device, organisationId: string, kind: 'invoice' | 'payment', document: Invoice | Payment, fallbackIdentity: string, index: number): Planned {
  const key = documentKey(device.id, kind, document.DocumentId !== undefined ? `doc:${document.DocumentId}` : fallbackIdentity);
  const existing = findJobByDocumentKey(deps.db, organisationId, kind, key);
  if (kind === 'invoice') {
    const xero = invoiceToXero(document as Invoice) as unknown as Record<string, unknown>;
    return { documentKey: key, payload: { ...xero, Reference: referenceWithKey((document as Invoice).Reference, key) }, dependsOn: null, existing };
  }
  const payment = document as Payment;
  let dependsOn: string | null = null;
  const byDocument = payment.Invoice.DocumentId;
  if (byDocument !== undefined) {
    const invoiceJob = findJobByDocumentKey(deps.db, organisationId, 'invoice', documentKey(device.id, 'invoice', `doc:${byDocument}`));
    if (!invoiceJob) {
      throw new AppError('invalid', `Payments[${index}].Invoice.DocumentId: this device sent no invoice with DocumentId "${byDocument}".`, { field: `Payments[${index}].Invoice.DocumentId` });
    }
    dependsOn = invoiceJob.id;
  }
  // An invoice named by DocumentId is filled in by the delivery loop once Xero has given it an id.
  const xero = paymentToXero(payment, () => 'pending') as unknown as Record<string, unknown>;
  if (byDocument !== undefined) xero['Invoice'] = {};
  return { documentKey: key, payload: { ...xero, Reference: referenceWithKey(payment.Reference, key) }, dependsOn, existing };
}

function findSubmission(deps: ServiceDeps, deviceRowId: string, key: string, requestHash: string): SubmitAnswer | undefined {
  const row = deps.db.prepare('SELECT request_hash, response FROM submissions WHERE device_id = ? AND idempotency_key = ?').get(deviceRowId, key) as
    | { request_hash: string; response: string }
    | undefined;
  if (!row) return undefined;
  if (row.request_hash !== requestHash) {
    throw new AppError('unprocessable', 'Idempotency-Key: this key was already used with a different request; use a new key for a new request.', { field: 'Idempotency-Key' });
  }
  return { status: 202, body: JSON.parse(row.response) as SubmitAnswer['body'] };
}
