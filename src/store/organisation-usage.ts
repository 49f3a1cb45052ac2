import type { Clock } from '../lib/clock';
import type { Db } from './db';

/** One organisation's use of Xero on one UTC day. */
export interface DayUsage {
  organisationId: string;
  /** `2026-11-28` */
  day: string;
  calls: number;
  /** What Xero last said was left of the day (`X-DayLimit-Remaining`); null where it never said. */
  dayLimitRemaining: number | null;
}

/**
 * Counts one answer from Xero for an organisation: +1 for its UTC day and hour, and the day's
 * remaining budget where Xero reported it (an answer without the header keeps the last one).
 */
export function recordXeroCall(db: Db, clock: Clock, organisationId: string, dayLimitRemaining: number | undefined): void {
  const now = clock.now().toISOString();
  withoutOwnSync(db, () => {
    db.prepare(
      `INSERT INTO organisation_usage (organisation_id, day, calls, day_limit_remaining, updated_at) VALUES (?, ?, 1, ?, ?)
       ON CONFLICT (organisation_id, day) DO UPDATE SET calls = calls + 1, day_limit_remaining = COALESCE(excluded.day_limit_remaining, day_limit_remaining), updated_at = excluded.updated_at`,
    ).run(organisationId, now.slice(0, 10), dayLimitRemaining ?? null, now);
    db.prepare(`INSERT INTO organisation_usage_hours (organisation_id, hour, calls) VALUES (?, ?, 1) ON CONFLICT (hour, organisation_id) DO UPDATE SET calls = calls + 1`).run(organisationId, now.slice(0, 13));
  });
}

/**
 * Commits `write` without a sync of its own. A count of calls for the overview is made durable
 * by the next commit that syncs (in WAL mode the log is one file, synced whole), which the
 * delivery loop makes for every call (its claim and its outcomes); a crash in between loses a
 * count, never a document, and each call to Xero costs one sync fewer. Inside a caller's
 * transaction it simply joins it.
 */
function withoutOwnSync(db: Db, write: () => void): void {
  if (db.inTransaction) return write();
  const synchronous = db.pragma('synchronous', { simple: true }) as number;
  db.pragma('synchronous = NORMAL');
  try {
    db.transaction(write)();
  } finally {
    db.pragma(`synchronous = ${synchronous}`);
  }
}

/** Every organisation's usage from `fromDay` (inclusive), oldest first. */
export function usageSince(db: Db, fromDay: string): DayUsage[] {
  const rows = db
    .prepare('SELECT organisation_id, day, calls, day_limit_remaining FROM organisation_usage WHERE day >= ? ORDER BY day, organisation_id')
    .all(fromDay) as Array<{ organisation_id: string; day: string; calls: number; day_limit_remaining: number | null }>;
  return rows.map((row) => ({ organisationId: row.organisation_id, day: row.day, calls: row.calls, dayLimitRemaining: row.day_limit_remaining }));
}

/** Calls per UTC hour (`2026-11-28T14`) from `fromHour` (inclusive), all organisations together or one. */
export function callsPerHourSince(db: Db, fromHour: string, organisationId?: string): Map<string, number> {
  const rows = db
    .prepare('SELECT hour, SUM(calls) AS calls FROM organisation_usage_hours WHERE hour >= ? AND (? IS NULL OR organisation_id = ?) GROUP BY hour')
    .all(fromHour, organisationId ?? null, organisationId ?? null) as Array<{ hour: string; calls: number }>;
  return new Map(rows.map((row) => [row.hour, row.calls]));
}
