import type { Clock } from '../lib/clock';
import type { Db } from './db';
import { recordAttempt, type AttemptNote } from './job-attempts';

/**
 * The steps of a job that takes more than one call to Xero (a Payroll 2.0 timesheet is created,
 * then approved by its own call): what a step learnt is kept on the claimed job, which goes back
 * to the queue for its next step, known to be in that state at Xero.
 */

/** Replaces a claimed job's payload with one completed from Xero (the employee's calendar). */
export function completePayload(db: Db, clock: Clock, id: string, payload: Record<string, unknown>): boolean {
  return db.prepare(`UPDATE jobs SET payload = ?, updated_at = ? WHERE id = ? AND status = 'sending'`).run(JSON.stringify(payload), clock.now().toISOString(), id).changes === 1;
}

/**
 * Records that Xero holds the document (its id and what Xero answered) and queues the claimed
 * job at once for its next step, its outcome known and its attempts counted afresh (each step
 * has its own retries); the attempt says what was done.
 */
export function markStepDone(db: Db, clock: Clock, id: string, outcome: { xeroId: string; result: Record<string, unknown> }, attempt: AttemptNote & { note: string }): boolean {
  const now = clock.now().toISOString();
  const changed = db
    .prepare(
      `UPDATE jobs SET status = 'queued', xero_id = ?, result = ?, errors = NULL, last_error = NULL, cause = NULL, cause_detail = NULL,
         lease_until = NULL, outcome_unknown = 0, attempts = 0, not_before = ?, updated_at = ?
       WHERE id = ? AND status = 'sending'`,
    )
    .run(outcome.xeroId, JSON.stringify(outcome.result), now, now, id).changes;
  if (changed === 1) recordAttempt(db, clock, id, 'retry', attempt);
  return changed === 1;
}
