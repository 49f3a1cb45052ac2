import type { Db } from './db';

/** Failed, dead and held jobs per organisation, status and cause, for the alert rules. */
export function undeliveredByCause(db: Db): Array<{ organisationId: string; status: 'failed' | 'dead' | 'held'; cause: string | null; count: number }> {
  return db
    .prepare(
      `SELECT organisation_id AS organisationId, status, cause, COUNT(*) AS count FROM jobs
       WHERE status IN ('failed', 'dead', 'held') GROUP BY organisation_id, status, cause`,
    )
    .all() as Array<{ organisationId: string; status: 'failed' | 'dead' | 'held'; cause: string | null; count: number }>;
}

/**
 * Per organisation: documents waiting (queued or held), the oldest due `not_before`, the last
 * delivery. One indexed look-up each (jobs_by_organisation, jobs_ready,
 * jobs_by_organisation_delivered), so the minute's run does not read every job ever delivered.
 */
export function queueProgress(db: Db, now: string): Array<{ organisationId: string; waiting: number; oldestDueAt: string | null; lastDeliveredAt: string | null }> {
  return db
    .prepare(
      `SELECT o.id AS organisationId,
              (SELECT COUNT(*) FROM jobs WHERE organisation_id = o.id AND status IN ('queued', 'held')) AS waiting,
              (SELECT MIN(not_before) FROM jobs WHERE status = 'queued' AND organisation_id = o.id AND not_before <= ?) AS oldestDueAt,
              (SELECT MAX(delivered_at) FROM jobs WHERE organisation_id = o.id AND delivered_at IS NOT NULL) AS lastDeliveredAt
       FROM organisations o`,
    )
    .all(now) as Array<{ organisationId: string; waiting: number; oldestDueAt: string | null; lastDeliveredAt: string | null }>;
}

/** Xero calls of one UTC day per organisation (`day` as YYYY-MM-DD), and the remainder Xero last reported. */
export function usageOfDay(db: Db, day: string): Array<{ organisationId: string; calls: number; dayLimitRemaining: number | null }> {
  return db
    .prepare('SELECT organisation_id AS organisationId, calls, day_limit_remaining AS dayLimitRemaining FROM organisation_usage WHERE day = ?')
    .all(day) as Array<{ organisationId: string; calls: number; dayLimitRemaining: number | null }>;
}
