import type { Clock } from '../lib/clock';
import type { Db } from './db';
import { statement } from './statements';

/**
 * What one exchange with Xero, or one change a person made, did to a job: `delivered` (Xero took
 * it), `found` (looked up in Xero and found there), `refused` (Xero refused its content), `retry`
 * (it goes again later), `unknown` (the send may have reached Xero; it is looked up first),
 * `held` (waits for a person), `dead` (the proxy gave up), `cancelled` and `retried` (a person's
 * actions, or the proxy releasing held documents).
 */
export type AttemptOutcome = 'delivered' | 'refused' | 'retry' | 'unknown' | 'found' | 'held' | 'dead' | 'cancelled' | 'retried';

/** One row of a document's history. */
export interface JobAttempt {
  id: number;
  jobId: string;
  attemptedAt: string;
  outcome: AttemptOutcome;
  /** Xero's HTTP status, where the row records an answer from Xero. */
  httpStatus: number | null;
  /** Xero's own messages (ValidationErrors, the problem's words), verbatim. */
  messages: string[];
  /** What the proxy or the person said about it. */
  note: string | null;
}

/** The particulars a state change may add to its history row. */
export interface AttemptNote {
  /** Overrides the outcome the state change implies (a delivery found by a look-up is `found`). */
  outcome?: AttemptOutcome;
  httpStatus?: number | null;
  messages?: readonly string[];
  note?: string | null;
}

interface AttemptRow {
  id: number;
  job_id: string;
  attempted_at: string;
  outcome: AttemptOutcome;
  http_status: number | null;
  messages: string | null;
  note: string | null;
}

/** Adds a row to a job's history; the store functions that change a job's state call it, in their statement's transaction. */
export function recordAttempt(db: Db, clock: Clock, jobId: string, outcome: AttemptOutcome, detail: AttemptNote = {}): void {
  statement(db, 'INSERT INTO job_attempts (job_id, attempted_at, outcome, http_status, messages, note) VALUES (?, ?, ?, ?, ?, ?)').run(
    jobId,
    clock.now().toISOString(),
    detail.outcome ?? outcome,
    detail.httpStatus ?? null,
    detail.messages && detail.messages.length > 0 ? JSON.stringify(detail.messages) : null,
    detail.note ?? null,
  );
}

/** A job's history, oldest first. */
export function attemptsOf(db: Db, jobId: string): JobAttempt[] {
  const rows = db.prepare('SELECT * FROM job_attempts WHERE job_id = ? ORDER BY id').all(jobId) as AttemptRow[];
  return rows.map((row) => ({
    id: row.id,
    jobId: row.job_id,
    attemptedAt: row.attempted_at,
    outcome: row.outcome,
    httpStatus: row.http_status,
    messages: row.messages === null ? [] : (JSON.parse(row.messages) as string[]),
    note: row.note,
  }));
}
