import { createHash } from 'node:crypto';
import { allocationToXero, creditNoteToXero, invoiceToXero, parseDocument, paymentToXero, planTimesheet, refundToXero, shiftDirection, type CreditNote, type DocumentBody, type Invoice, type Payment } from '../domain/documents';
import { AppError } from '../lib/errors';
import { newId, randomBase32 } from '../lib/ids';
import type { Device } from '../store/devices';
import { findJobByDocumentKey, insertJob, replaceRefusedContent, requeueJob, type JobKind } from '../store/jobs';
import { payrollMappingsOf } from '../store/mappings';
import { findSetting, SETTING } from '../store/settings';
import { findOrganisation } from '../store/organisations';
import { insertWaitingJob, MAPPING_MISSING, setJobSource } from '../store/waiting-jobs';
import type { ServiceDeps } from './deps';
import type { RestoreRecord } from './restore';
import { buildFromSource, paymentCountOf, referenceWithKey, waitingReason, withDocumentKey, type JobSource, type MissingName } from './waiting-documents';

export { referenceWithKey };

/** One job as the 202 lists it; a job waiting for mappings says so, with every name it lacks. */
export interface AcceptedJob {
  id: string;
  kind: JobKind;
  documentKey: string;
  status: string;
  duplicateOf?: string;
  cause?: typeof MAPPING_MISSING;
  heldReason?: string;
  missing?: MissingName[];
}

/** What the API answers for an accepted write; stored with the submission for Idempotency-Key replays. */
export interface SubmitAnswer {
  status: 202;
  body: { submissionId: string; jobs: AcceptedJob[] };
}

export interface SubmitInput {
  body: DocumentBody;
  /** The `Idempotency-Key` header, if sent. */
  idempotencyKey: string | undefined;
  /** Method and path, part of what a key is bound to. */
  route: string;
}

/** The documents an endpoint accepts, each handled by a planner. */
export type Endpoint = 'invoices' | 'credit-notes' | 'payments' | 'pos-shift' | 'timesheets' | 'wage-bill';

/**
 * One job to create: its key, what to send (or what the app sent, when the payload depends on
 * mappings and is built in the transaction), and (for payments) the job it waits for.
 */
type Planned = {
  kind: JobKind;
  identity: string;
  /** Other identities the same document had (a timesheet first keyed by its staff number). */
  aliases?: readonly string[];
  /** Index into the same plan of the job this one waits for, or the id of an earlier job. */
  dependsOn?: { planIndex: number } | { jobId: string };
  /** The app's own id for the document (DocumentId, shiftId), and the document as parsed, whose hash tells a resend from a change. */
  origin?: { documentId: string; document: unknown };
} & ({ payload: Record<string, unknown> } | { source: JobSource });

interface PlanContext {
  deps: ServiceDeps;
  device: Device;
  organisationId: string;
  /** The Idempotency-Key (or a fresh id) that documents without a DocumentId are keyed by. */
  identityBase: string;
}

/** What an Idempotency-Key may be: 1 to 255 printable ASCII characters. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The stable key of one document, written into a field Xero stores (its Reference), so that an
 * unknown send can be settled by looking it up. It derives from the device and the app's own
 * id for the document, or else the Idempotency-Key and the document's place in the request.
 */
export function documentKey(deviceRowId: string, kind: JobKind, identity: string): string {
  const digest = createHash('sha256').update(`${deviceRowId}|${kind}|${identity}`).digest();
  // 60 bits in Crockford base32 letters: short enough for a Reference, far from any collision.
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let out = '';
  for (let i = 0; i < 12; i++) out += alphabet[digest[i]! & 31];
  return `XP-${out}`;
}

/**
 * Accepts documents from a device: validates the whole body, then in ONE transaction stores the
 * submission (with its answer) and a job per Xero document, so the 202 is only sent once the work
 * is durable. The same Idempotency-Key and body gets the first answer and creates nothing; the
 * same key with another body is refused (422). A document this device already sent (same
 * DocumentId or shiftId) with the same content is not queued again (`duplicateOf`); with other
 * content the whole request is refused (409 `document_changed`, naming the earlier job) and
 * nothing is stored, so the app knows its correction did not go.
 */
export function submit(deps: ServiceDeps, device: Device, endpoint: Endpoint, input: SubmitInput): SubmitAnswer {
  if (input.idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(input.idempotencyKey)) {
    throw new AppError('invalid', 'Idempotency-Key: must be 1 to 255 printable ASCII characters.', { field: 'Idempotency-Key' });
  }
  const requestHash = createHash('sha256').update(input.route).update('\0').update(input.body.contentType ?? '').update('\0').update(input.body.bytes).digest('hex');
  const replay = input.idempotencyKey ? findSubmission(deps, device.id, input.idempotencyKey, requestHash) : undefined;
  if (replay) return replay;
  if (!device.organisationId) throw new AppError('conflict', 'This device is not linked to an organisation; pair it again.');
  const organisation = findOrganisation(deps.db, device.organisationId);
  if (!organisation || organisation.linkState === 'disconnected') throw new AppError('conflict', "This device's organisation was disconnected; it must be linked again before documents are accepted.");
  const submissionId = newId('sub');
  // Soon after a restore, a document the app sends again may have reached Xero through the proxy
  // that made the backup, after it was made: looked up there before its first send, like any other.
  const lookUpFirst = restoredRecently(deps);
  const context: PlanContext = { deps, device, organisationId: organisation.id, identityBase: input.idempotencyKey ?? `${submissionId}:${randomBase32(4)}` };

  return deps.db
    .transaction((): SubmitAnswer => {
      // Checked again under the write lock: of two identical requests racing, the second replays.
      const raced = input.idempotencyKey ? findSubmission(deps, device.id, input.idempotencyKey, requestHash) : undefined;
      if (raced) return raced;
      // Planned under the write lock too: the mappings read are those of this moment, so a mapping
      // saved meanwhile either builds the document here or releases it when it commits.
      const planned = PLANNERS[endpoint](context, input.body);
      const answer: SubmitAnswer = { status: 202, body: { submissionId, jobs: [] } };
      deps.db
        .prepare('INSERT INTO submissions (id, device_id, idempotency_key, request_hash, status_code, response, created_at, request_body, request_content_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(submissionId, device.id, input.idempotencyKey ?? null, requestHash, 202, '{}', deps.clock.now().toISOString(), Buffer.from(input.body.bytes).toString('utf8'), input.body.contentType ?? null);
      const ids: string[] = [];
      const corrected: string[] = [];
      for (const item of planned) {
        const key = documentKey(device.id, item.kind, item.identity);
        const existing = [item.identity, ...(item.aliases ?? [])].map((identity) => findJobByDocumentKey(deps.db, organisation.id, item.kind, documentKey(device.id, item.kind, identity))).find((job) => job !== undefined);
        const contentHash = item.origin ? contentHashOf(item.origin.document) : null;
        if (existing && item.origin && existing.contentHash !== null && existing.contentHash !== contentHash) {
          // A document Xero refused, or one held for its lock date before any call, is corrected in place (same key, queued again below): Xero
          // holds nothing of it, and a correction under a new DocumentId would leave the refused
          // one to be retried beside it. Anything that may be in Xero stays as it is: 409.
          const built = (existing.status === 'failed' || (existing.status === 'held' && existing.cause === 'lock_date')) && !existing.outcomeUnknown ? ('payload' in item ? { payload: item.payload } : buildFromSource(deps.db, organisation.id, item.source)) : undefined;
          const source = 'source' in item ? (item.source as unknown as Record<string, unknown>) : null;
          if (!built || !('payload' in built) || !replaceRefusedContent(deps.db, deps.clock, existing.id, { payload: withDocumentKey(item.kind, built.payload, existing.documentKey), contentHash, source })) {
            // Thrown inside the transaction, so the submission row and any job before it roll back.
            throw documentChanged(item.origin.documentId, existing.id);
          }
          corrected.push(existing.id);
          ids.push(existing.id);
          answer.body.jobs.push({ id: existing.id, kind: item.kind, documentKey: existing.documentKey, status: 'queued' });
          continue;
        }
        if (existing) {
          ids.push(existing.id);
          answer.body.jobs.push({ id: existing.id, kind: item.kind, documentKey: existing.documentKey, status: existing.status, duplicateOf: existing.id });
          continue;
        }
        const id = newId('job');
        const dependsOn = item.dependsOn === undefined ? null : 'jobId' in item.dependsOn ? item.dependsOn.jobId : ids[item.dependsOn.planIndex]!;
        const built = 'payload' in item ? { payload: item.payload } : buildFromSource(deps.db, organisation.id, item.source);
        const row = { id, submissionId, organisationId: organisation.id, deviceId: device.id, kind: item.kind, documentKey: key, dependsOn, documentId: item.origin?.documentId ?? null, contentHash, outcomeUnknown: lookUpFirst };
        ids.push(id);
        if ('missing' in built) {
          // Accepted and kept, not refused: it waits for the mapping, and goes when it is saved.
          const heldReason = waitingReason(built.missing);
          insertWaitingJob(deps.db, deps.clock, { ...row, source: (item as { source: JobSource }).source as unknown as Record<string, unknown>, causeDetail: { missing: built.missing }, heldReason });
          answer.body.jobs.push({ id, kind: item.kind, documentKey: key, status: 'held', cause: MAPPING_MISSING, heldReason, missing: built.missing });
          continue;
        }
        insertJob(deps.db, deps.clock, { ...row, payload: withDocumentKey(item.kind, built.payload, key) });
        if ('source' in item) setJobSource(deps.db, id, item.source as unknown as Record<string, unknown>);
        answer.body.jobs.push({ id, kind: item.kind, documentKey: key, status: 'queued' });
      }
      // Queued again only once every part is corrected: a shift's payments wait for its invoice.
      for (const id of corrected) requeueJob(deps.db, deps.clock, id, { note: 'Corrected by the app (the same DocumentId with new content) after Xero refused it.' });
      deps.db.prepare('UPDATE submissions SET response = ? WHERE id = ?').run(JSON.stringify(answer.body), submissionId);
      return answer;
    })
    .immediate();
}

/** Whether the database was restored from a backup less than `api.idempotency_key_days` ago (the restore says until when). */
export function restoredRecently(deps: ServiceDeps): boolean {
  const restored = findSetting(deps.db, SETTING.restoredFrom);
  return restored !== undefined && deps.clock.now().toISOString() < (JSON.parse(restored) as RestoreRecord).lookUpNewUntil;
}

const identityOf = (context: PlanContext, documentId: string | undefined, index: number, prefix = 'doc') => (documentId !== undefined ? `${prefix}:${documentId}` : `${context.identityBase}#${index}`);

const PLANNERS: Record<Endpoint, (context: PlanContext, body: DocumentBody) => Planned[]> = {
  invoices: (context, body) =>
    parseDocument('invoices', body).Invoices.map((invoice: Invoice, index) => ({
      kind: 'invoice',
      identity: identityOf(context, invoice.DocumentId, index),
      payload: invoiceToXero(invoice) as unknown as Record<string, unknown>,
      ...originOf(invoice.DocumentId, invoice),
    })),
  // A credit note, then its allocation and its refund, each waiting for the credit note.
  'credit-notes': (context, body) => parseDocument('credit-notes', body).CreditNotes.reduce<Planned[]>((plan, note, index) => [...plan, ...planCreditNote(context, note, index, plan.length)], []),
  payments: (context, body) => parseDocument('payments', body).Payments.map((payment: Payment, index) => planPayment(context, payment, index)),
  // A shift is its summary invoice, then a payment per tender that pays it once Xero has it;
  // all are built from the shift with the mappings of the moment, or wait for those missing.
  'pos-shift': (context, body) => {
    const shift = parseDocument('pos-shift', body);
    const invoiceIdentity = `shift:${shift.shiftId}`;
    // The summary invoice and its payments all carry the shift's id and the whole shift's hash.
    const origin = originOf(shift.shiftId, shift);
    const payments = Array.from({ length: paymentCountOf(shift) }, (_, index): Planned => ({
      kind: 'payment',
      identity: `${invoiceIdentity}:tender:${index}`,
      source: { endpoint: 'pos-shift', document: shift, part: { payment: index } },
      dependsOn: { planIndex: 0 },
      ...origin,
    }));
    // A day whose takings are negative is a credit note, its refunds waiting for it; the part stays 'invoice', the summary document.
    const invoice: Planned = { kind: shiftDirection(shift), identity: invoiceIdentity, source: { endpoint: 'pos-shift', document: shift, part: 'invoice' }, ...origin };
    // An unbalanced shift is refused now, whatever its mappings: no mapping would mend it.
    buildFromSource(context.deps.db, context.organisationId, invoice.source);
    return [invoice, ...payments];
  },
  // Xero keeps one timesheet per employee and period, so that pair is the timesheet's identity:
  // the same period sent again is the same document, never a second one. A staff number with no
  // employee mapped yet keys it by the staff number, which stays an alias once it is mapped.
  timesheets: (context, body) =>
    parseDocument('timesheets', body).Timesheets.map((timesheet, index): Planned => {
      const { timesheet: converted } = planTimesheet(timesheet, payrollMappingsOf(context.deps.db, context.organisationId));
      const start = converted.StartDate.slice(0, 10);
      const byStaff = timesheet.staffNumber === undefined || timesheet.EmployeeID !== undefined ? [] : [`timesheet:staff:${timesheet.staffNumber.trim().toLowerCase()}:${start}`];
      const identity = converted.EmployeeID !== '' ? `timesheet:${converted.EmployeeID.toLowerCase()}:${start}` : byStaff[0]!;
      return { kind: 'timesheet', identity, aliases: byStaff.filter((alias) => alias !== identity), source: { endpoint: 'timesheets', document: timesheet, index } };
    }),
  'wage-bill': (context, body) => {
    const bill = parseDocument('wage-bill', body);
    return [{ kind: 'invoice', identity: identityOf(context, bill.documentId, 0, 'wages'), source: { endpoint: 'wage-bill', document: bill }, ...originOf(bill.documentId, bill) }];
  },
};

function planPayment(context: PlanContext, payment: Payment, index: number): Planned {
  const byDocument = payment.Invoice.DocumentId;
  const identity = identityOf(context, payment.DocumentId, index);
  const origin = originOf(payment.DocumentId, payment);
  // A payment naming a third-party payer is built from the payer's mapping, or waits for it.
  const planned: Planned = payment.Payer !== undefined
    ? { kind: 'payment', identity, source: { endpoint: 'payments', document: payment, index }, ...origin }
    : { kind: 'payment', identity, payload: paymentToXero(payment, () => 'pending') as unknown as Record<string, unknown>, ...origin };
  if (byDocument === undefined) return planned;
  const invoiceJob = findJobByDocumentKey(context.deps.db, context.organisationId, 'invoice', documentKey(context.device.id, 'invoice', `doc:${byDocument}`));
  if (!invoiceJob) {
    throw new AppError('invalid', `Payments[${index}].Invoice.DocumentId: this device sent no invoice with DocumentId "${byDocument}".`, { field: `Payments[${index}].Invoice.DocumentId` });
  }
  // An invoice named by DocumentId is filled in by the delivery loop once Xero has given it an id.
  return { ...planned, ...('payload' in planned ? { payload: { ...planned.payload, Invoice: {} } } : {}), dependsOn: { jobId: invoiceJob.id } };
}

/**
 * A credit note's jobs, the first at `at` in the plan: the credit note, an allocation that waits
 * for it, and a refund (a payment) that waits for it too. An allocation to an invoice named by the
 * app's DocumentId makes the credit note wait for that invoice's job as well, so the allocation,
 * waiting on the credit note, goes only once both are in Xero.
 */
function planCreditNote(context: PlanContext, note: CreditNote, index: number, at: number): Planned[] {
  const identity = identityOf(context, note.DocumentId, index);
  const origin = originOf(note.DocumentId, note);
  const byDocument = note.Allocation?.Invoice.DocumentId;
  let waitsFor: Planned['dependsOn'];
  if (byDocument !== undefined) {
    const invoiceJob = findJobByDocumentKey(context.deps.db, context.organisationId, 'invoice', documentKey(context.device.id, 'invoice', `doc:${byDocument}`));
    const field = `CreditNotes[${index}].Allocation.Invoice.DocumentId`;
    if (!invoiceJob) throw new AppError('invalid', `${field}: this device sent no invoice with DocumentId "${byDocument}".`, { field });
    waitsFor = { jobId: invoiceJob.id };
  }
  const plan: Planned[] = [{ kind: 'credit_note', identity, payload: creditNoteToXero(note) as unknown as Record<string, unknown>, ...(waitsFor ? { dependsOn: waitsFor } : {}), ...origin }];
  if (note.Allocation) plan.push({ kind: 'allocation', identity: `${identity}:allocation`, payload: allocationToXero(note.Allocation, note.Date) as unknown as Record<string, unknown>, dependsOn: { planIndex: at }, ...origin });
  if (note.Refund) plan.push({ kind: 'payment', identity: `${identity}:refund`, payload: refundToXero(note.Refund) as unknown as Record<string, unknown>, dependsOn: { planIndex: at }, ...origin });
  return plan;
}

/** The stored answer to a request already accepted under this Idempotency-Key; 422 when the key was used for another request. */
export function findSubmission(deps: ServiceDeps, deviceRowId: string, key: string, requestHash: string): SubmitAnswer | undefined {
  const row = deps.db.prepare('SELECT request_hash, response FROM submissions WHERE device_id = ? AND idempotency_key = ?').get(deviceRowId, key) as
    | { request_hash: string; response: string }
    | undefined;
  if (!row) return undefined;
  if (row.request_hash !== requestHash) {
    throw new AppError('unprocessable', 'Idempotency-Key: this key was already used with a different request; use a new key for a new request.', { field: 'Idempotency-Key' });
  }
  return { status: 202, body: JSON.parse(row.response) as SubmitAnswer['body'] };
}

const originOf = (documentId: string | undefined, document: unknown): Pick<Planned, 'origin'> => (documentId === undefined ? {} : { origin: { documentId, document } });

/**
 * The hash that tells a resend from a changed document: SHA-256 of the document as parsed
 * (JSON or XML alike), written as canonical JSON, keys sorted at every level. Whitespace, key
 * order and the body's format do not count; any value that would reach Xero differently does.
 */
export function contentHashOf(document: unknown): string {
  return createHash('sha256').update(canonicalJson(document)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  // XML text is read trimmed; JSON strings are trimmed here too, so the same document sent in
  // either format has one hash.
  return JSON.stringify(typeof value === 'string' ? value.trim() : value) ?? 'null';
}

function documentChanged(documentId: string, earlierJobId: string): AppError {
  return new AppError(
    'document_changed',
    `The document "${documentId}" was already sent with other content (job ${earlierJobId}); this request was not stored, and the earlier document stands.`,
    {
      field: 'DocumentId',
      details: [{ field: 'DocumentId', message: `already used by job ${earlierJobId} with other content` }],
      hint: 'The earlier document may already be in Xero. To change it, void or credit it in Xero and send the correction under a new DocumentId; a document Xero refused is corrected by sending it again under its own DocumentId.',
    },
  );
}
