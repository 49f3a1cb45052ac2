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

/** Per organisation with work: documents waiting (queued or held), the oldest due `not_before`, the last delivery. */
export function queueProgress(db: Db, now: string): Array<{ organisationId: string; waiting: number; oldestDueAt: string | null; lastDeliveredAt: string | null }> {
  return db
    .prepare(
      `SELECT organisation_id AS organisationId,
              SUM(CASE WHEN status IN ('queued', 'held') THEN 1 ELSE 0 END) AS waiting,
              MIN(CASE WHEN status = 'queued' AND not_before <= ? THEN not_before END) AS oldestDueAt,
              MAX(delivered_at) AS lastDeliveredAt
       FROM jobs GROUP BY organisation_id`,
    )
    .all(now) as Array<{ organisationId: string; waiting: number; oldestDueAt: string | null; lastDeliveredAt: string | null }>;
}

/** Xero calls of one UTC day per organisation (`day` as YYYY-MM-DD), and the remainder Xero last reported. */
export function usageOfDay(db: Db, day: string): Array<{ organisationId: string; calls: number; dayLimitRemaining: number | null }> {
  return db
    .prepare('SELECT organisation_id AS organisationId, calls, day_limit_remaining AS dayLimitRemaining FROM organisation_usage WHERE day = ?')
    .all(day) as Array<{ organisationId: string; calls: number; dayLimitRemaining: number | null }>;
}
