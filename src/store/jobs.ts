import { classifyProblemText, classifyRefusal, type CauseDetail, type Classified } from '../domain/attention/classify';
import { isCauseCode, type CauseCode } from '../domain/attention/causes';
import type { Clock } from '../lib/clock';
import type { Db } from './db';
import { statement } from './statements';
import { recordAttempt, type AttemptNote } from './job-attempts';

export type JobKind = 'invoice' | 'payment' | 'timesheet' | 'credit_note' | 'allocation' | 'attachment';
export type JobStatus = 'queued' | 'sending' | 'delivered' | 'failed' | 'held' | 'dead' | 'cancelled';

/** A document on its way to Xero, and what became of it. */
export interface Job {
  id: string;
  submissionId: string;
  organisationId: string;
  deviceId: string;
  kind: JobKind;
  documentKey: string;
  /** The element to send, in Xero's JSON shape. */
  payload: Record<string, unknown>;
  dependsOn: string | null;
  status: JobStatus;
  heldReason: string | null;
  attempts: number;
  notBefore: string;
  leaseUntil: string | null;
  /** The last send may have reached Xero: look the document up before sending it again. */
  outcomeUnknown: boolean;
  xeroId: string | null;
  xeroNumber: string | null;
  result: Record<string, unknown> | null;
  errors: string[] | null;
  lastError: string | null;
  /** Why it waits for a person or did not reach Xero (a code of src/domain/attention/causes.ts); null while nothing is wrong. */
  cause: CauseCode | null;
  causeDetail: CauseDetail | null;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
  /** The app's own id for the document (its DocumentId, or the shift's shiftId), if it sent one. */
  documentId: string | null;
  /** SHA-256 of the document's canonical JSON, to tell a resend from a changed document. */
  contentHash: string | null;
  /** Why a person cancelled it. */
  cancelReason: string | null;
  /** When its content (payload, what the app sent, Xero's answer) was erased after storage.retention_days. */
  contentErasedAt: string | null;
}

interface JobRow {
  id: string;
  submission_id: string;
  organisation_id: string;
  device_id: string;
  kind: JobKind;
  document_key: string;
  payload: string;
  depends_on: string | null;
  status: JobStatus;
  held_reason: string | null;
  attempts: number;
  not_before: string;
  lease_until: string | null;
  outcome_unknown: number;
  xero_id: string | null;
  xero_number: string | null;
  result: string | null;
  errors: string | null;
  last_error: string | null;
  cause: string | null;
  cause_detail: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
  document_id: string | null;
  content_hash: string | null;
  cancel_reason: string | null;
  content_erased_at: string | null;
}

const toJob = (row: JobRow): Job => ({
  id: row.id,
  submissionId: row.submission_id,
  organisationId: row.organisation_id,
  deviceId: row.device_id,
  kind: row.kind,
  documentKey: row.document_key,
  payload: JSON.parse(row.payload) as Record<string, unknown>,
  dependsOn: row.depends_on,
  status: row.status,
  heldReason: row.held_reason,
  attempts: row.attempts,
  notBefore: row.not_before,
  leaseUntil: row.lease_until,
  outcomeUnknown: row.outcome_unknown === 1,
  xeroId: row.xero_id,
  xeroNumber: row.xero_number,
  result: row.result === null ? null : (JSON.parse(row.result) as Record<string, unknown>),
  errors: row.errors === null ? null : (JSON.parse(row.errors) as string[]),
  lastError: row.last_error,
  cause: isCauseCode(row.cause) ? row.cause : row.cause === null ? null : 'unknown',
  causeDetail: row.cause_detail === null ? null : (JSON.parse(row.cause_detail) as CauseDetail),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  deliveredAt: row.delivered_at,
  documentId: row.document_id,
  contentHash: row.content_hash,
  cancelReason: row.cancel_reason,
  contentErasedAt: row.content_erased_at ?? null,
});

/** What the accept path decides about a job; the rest starts at its defaults. */
export type NewJob = Pick<Job, 'id' | 'submissionId' | 'organisationId' | 'deviceId' | 'kind' | 'documentKey' | 'payload' | 'dependsOn'> & Partial<Pick<Job, 'documentId' | 'contentHash' | 'outcomeUnknown'>>;

/** Adds a queued job; run inside the caller's transaction with its submission. */
export function insertJob(db: Db, clock: Clock, job: NewJob): void {
  const now = clock.now().toISOString();
  statement(
    db,
    `INSERT INTO jobs (id, submission_id, organisation_id, device_id, kind, document_key, payload, depends_on, status, not_before, created_at, updated_at, document_id, content_hash, outcome_unknown)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?)`,
  ).run(job.id, job.submissionId, job.organisationId, job.deviceId, job.kind, job.documentKey, JSON.stringify(job.payload), job.dependsOn, now, now, now, job.documentId ?? null, job.contentHash ?? null, job.outcomeUnknown ? 1 : 0);
}

export function findJob(db: Db, id: string): Job | undefined {
  const row = statement(db, 'SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
  return row ? toJob(row) : undefined;
}

/** The job with a document key in an organisation (the de-duplication key), if any. */
export function findJobByDocumentKey(db: Db, organisationId: string, kind: JobKind, documentKey: string): Job | undefined {
  const row = statement(db, 'SELECT * FROM jobs WHERE organisation_id = ? AND kind = ? AND document_key = ?').get(organisationId, kind, documentKey) as JobRow | undefined;
  return row ? toJob(row) : undefined;
}

/** A device's jobs, newest first, optionally by status, since a time and by the app's DocumentId. */
export function listJobs(db: Db, deviceId: string, filter: { status?: JobStatus; since?: string; documentId?: string; limit?: number } = {}): Job[] {
  // By DocumentId the partial index finds the few rows; otherwise the device's index does.
  const byDocument = filter.documentId !== undefined ? 'AND document_id = ?' : '';
  return (
    db
      .prepare(
        `SELECT * FROM jobs WHERE device_id = ? AND (? IS NULL OR status = ?) AND (? IS NULL OR updated_at >= ?) ${byDocument}
         ORDER BY created_at DESC, id LIMIT ?`,
      )
      .all(deviceId, filter.status ?? null, filter.status ?? null, filter.since ?? null, filter.since ?? null, ...(filter.documentId !== undefined ? [filter.documentId] : []), filter.limit ?? 100) as JobRow[]
  ).map(toJob);
}

/** Jobs of a submission, in the order they were accepted. */
export function jobsOfSubmission(db: Db, submissionId: string): Job[] {
  return (db.prepare('SELECT * FROM jobs WHERE submission_id = ? ORDER BY rowid').all(submissionId) as JobRow[]).map(toJob);
}

/** Organisations with work that may be sent now (queued and due, or a send whose lease ran out). */
export function organisationsWithReadyJobs(db: Db, clock: Clock): string[] {
  const now = clock.now().toISOString();
  // Two index seeks per organisation (jobs_ready), not a scan of every queued job: this runs
  // before each call the loop makes.
  return statement(
    db,
    `SELECT o.id FROM organisations o
     WHERE EXISTS (SELECT 1 FROM jobs WHERE status = 'queued' AND organisation_id = o.id AND not_before <= ?)
        OR EXISTS (SELECT 1 FROM jobs WHERE status = 'sending' AND organisation_id = o.id AND lease_until < ?)`,
  )
    .all(now, now)
    .map((row) => (row as { id: string }).id);
}

/** Which due jobs a claim takes: those to look up in Xero first (`unknown`), those safe to send (`known`), or both. */
export interface ClaimOptions {
  only?: 'unknown' | 'known';
}

/**
 * Claims up to `max` due jobs of one kind for one organisation under a lease, in acceptance
 * order, skipping jobs whose dependency (a payment's invoice) is not delivered. A send whose
 * lease ran out (the process died mid-send) is claimed again with its outcome marked unknown.
 */
export function claimJobs(db: Db, clock: Clock, organisationId: string, kind: JobKind, max: number, leaseMs: number, options: ClaimOptions = {}): Job[] {
  const now = clock.now();
  const nowText = now.toISOString();
  const only = options.only === 'unknown' ? `AND (j.outcome_unknown = 1 OR j.status = 'sending')` : options.only === 'known' ? `AND j.outcome_unknown = 0 AND j.status = 'queued'` : '';
  return db
    .transaction(() => {
      // Named index (migration 23): without statistics the planner would walk the organisation's
      // whole history in date order; this reads only its queued and sending jobs of the kind.
      const rows = statement(
          db,
          `SELECT j.* FROM jobs j INDEXED BY jobs_due_by_kind LEFT JOIN jobs d ON d.id = j.depends_on
           WHERE j.organisation_id = ? AND j.kind = ? AND j.status IN ('queued', 'sending')
             AND ((j.status = 'queued' AND j.not_before <= ?) OR (j.status = 'sending' AND j.lease_until < ?))
             AND (j.depends_on IS NULL OR d.status = 'delivered') ${only}
           ORDER BY j.created_at, j.rowid LIMIT ?`,
        )
        .all(organisationId, kind, nowText, nowText, max) as JobRow[];
      // A note on why the job waited (Xero's daily limit) is over once it is being sent.
      const claim = statement(
        db,
        `UPDATE jobs SET status = 'sending', lease_until = ?, attempts = attempts + 1, held_reason = NULL,
           outcome_unknown = CASE WHEN status = 'sending' THEN 1 ELSE outcome_unknown END, updated_at = ?
         WHERE id = ?`,
      );
      const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
      for (const row of rows) claim.run(leaseUntil, nowText, row.id);
      return rows.map((row) => ({ ...toJob(row), status: 'sending' as const, heldReason: null, attempts: row.attempts + 1, outcomeUnknown: row.outcome_unknown === 1 || row.status === 'sending' }));
    })
    .immediate();
}

/** The kinds of work an organisation has ready, in the order they should go (invoices and credit notes before the payments, refunds and allocations that name them). */
export function readyKinds(db: Db, clock: Clock, organisationId: string): JobKind[] {
  const now = clock.now().toISOString();
  // One index seek per kind and status (jobs_due_by_kind), not a scan of every job the
  // organisation has had.
  const ready = statement(
    db,
    `SELECT EXISTS (SELECT 1 FROM jobs INDEXED BY jobs_due_by_kind WHERE organisation_id = ? AND kind = ? AND status = 'queued' AND not_before <= ?)
         OR EXISTS (SELECT 1 FROM jobs INDEXED BY jobs_due_by_kind WHERE organisation_id = ? AND kind = ? AND status = 'sending' AND lease_until < ?) AS ready`,
  );
  return READY_ORDER.filter((kind) => (ready.get(organisationId, kind, now, organisationId, kind, now) as { ready: number }).ready === 1);
}

// Attachments last: each waits for its document, which goes first.
const READY_ORDER: readonly JobKind[] = ['invoice', 'credit_note', 'timesheet', 'payment', 'allocation', 'attachment'];

/** A cause as its two columns: the code and its particulars as JSON. */
const causeColumns = (classified: Classified): [string, string] => [classified.cause, JSON.stringify(classified.detail)];

/** What a state change records beside itself: the attempt's particulars and, for failures, its cause. */
export interface StateNote extends AttemptNote {
  /** Why the job is not delivered; by default classified from the texts the change receives. */
  cause?: Classified;
}

/** Records Xero's acceptance (`outcome` 'found' when a look-up found it), with a row in its history. */
export function markDelivered(db: Db, clock: Clock, id: string, outcome: { xeroId: string | null; xeroNumber: string | null; result: Record<string, unknown> }, attempt: AttemptNote = {}): void {
  const now = clock.now().toISOString();
  const changed = statement(db, `UPDATE jobs SET status = 'delivered', xero_id = ?, xero_number = ?, result = ?, errors = NULL, cause = NULL, cause_detail = NULL, lease_until = NULL, outcome_unknown = 0, delivered_at = ?, updated_at = ? WHERE id = ?`)
    .run(outcome.xeroId, outcome.xeroNumber, JSON.stringify(outcome.result), now, now, id).changes;
  if (changed === 1) recordAttempt(db, clock, id, 'delivered', attempt);
}

/**
 * Records Xero's refusal of the document itself (validation): final until the app sends a
 * corrected one, or a person puts its cause right and retries. The cause defaults to what Xero's messages say.
 */
export function markFailed(db: Db, clock: Clock, id: string, errors: readonly string[], note: StateNote = {}): void {
  const { cause = classifyRefusal(errors), ...attempt } = note;
  const changed = db
    .prepare(`UPDATE jobs SET status = 'failed', errors = ?, cause = ?, cause_detail = ?, lease_until = NULL, outcome_unknown = 0, updated_at = ? WHERE id = ?`)
    .run(JSON.stringify(errors), ...causeColumns(cause), clock.now().toISOString(), id).changes;
  if (changed === 1) recordAttempt(db, clock, id, 'refused', { messages: errors, ...attempt });
}

/** Puts a job back in the queue for later; `outcomeUnknown` says the send may have reached Xero. */
export function scheduleRetry(db: Db, clock: Clock, id: string, retry: { notBefore: string; lastError: string; outcomeUnknown: boolean; cause?: Classified }, attempt: AttemptNote = {}): void {
  const changed = db
    .prepare(`UPDATE jobs SET status = 'queued', not_before = ?, last_error = ?, cause = ?, cause_detail = ?, lease_until = NULL, outcome_unknown = CASE WHEN ? THEN 1 ELSE outcome_unknown END, updated_at = ? WHERE id = ?`)
    .run(retry.notBefore, retry.lastError, ...causeColumns(retry.cause ?? classifyProblemText(retry.lastError)), retry.outcomeUnknown ? 1 : 0, clock.now().toISOString(), id).changes;
  if (changed === 1) recordAttempt(db, clock, id, retry.outcomeUnknown ? 'unknown' : 'retry', { messages: [retry.lastError], note: `Tried again from ${retry.notBefore}.`, ...attempt });
}

/** Gives up after the retries are spent; `jobs retry` can queue it again. */
export function markDead(db: Db, clock: Clock, id: string, lastError: string, note: StateNote = {}): void {
  const { cause = classifyProblemText(lastError), ...attempt } = note;
  const changed = db.prepare(`UPDATE jobs SET status = 'dead', last_error = ?, cause = ?, cause_detail = ?, lease_until = NULL, updated_at = ? WHERE id = ?`).run(lastError, ...causeColumns(cause), clock.now().toISOString(), id).changes;
  if (changed === 1) recordAttempt(db, clock, id, 'dead', { messages: [lastError], ...attempt });
}

/**
 * Holds an organisation's waiting jobs (e.g. it needs relinking), saying why; they are kept. A
 * job held while `sending` (its process may have died mid-send) may be in Xero already, so it
 * is marked outcome-unknown and looked up before it is sent again.
 */
export function holdJobs(db: Db, clock: Clock, organisationId: string, reason: string, cause: Classified = classifyProblemText(reason)): number {
  return db.transaction(() => {
    const ids = db
      .prepare(
        `UPDATE jobs SET status = 'held', held_reason = ?, cause = ?, cause_detail = ?, lease_until = NULL, outcome_unknown = CASE WHEN status = 'sending' THEN 1 ELSE outcome_unknown END, updated_at = ?
         WHERE organisation_id = ? AND status IN ('queued', 'sending') RETURNING id`,
      )
      .pluck()
      .all(reason, ...causeColumns(cause), clock.now().toISOString(), organisationId) as string[];
    for (const id of ids) recordAttempt(db, clock, id, 'held', { note: reason });
    return ids.length;
  })();
}

/**
 * Holds one claimed job that must not be sent as it stands (dated inside a lock date), without
 * counting the attempt: no call was made. Retrying it (requeueJob) sends it through the checks again.
 */
export function holdClaimedJob(db: Db, clock: Clock, id: string, reason: string, cause: Classified): void {
  const changed = db
    .prepare(`UPDATE jobs SET status = 'held', held_reason = ?, cause = ?, cause_detail = ?, lease_until = NULL, attempts = MAX(attempts - 1, 0), updated_at = ? WHERE id = ? AND status = 'sending'`)
    .run(reason, ...causeColumns(cause), clock.now().toISOString(), id).changes;
  if (changed === 1) recordAttempt(db, clock, id, 'held', { note: reason });
}

/**
 * Releases an organisation's held jobs once it can be delivered to again; jobs that wait for a
 * mapping have no payload yet and stay held until it is saved (services/waiting-documents.ts),
 * jobs held for a lock date stay held until the lock dates move (services/organisation-checks.ts),
 * and invoices held at the plan's monthly cap until a person retries them.
 */
export function releaseHeldJobs(db: Db, clock: Clock, organisationId: string): number {
  const now = clock.now().toISOString();
  return db.transaction(() => {
    const ids = db.prepare(`UPDATE jobs SET status = 'queued', held_reason = NULL, cause = NULL, cause_detail = NULL, not_before = ?, updated_at = ? WHERE organisation_id = ? AND status = 'held' AND (cause IS NULL OR cause NOT IN ('mapping_missing', 'lock_date', 'invoice_limit')) RETURNING id`).pluck().all(now, now, organisationId) as string[];
    for (const id of ids) recordAttempt(db, clock, id, 'retried', { note: 'Released to be sent: the organisation can be delivered to again.' });
    return ids.length;
  })();
}

/**
 * Queues a dead, failed or held job again (the administrator's `jobs retry`) with a fresh count
 * of attempts; a dead job whose last send may have reached Xero keeps `outcome_unknown`, so it is
 * looked up before it is sent again.
 */
export function requeueJob(db: Db, clock: Clock, id: string, attempt: AttemptNote = {}): boolean {
  const now = clock.now().toISOString();
  return db.transaction(() => {
    // A job waiting for a mapping has nothing to send yet: saving the mapping releases it.
    const changed = db
      .prepare(`UPDATE jobs SET status = 'queued', not_before = ?, held_reason = NULL, attempts = 0, errors = NULL, cause = NULL, cause_detail = NULL, updated_at = ? WHERE id = ? AND status IN ('dead', 'failed', 'held') AND cause IS NOT 'mapping_missing'`)
      .run(now, now, id).changes;
    if (changed !== 1) return false;
    recordAttempt(db, clock, id, 'retried', { note: 'Queued again by the administrator.', ...attempt });
    // The jobs that were stopped because this one did not go wait for it again, so fixing it
    // sends them too (they are sent only once it is delivered): an invoice's payments, and down
    // the chain a credit note waiting for its invoice and that credit note's allocation.
    const release = db.prepare(`UPDATE jobs SET status = 'queued', not_before = ?, errors = NULL, attempts = 0, cause = NULL, cause_detail = NULL, updated_at = ? WHERE depends_on = ? AND status = 'failed' AND cause = 'dependency_failed' RETURNING id`);
    for (let waiting = [id]; waiting.length > 0; ) {
      const next: string[] = [];
      for (const parent of waiting) {
        for (const dependent of release.pluck().all(now, now, parent) as string[]) {
          recordAttempt(db, clock, dependent, 'retried', { note: parent === id ? 'Queued again with the invoice it pays.' : 'Queued again with the document it waits for.' });
          next.push(dependent);
        }
      }
      waiting = next;
    }
    return true;
  })();
}

/**
 * Gives a job Xero refused the corrected content the app sent under the same DocumentId (and
 * what it was built from); it is queued again by `requeueJob`. Only a refusal, or a hold for a
 * lock date before any call, qualifies, and only while the job holds no Xero id (a Payroll 2.0
 * timesheet refused at its approval step has a draft in Xero): Xero holds nothing of it, so the
 * correction cannot double it or leave the old content to be approved.
 */
export function replaceRefusedContent(db: Db, clock: Clock, id: string, content: { payload: Record<string, unknown>; contentHash: string | null; source: Record<string, unknown> | null }): boolean {
  return (
    db
      .prepare(`UPDATE jobs SET payload = ?, content_hash = ?, source = COALESCE(?, source), updated_at = ? WHERE id = ? AND (status = 'failed' OR (status = 'held' AND cause = 'lock_date')) AND outcome_unknown = 0 AND xero_id IS NULL`)
      .run(JSON.stringify(content.payload), content.contentHash, content.source === null ? null : JSON.stringify(content.source), clock.now().toISOString(), id).changes === 1
  );
}

/** Cancels a job that has not been delivered (the administrator's `jobs cancel`), recording why. */
export function cancelJob(db: Db, clock: Clock, id: string, reason: string | null = null): boolean {
  return db.transaction(() => {
    const changed = db
      .prepare(`UPDATE jobs SET status = 'cancelled', cancel_reason = ?, cause = NULL, cause_detail = NULL, lease_until = NULL, updated_at = ? WHERE id = ? AND status IN ('queued', 'held', 'dead', 'failed')`)
      .run(reason, clock.now().toISOString(), id).changes;
    if (changed === 1) recordAttempt(db, clock, id, 'cancelled', { note: reason });
    return changed === 1;
  })();
}

/**
 * Gives claimed jobs back to the queue without counting the attempt: Xero asked to slow down,
 * the organisation must be relinked, or a look-up proved the documents are not in Xero
 * (`outcomeKnown`, so they are sent next without another look-up).
 */
export function unclaimJobs(db: Db, clock: Clock, ids: readonly string[], options: { notBefore: string; outcomeKnown?: boolean; attempt?: AttemptNote & { outcome: 'retry' | 'unknown' } }): void {
  const update = db.prepare(
    `UPDATE jobs SET status = 'queued', attempts = MAX(attempts - 1, 0), lease_until = NULL, not_before = ?,
       outcome_unknown = CASE WHEN ? THEN 0 ELSE outcome_unknown END, updated_at = ?
     WHERE id = ? AND status = 'sending'`,
  );
  const now = clock.now().toISOString();
  db.transaction(() => {
    for (const id of ids) {
      // Only an exchange with Xero (a rate limit, a look-up that did not find it) is history.
      if (update.run(options.notBefore, options.outcomeKnown ? 1 : 0, now, id).changes === 1 && options.attempt) recordAttempt(db, clock, id, options.attempt.outcome, options.attempt);
    }
  })();
}

/**
 * Says why an organisation's queued jobs wait (Xero's daily limit is used up) and defers them
 * until `notBefore`. Their status stays `queued`: nothing is wrong with them, and the reason is
 * cleared when they are claimed.
 */
export function noteWaiting(db: Db, clock: Clock, organisationId: string, reason: string, notBefore: string, cause: Classified = { cause: 'rate_limited', detail: { until: notBefore } }): number {
  return db
    .prepare(`UPDATE jobs SET held_reason = ?, cause = ?, cause_detail = ?, not_before = MAX(not_before, ?), updated_at = ? WHERE organisation_id = ? AND status = 'queued'`)
    .run(reason, ...causeColumns(cause), notBefore, clock.now().toISOString(), organisationId).changes;
}

/** Organisations with held jobs (waiting for a relink). */
export function organisationsWithHeldJobs(db: Db): string[] {
  return db.prepare(`SELECT DISTINCT organisation_id FROM jobs WHERE status = 'held'`).pluck().all() as string[];
}

/** Queued or held jobs whose dependency will not be delivered as it stands (failed, dead or cancelled), each with that dependency. */
export function jobsWithUndeliverableDependency(db: Db): Array<{ job: Job; dependency: Job }> {
  const rows = db
    .prepare(
      `SELECT j.id AS job_id, d.id AS dependency_id FROM jobs j JOIN jobs d ON d.id = j.depends_on
       WHERE j.status IN ('queued', 'held') AND d.status IN ('failed', 'dead', 'cancelled') ORDER BY j.rowid`,
    )
    .all() as Array<{ job_id: string; dependency_id: string }>;
  return rows.map((row) => ({ job: findJob(db, row.job_id)!, dependency: findJob(db, row.dependency_id)! }));
}

/** The next moment after now at which a queued job falls due or a lease runs out, if any. */
export function nextJobDueAfter(db: Db, clock: Clock): string | undefined {
  const now = clock.now().toISOString();
  const at = db
    .prepare(
      `SELECT MIN(t) FROM (SELECT MIN(not_before) AS t FROM jobs WHERE status = 'queued' AND not_before > ?
                         UNION ALL SELECT MIN(lease_until) FROM jobs WHERE status = 'sending' AND lease_until > ?)`,
    )
    .pluck()
    .get(now, now) as string | null;
  return at ?? undefined;
}

