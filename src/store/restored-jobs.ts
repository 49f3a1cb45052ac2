import type { Clock } from '../lib/clock';
import type { Db } from './db';
import { recordAttempt } from './job-attempts';
import { tablesOf } from './sealed-values';

/**
 * In a database restored from a backup, marks every document not yet delivered or cancelled as
 * outcome-unknown: the proxy that made the backup went on working after it, so any of them may be
 * in Xero already, and the delivery loop looks each up there before it sends it (its rule for an
 * unknown outcome). A send that was in flight goes back to the queue. Returns how many.
 */
export function markRestoredJobs(db: Db, clock: Clock, note: string): number {
  if (!tablesOf(db).has('jobs')) return 0;
  const now = clock.now().toISOString();
  const ids = db
    .prepare(
      `UPDATE jobs SET outcome_unknown = 1, status = CASE WHEN status = 'sending' THEN 'queued' ELSE status END, lease_until = NULL,
         not_before = CASE WHEN status IN ('queued', 'sending') THEN ? ELSE not_before END, updated_at = ?
       WHERE status IN ('queued', 'sending', 'held', 'failed', 'dead') RETURNING id`,
    )
    .pluck()
    .all(now, now) as string[];
  // A backup of a schema from before the documents' history has nowhere to say so.
  if (tablesOf(db).has('job_attempts')) for (const id of ids) recordAttempt(db, clock, id, 'unknown', { note });
  return ids.length;
}
