import type { Db } from './db';

/** What `forgetIdempotencyKeys` did. */
export interface ForgottenKeys {
  /** Submissions whose Idempotency-Key and stored answer were dropped; the row stays for its jobs. */
  forgotten: number;
  /** Submissions deleted outright: they created no job of their own (every document was a duplicate). */
  deleted: number;
}

/**
 * Forgets the Idempotency-Keys and stored answers of submissions accepted before `before` (ISO)
 * whose jobs are all final. A submission with a job still queued, sending or held keeps its key,
 * so an app retrying while its document is on its way still gets the first answer. Jobs are never
 * touched. One transaction.
 */
export function forgetIdempotencyKeys(db: Db, before: string): ForgottenKeys {
  return db.transaction((): ForgottenKeys => {
    const deleted = db
      .prepare('DELETE FROM submissions WHERE created_at < ? AND NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.submission_id = submissions.id)')
      .run(before).changes;
    const forgotten = db
      .prepare(
        `UPDATE submissions SET idempotency_key = NULL, response = '{}'
         WHERE created_at < ? AND (idempotency_key IS NOT NULL OR response <> '{}')
           AND NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.submission_id = submissions.id AND jobs.status IN ('queued', 'sending', 'held'))`,
      )
      .run(before).changes;
    return { forgotten, deleted };
  })();
}
