import type { Db } from './db';
import { findJob, type Job, type JobKind, type JobStatus } from './jobs';

/** What the documents list may be narrowed by; every field optional, all of them together. */
export interface JobSearch {
  status?: JobStatus;
  cause?: string;
  kind?: JobKind;
  /** A device's row id. */
  deviceId?: string;
  organisationId?: string;
  /** ISO instants: accepted at or after `from`, before `to`. */
  from?: string;
  to?: string;
  /**
   * Matched exactly against the job id, the app's DocumentId or shiftId, Xero's id and number and
   * the document key, and as part of the app's Reference.
   */
  text?: string;
  /** Keyset paging: only jobs accepted before this one (its created_at and its place in the table, `seq`). */
  before?: { createdAt: string; seq: number };
  limit: number;
}

/**
 * Jobs matching a search, newest first, and how many match in all. The filters are equalities the
 * indexes of migration 7 serve (jobs_by_organisation, jobs_by_cause, jobs_by_document_id,
 * jobs_by_created). Search text is matched in the same pass, newest first, stopping when the
 * page is full: the Reference lives inside the stored document, which no index covers.
 */
export function searchJobs(db: Db, search: JobSearch): { rows: Array<{ job: Job; seq: number }>; total: number } {
  const where: string[] = [];
  const args: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    args.push(...values);
  };
  if (search.status) add('status = ?', search.status);
  if (search.cause) add('cause = ?', search.cause);
  if (search.kind) add('kind = ?', search.kind);
  if (search.deviceId) add('device_id = ?', search.deviceId);
  if (search.organisationId) add('organisation_id = ?', search.organisationId);
  if (search.from) add('created_at >= ?', search.from);
  if (search.to) add('created_at < ?', search.to);
  if (search.text) {
    const like = `%${search.text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    add(
      `(id = ? OR document_id = ? OR xero_id = ? OR xero_number = ? OR document_key = ?
        OR json_extract(payload, '$.Reference') LIKE ? ESCAPE '\\')`,
      search.text,
      search.text,
      search.text,
      search.text,
      search.text.toUpperCase(),
      like,
    );
  }
  const filtered = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total = db.prepare(`SELECT COUNT(*) FROM jobs ${filtered}`).pluck().get(...args) as number;
  // Jobs of one request share their created_at; the rowid keeps them in the order they were accepted.
  const page = search.before ? `${filtered ? `${filtered} AND` : 'WHERE'} (created_at < ? OR (created_at = ? AND rowid < ?))` : filtered;
  const pageArgs = search.before ? [...args, search.before.createdAt, search.before.createdAt, search.before.seq] : args;
  const found = db.prepare(`SELECT id, rowid AS seq FROM jobs ${page} ORDER BY created_at DESC, rowid DESC LIMIT ?`).all(...pageArgs, search.limit) as Array<{ id: string; seq: number }>;
  return { rows: found.map(({ id, seq }) => ({ job: findJob(db, id)!, seq })), total };
}

/** What the app sent in the request that made a job, if it was kept (requests accepted before it was, were not). */
export function requestOfJob(db: Db, jobId: string): { body: string; contentType: string | null; receivedAt: string } | undefined {
  const row = db
    .prepare(`SELECT s.request_body AS body, s.request_content_type AS content_type, s.created_at AS received_at FROM jobs j JOIN submissions s ON s.id = j.submission_id WHERE j.id = ?`)
    .get(jobId) as { body: string | null; content_type: string | null; received_at: string } | undefined;
  if (!row || row.body === null) return undefined;
  return { body: row.body, contentType: row.content_type, receivedAt: row.received_at };
}

/** The causes jobs carry now (for the list's filter). */
export function causesInUse(db: Db): string[] {
  return db.prepare('SELECT DISTINCT cause FROM jobs WHERE cause IS NOT NULL ORDER BY cause').pluck().all() as string[];
}
