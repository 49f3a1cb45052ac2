import { CAUSES, isCauseCode, type Cause } from '../domain/attention/causes';
import { JOB_KINDS, JOB_STATUSES } from '../domain/documents/openapi-schemas';
import { xeroCreditNoteLink, xeroInvoiceLink } from '../domain/xero/web-links';
import { AppError } from '../lib/errors';
import { elementFor } from '../queue/kinds';
import { countDevices, findDeviceByDeviceId, findDevicesById, listDevices, type Device } from '../store/devices';
import { attachmentsOf, findAttachment } from '../store/attachments';
import { attemptsOf, type JobAttempt } from '../store/job-attempts';
import { causesInUse, requestOfJob, searchJobs, type JobSearch } from '../store/job-search';
import { cancelJob, findJob, requeueJob, type Job, type JobKind, type JobStatus } from '../store/jobs';
import { findOrganisation, listOrganisations } from '../store/organisations';
import { recordAudit, type Acting } from './audit';
import type { ServiceDeps } from './deps';
import { rebuildWithCurrentMappings } from './waiting-documents';

/** What a person may narrow the documents list by, as typed (query string or CLI options). */
export interface DocumentFilter {
  status?: string;
  cause?: string;
  kind?: string;
  /** The device's own id (e.g. POS-1). */
  device?: string;
  /** The organisation's row id. */
  organisation?: string;
  /** Days, YYYY-MM-DD, UTC, both included. */
  from?: string;
  to?: string;
  /** Reference, InvoiceNumber, DocumentId or shiftId, Xero's id, the job id or document key. */
  q?: string;
  /** The cursor of the page's last row, from `DocumentList.next`. */
  after?: string;
  limit?: number;
}

/** One row of the documents list. */
export interface DocumentSummary {
  id: string;
  kind: JobKind;
  /** A payment that pays a credit note back (Xero's ARCREDITPAYMENT) rather than an invoice. */
  refund: boolean;
  status: JobStatus;
  cause: Cause | undefined;
  organisationId: string;
  organisationName: string;
  /** The device's own id, as the app knows it. */
  deviceId: string;
  deviceName: string;
  /** The app's own Reference, without the key the proxy adds. */
  reference: string | null;
  documentId: string | null;
  documentKey: string;
  xeroId: string | null;
  xeroNumber: string | null;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  /** What became of it, in a few words: Xero's number, its words, or why it waits. */
  outcome: string;
}

/** A page of the documents list: rows, how many match in all, and the cursor of the next (older) page. */
export interface DocumentList {
  documents: DocumentSummary[];
  total: number;
  next: string | undefined;
}

/** One document in full, for its page and `jobs show`. */
export interface DocumentDetail {
  summary: DocumentSummary;
  job: Job;
  attempts: JobAttempt[];
  /** The request as the app sent it, when it was kept. */
  sent: { body: string; contentType: string | null; receivedAt: string } | undefined;
  /** The element as the proxy sends it to Xero (with the document key, and a payment's InvoiceID once known). */
  toXero: Record<string, unknown>;
  /** Opens the document (a payment: its invoice) in Xero, once Xero has it. */
  xeroLink: string | undefined;
  canRetry: boolean;
  canCancel: boolean;
  /** `storage.retention_days`: after how long a delivered document's content is erased (0: never). */
  retentionDays: number;
  /** The files for this document (an invoice's attachments), or for an attachment its own file. */
  attachments: DocumentAttachment[];
  /** For an attachment: the document it is for, when this proxy sends that document. */
  attachedTo: { id: string; name: string } | undefined;
}

/** One file for a document and what became of it. */
export interface DocumentAttachment {
  jobId: string;
  fileName: string;
  mimeType: string;
  byteLength: number;
  includeOnline: boolean;
  status: JobStatus;
  /** Xero's AttachmentID once delivered. */
  xeroId: string | null;
  /** Why it is not delivered, in Xero's or the proxy's words. */
  problem: string | undefined;
  contentErased: boolean;
}

/** Xero's endpoint for the files of a kind of document this proxy sends. */
const ATTACHMENT_ENDPOINT: Partial<Record<string, string>> = { invoice: 'Invoices', credit_note: 'CreditNotes' };

const RETRYABLE: readonly JobStatus[] = ['dead', 'failed', 'held'];
const CANCELLABLE: readonly JobStatus[] = ['queued', 'held', 'dead', 'failed'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The documents matching a filter, newest first, a page at a time. */
export function searchDocuments(deps: ServiceDeps, filter: DocumentFilter): DocumentList {
  const limit = filter.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new AppError('invalid', 'limit: must be a whole number from 1 to 10000.', { field: 'limit' });
  const search: JobSearch = { limit: limit + 1 };
  if (filter.status) {
    if (!(JOB_STATUSES as readonly string[]).includes(filter.status)) throw new AppError('invalid', `status: must be one of ${JOB_STATUSES.join(', ')}.`, { field: 'status' });
    search.status = filter.status as JobStatus;
  }
  if (filter.kind) {
    if (!(JOB_KINDS as readonly string[]).includes(filter.kind)) throw new AppError('invalid', `kind: must be one of ${JOB_KINDS.join(', ')}.`, { field: 'kind' });
    search.kind = filter.kind as JobKind;
  }
  if (filter.cause) {
    if (!isCauseCode(filter.cause)) throw new AppError('invalid', 'cause: not one of the causes the proxy knows.', { field: 'cause' });
    search.cause = filter.cause;
  }
  if (filter.device) {
    const device = findDeviceByDeviceId(deps.db, filter.device);
    if (!device) throw new AppError('invalid', `device: there is no device "${filter.device}".`, { field: 'device' });
    search.deviceId = device.id;
  }
  if (filter.organisation) {
    if (!findOrganisation(deps.db, filter.organisation)) throw new AppError('invalid', 'organisation: there is no such organisation.', { field: 'organisation' });
    search.organisationId = filter.organisation;
  }
  if (filter.from) search.from = dayStart(filter.from, 'from', 0);
  if (filter.to) search.to = dayStart(filter.to, 'to', 1);
  if (search.from && search.to && search.from >= search.to) throw new AppError('invalid', 'to: must be the same day as "from" or later.', { field: 'to' });
  const text = filter.q?.trim();
  if (text) {
    if (text.length > 200) throw new AppError('invalid', 'q: search for at most 200 characters.', { field: 'q' });
    search.text = text;
  }
  if (filter.after) search.before = parseCursor(filter.after);

  const { rows, total } = searchJobs(deps.db, search);
  const page = rows.slice(0, limit);
  const names = lookups(deps, page.map(({ job }) => job));
  const last = page.at(-1);
  return { documents: page.map(({ job }) => summarise(job, names)), total, next: rows.length > limit && last ? `${last.job.createdAt}~${last.seq}` : undefined };
}

/** The most devices the list's filter offers to pick from. */
export const DEVICES_TO_PICK_AT_MOST = 300;

/** What the list's filters offer: the organisations, devices (undefined when too many to pick from) and causes there are. */
export function documentFilterChoices(deps: ServiceDeps): { organisations: Array<{ id: string; name: string }>; devices: Array<{ deviceId: string; name: string }> | undefined; causes: Cause[] } {
  return {
    organisations: listOrganisations(deps.db).map(({ id, name }) => ({ id, name })),
    // Beyond a few hundred, a list to pick from is no help (and ten thousand are most of the page): the device's id is typed instead.
    devices: countDevices(deps.db) > DEVICES_TO_PICK_AT_MOST ? undefined : listDevices(deps.db).map(({ deviceId, name }) => ({ deviceId, name })),
    causes: causesInUse(deps.db).filter(isCauseCode).map((code) => CAUSES[code]),
  };
}

/** One document in full: what the app sent, what goes to Xero, every attempt; `not_found` if there is none. */
export function documentDetail(deps: ServiceDeps, jobId: string): DocumentDetail {
  const job = getJob(deps, jobId);
  const dependency = job.dependsOn ? findJob(deps.db, job.dependsOn) : undefined;
  return {
    summary: summarise(job, lookups(deps, [job])),
    job,
    attempts: attemptsOf(deps.db, job.id),
    sent: requestOfJob(deps.db, job.id),
    // A timesheet goes as it is; an attachment's payload is what the upload says of its file.
    toXero: job.kind === 'timesheet' || job.kind === 'attachment' ? job.payload : elementFor(job, dependency),
    xeroLink: xeroLinkOf(job, dependency),
    // Documents held for a mapping or a relink go by themselves once that is done.
    canRetry: RETRYABLE.includes(job.status) && !(job.status === 'held' && (job.cause === 'mapping_missing' || job.cause === 'relink_needed')),
    canCancel: CANCELLABLE.includes(job.status),
    retentionDays: deps.config.storage.retentionDays,
    attachments: attachmentsOfJob(deps, job),
    attachedTo: job.kind === 'attachment' && dependency ? { id: dependency.id, name: dependency.documentId ?? appReference(dependency) ?? dependency.documentKey } : undefined,
  };
}

/** The files sent for a document (by its job, or at Xero by its id), or an attachment's own file. */
function attachmentsOfJob(deps: ServiceDeps, job: Job): DocumentAttachment[] {
  const endpoint = ATTACHMENT_ENDPOINT[job.kind];
  const rows =
    job.kind === 'attachment'
      ? [findAttachment(deps.db, job.id)].filter((file) => file !== undefined).map((file) => ({ ...file, status: job.status, xeroId: job.xeroId, lastError: job.lastError, errors: job.errors === null ? null : JSON.stringify(job.errors) }))
      : endpoint
        ? [...attachmentsOf(deps.db, `job:${job.id}`), ...(job.xeroId ? attachmentsOf(deps.db, `${endpoint}/${job.xeroId.toLowerCase()}`) : [])]
        : [];
  return rows.map((row) => ({
    jobId: row.jobId,
    fileName: row.fileName,
    mimeType: row.mimeType,
    byteLength: row.byteLength,
    includeOnline: row.includeOnline,
    status: row.status as JobStatus,
    xeroId: row.xeroId,
    problem: row.status === 'delivered' ? undefined : ((row.errors ? (JSON.parse(row.errors) as string[]).join(' ') : null) ?? row.lastError ?? undefined),
    contentErased: row.contentErasedAt !== null,
  }));
}

/**
 * Queues a dead, failed or held document again with a fresh count of attempts (the console's
 * "Retry now", `jobs retry`). Says whether its last send may have reached Xero (it is then looked
 * up there first).
 */
export function retryNow(deps: ServiceDeps & Acting, jobId: string): { job: Job; lookedUpFirst: boolean } {
  const job = getJob(deps, jobId);
  // Nothing can be sent before its mapping exists; saving the mapping releases it by itself.
  if (job.status === 'held' && job.cause === 'mapping_missing') {
    throw new AppError('conflict', `Job ${job.id} waits for a mapping, so there is nothing to send yet. ${job.heldReason ?? ''}`.trim(), { hint: 'Save the mapping (on the mappings page, or `xero-proxy map set …`); the job is then sent by itself.' });
  }
  // Built again with the mappings of now, so a corrected mapping is what goes.
  const queued = deps.db.transaction(() => {
    if (job.status === 'failed' || job.status === 'dead' || job.status === 'held') rebuildWithCurrentMappings(deps.db, deps.clock, job);
    const requeued = requeueJob(deps.db, deps.clock, job.id);
    if (requeued) recordAudit(deps, { actor: deps.actor, action: 'document.retried', subject: job.id, changes: { kind: job.kind, status: { from: job.status, to: 'queued' }, lookedUpFirst: job.outcomeUnknown } });
    return requeued;
  }).immediate();
  if (!queued) throw new AppError('conflict', `Job ${job.id} is ${job.status}; only dead, failed or held jobs can be retried.`);
  deps.logger.info('document queued again by the administrator', { job: job.id });
  return { job: findJob(deps.db, job.id)!, lookedUpFirst: job.outcomeUnknown };
}

/** Cancels a document that has not been delivered, recording the person's reason; it is never sent. */
export function cancelDocument(deps: ServiceDeps & Acting, jobId: string, reason: string): Job {
  const why = reason.trim();
  if (why === '') throw new AppError('invalid', 'Reason: say why the document is cancelled; it is kept with the document.', { field: 'reason' });
  if (why.length > 500) throw new AppError('invalid', 'Reason: at most 500 characters.', { field: 'reason' });
  const job = getJob(deps, jobId);
  const cancelled = deps.db.transaction(() => {
    const done = cancelJob(deps.db, deps.clock, job.id, why);
    if (done) recordAudit(deps, { actor: deps.actor, action: 'document.cancelled', subject: job.id, changes: { kind: job.kind, status: { from: job.status, to: 'cancelled' }, reason: why } });
    return done;
  }).immediate();
  if (!cancelled) {
    throw new AppError('conflict', `Job ${job.id} is ${job.status}; only queued, held, failed or dead jobs can be cancelled.`, {
      ...(job.status === 'sending' ? { hint: 'It is being sent right now; look again in a minute.' } : {}),
    });
  }
  deps.logger.info('document cancelled by the administrator', { job: job.id, reason: why });
  return findJob(deps.db, job.id)!;
}

function getJob(deps: ServiceDeps, id: string): Job {
  const job = findJob(deps.db, id);
  if (!job) throw new AppError('not_found', `There is no job ${id}.`, { hint: 'List jobs with `xero-proxy jobs list`, or search on the documents page.' });
  return job;
}

function dayStart(text: string, field: string, plusDays: number): string {
  const ms = DAY.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(ms)) throw new AppError('invalid', `${field}: must be a date written YYYY-MM-DD, e.g. 2026-11-28.`, { field });
  return new Date(ms + plusDays * 86_400_000).toISOString();
}

function parseCursor(text: string): { createdAt: string; seq: number } {
  const [createdAt, seq, extra] = text.split('~');
  if (!createdAt || !seq || !/^\d{1,15}$/.test(seq) || extra !== undefined || Number.isNaN(Date.parse(createdAt))) {
    throw new AppError('invalid', 'after: not a page of this list; start again from the first page.', { field: 'after' });
  }
  return { createdAt, seq: Number(seq) };
}

interface Names {
  organisations: Map<string, string>;
  devices: Map<string, Device>;
}

// Only the devices the jobs name: with ten thousand devices, reading them all was most of the page.
const lookups = (deps: ServiceDeps, jobs: readonly Job[]): Names => ({
  organisations: new Map(listOrganisations(deps.db).map((org) => [org.id, org.name])),
  devices: findDevicesById(deps.db, jobs.map((job) => job.deviceId)),
});

function summarise(job: Job, names: Names): DocumentSummary {
  const device = names.devices.get(job.deviceId);
  return {
    id: job.id,
    kind: job.kind,
    refund: job.kind === 'payment' && job.payload['CreditNote'] !== undefined,
    status: job.status,
    cause: isCauseCode(job.cause) ? CAUSES[job.cause] : undefined,
    organisationId: job.organisationId,
    organisationName: names.organisations.get(job.organisationId) ?? job.organisationId,
    deviceId: device?.deviceId ?? job.deviceId,
    deviceName: device?.name ?? job.deviceId,
    reference: appReference(job),
    documentId: job.documentId,
    documentKey: job.documentKey,
    xeroId: job.xeroId,
    xeroNumber: job.xeroNumber,
    attempts: job.attempts,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    outcome: outcomeOf(job),
  };
}

/** What became of a job, in a few words. */
function outcomeOf(job: Job): string {
  switch (job.status) {
    case 'delivered':
      return job.xeroNumber ?? job.xeroId ?? '';
    case 'failed':
      return (job.errors ?? []).join(' ');
    case 'cancelled':
      return job.cancelReason ?? '';
    case 'queued':
      return job.heldReason ?? (job.lastError ? `${job.lastError} Tried again from ${job.notBefore}.` : `due ${job.notBefore}`);
    default:
      return job.heldReason ?? job.lastError ?? '';
  }
}

// The accept path writes "<app's Reference> [XP-…]"; the person knows the app's part.
function appReference(job: Job): string | null {
  // A file is known by its name.
  if (job.kind === 'attachment') return typeof job.payload['FileName'] === 'string' ? job.payload['FileName'] : null;
  const reference = job.payload['Reference'];
  if (typeof reference !== 'string') return null;
  const own = reference.replace(`[${job.documentKey}]`, '').trim();
  return own === '' ? null : own;
}

/**
 * The document in Xero's web app: an invoice or bill by its InvoiceID, a credit note by its
 * CreditNoteID; a payment opens the invoice it pays, a refund or allocation the credit note.
 */
function xeroLinkOf(job: Job, dependency: Job | undefined): string | undefined {
  if (job.kind === 'invoice' && job.xeroId) return xeroInvoiceLink(job.payload['Type'], job.xeroId);
  // A file opens the invoice it is attached to.
  if (job.kind === 'attachment' && job.payload['Endpoint'] === 'Invoices') {
    const invoiceId = typeof job.payload['XeroId'] === 'string' ? job.payload['XeroId'] : (dependency?.xeroId ?? undefined);
    return invoiceId ? xeroInvoiceLink(dependency?.payload['Type'] ?? 'ACCREC', invoiceId) : undefined;
  }
  if (job.kind === 'credit_note' && job.xeroId) return xeroCreditNoteLink(job.payload['Type'], job.xeroId);
  if (dependency?.kind === 'credit_note' && dependency.xeroId && job.status === 'delivered') return xeroCreditNoteLink(dependency.payload['Type'], dependency.xeroId);
  if (job.kind !== 'payment' || job.status !== 'delivered') return undefined;
  const invoice = (job.result?.['Invoice'] ?? job.payload['Invoice']) as Record<string, unknown> | undefined;
  const invoiceId = typeof invoice?.['InvoiceID'] === 'string' ? invoice['InvoiceID'] : (dependency?.xeroId ?? undefined);
  const type = invoice?.['Type'] ?? dependency?.payload['Type'] ?? 'ACCREC';
  return invoiceId ? xeroInvoiceLink(type, invoiceId) : undefined;
}

