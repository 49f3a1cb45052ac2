import type { Db } from './db';

/** The states a job waits or ends in without reaching Xero, which the overview counts. */
export type OpenStatus = 'queued' | 'sending' | 'held' | 'failed' | 'dead';

/** Jobs per organisation in each open state (jobs_ready covers it: status first). */
export function openJobCounts(db: Db): Map<string, Record<OpenStatus, number>> {
  const rows = db
    .prepare(`SELECT organisation_id, status, COUNT(*) AS n FROM jobs WHERE status IN ('queued', 'sending', 'held', 'failed', 'dead') GROUP BY organisation_id, status`)
    .all() as Array<{ organisation_id: string; status: OpenStatus; n: number }>;
  const counts = new Map<string, Record<OpenStatus, number>>();
  for (const row of rows) {
    const of = counts.get(row.organisation_id) ?? { queued: 0, sending: 0, held: 0, failed: 0, dead: 0 };
    of[row.status] = row.n;
    counts.set(row.organisation_id, of);
  }
  return counts;
}

/**
 * Jobs per organisation a person must act on: failed or dead, or waiting with one of `causes`
 * (the causes that do not go by themselves).
 */
export function attentionCounts(db: Db, causes: readonly string[]): Map<string, number> {
  const marks = causes.map(() => '?').join(', ') || "''";
  const rows = db
    .prepare(
      `SELECT organisation_id, COUNT(*) AS n FROM jobs
       WHERE status IN ('failed', 'dead') OR (status IN ('queued', 'sending', 'held') AND cause IN (${marks}))
       GROUP BY organisation_id`,
    )
    .all(...causes) as Array<{ organisation_id: string; n: number }>;
  return new Map(rows.map((row) => [row.organisation_id, row.n]));
}

/** The times the overview reads for each organisation. */
export interface OrganisationTimes {
  /** When the oldest job still on its way was accepted. */
  oldestWaitingAt(organisationId: string): string | undefined;
  /** The earliest time a queued job has been due since, if one is due at `now`. */
  oldestDueAt(organisationId: string): string | undefined;
  /** The organisation's last delivery (jobs_by_organisation_delivered). */
  lastDeliveredAt(organisationId: string): string | undefined;
}

/**
 * Reads every organisation's times at once: what waits in two passes over the jobs still on
 * their way (never the delivered history), the last delivery by one index probe each with a
 * statement prepared once. With a thousand organisations, three statements compiled and run for
 * each were most of the overview.
 */
export function organisationTimes(db: Db, now: string): OrganisationTimes {
  const grouped = (sql: string, ...args: unknown[]) => new Map((db.prepare(sql).all(...args) as Array<{ organisation_id: string; at: string }>).map((row) => [row.organisation_id, row.at]));
  const waiting = grouped(`SELECT organisation_id, MIN(created_at) AS at FROM jobs WHERE status IN ('queued', 'sending', 'held') GROUP BY organisation_id`);
  const due = grouped(`SELECT organisation_id, MIN(not_before) AS at FROM jobs WHERE status = 'queued' AND not_before <= ? GROUP BY organisation_id`, now);
  const delivered = db.prepare('SELECT MAX(delivered_at) FROM jobs WHERE organisation_id = ? AND delivered_at IS NOT NULL').pluck();
  return {
    oldestWaitingAt: (organisationId) => waiting.get(organisationId),
    oldestDueAt: (organisationId) => due.get(organisationId),
    lastDeliveredAt: (organisationId) => (delivered.get(organisationId) as string | null) ?? undefined,
  };
}

/**
 * Deliveries and failures (jobs that ended failed or dead) since `from`, counted per bucket: the
 * first `width` characters of the ISO time (13 for hours, 10 for days).
 */
export function deliveriesAndFailures(db: Db, from: string, width: 10 | 13): { delivered: Map<string, number>; failed: Map<string, number> } {
  const delivered = db.prepare(`SELECT substr(delivered_at, 1, ${width}) AS bucket, COUNT(*) AS n FROM jobs WHERE delivered_at >= ? GROUP BY bucket`).all(from) as Array<{ bucket: string; n: number }>;
  const failed = db
    .prepare(`SELECT substr(updated_at, 1, ${width}) AS bucket, COUNT(*) AS n FROM jobs WHERE status IN ('failed', 'dead') AND updated_at >= ? GROUP BY bucket`)
    .all(from) as Array<{ bucket: string; n: number }>;
  return { delivered: new Map(delivered.map((r) => [r.bucket, r.n])), failed: new Map(failed.map((r) => [r.bucket, r.n])) };
}
