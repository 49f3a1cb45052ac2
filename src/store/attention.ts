import type { CauseCode } from '../domain/attention/causes';
import type { Db } from './db';
import { findJob, requeueJob, type Job } from './jobs';
import type { Clock } from '../lib/clock';

/**
 * Every job with a cause that has not reached Xero yet: stopped (failed, dead, held) or waiting
 * to be sent again (queued, sending), oldest first.
 */
export function jobsWithCause(db: Db, filter: { organisationId?: string } = {}): Job[] {
  const ids = db
    .prepare(
      `SELECT id FROM jobs WHERE cause IS NOT NULL AND status IN ('failed', 'dead', 'held', 'queued', 'sending')
         AND (? IS NULL OR organisation_id = ?) ORDER BY created_at, rowid`,
    )
    .pluck()
    .all(filter.organisationId ?? null, filter.organisationId ?? null) as string[];
  return ids.map((id) => findJob(db, id)!);
}

/** The stopped jobs of one cause, optionally of one organisation, oldest first. */
export function stoppedJobsOfCause(db: Db, cause: CauseCode, organisationId?: string): Job[] {
  const ids = db
    .prepare(
      `SELECT id FROM jobs WHERE cause = ? AND status IN ('failed', 'dead', 'held') AND (? IS NULL OR organisation_id = ?) ORDER BY created_at, rowid`,
    )
    .pluck()
    .all(cause, organisationId ?? null, organisationId ?? null) as string[];
  return ids.map((id) => findJob(db, id)!);
}

/** Queues the given jobs again in one transaction (each as `requeueJob` does); returns those queued. */
export function requeueJobs(db: Db, clock: Clock, ids: readonly string[]): string[] {
  return db.transaction(() => ids.filter((id) => requeueJob(db, clock, id)))();
}

/**
 * Whether Xero refused one of the organisation's invoices of this type (ACCREC or ACCPAY) dated
 * in `month` (`YYYY-MM`) at its plan's monthly cap, and it still stands refused: more of that
 * month would only be refused too.
 */
export function invoiceCapReached(db: Db, organisationId: string, type: string, month: string): boolean {
  return (
    db
      .prepare(
        `SELECT 1 FROM jobs WHERE organisation_id = ? AND kind = 'invoice' AND status = 'failed' AND cause = 'invoice_limit'
           AND json_extract(cause_detail, '$.month') = ? AND json_extract(payload, '$.Type') = ? LIMIT 1`,
      )
      .get(organisationId, month, type) !== undefined
  );
}
