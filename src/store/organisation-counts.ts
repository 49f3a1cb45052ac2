import type { JobStatus } from './jobs';
import type { Db } from './db';

/** How many of an organisation's documents are in each state that is not final. */
export type WaitingCounts = Record<'queued' | 'sending' | 'held' | 'failed' | 'dead', number>;

/** Counts for an organisation with nothing waiting. */
export const NO_WAITING: Readonly<WaitingCounts> = { queued: 0, sending: 0, held: 0, failed: 0, dead: 0 };

/** The documents of every organisation that have not reached Xero and were not cancelled, by state. */
export function waitingCountsByOrganisation(db: Db): Map<string, WaitingCounts> {
  const rows = db
    .prepare("SELECT organisation_id AS organisationId, status, COUNT(*) AS count FROM jobs WHERE status IN ('queued', 'sending', 'held', 'failed', 'dead') GROUP BY organisation_id, status")
    .all() as Array<{ organisationId: string; status: Exclude<JobStatus, 'delivered' | 'cancelled'>; count: number }>;
  const counts = new Map<string, WaitingCounts>();
  for (const row of rows) {
    const entry = counts.get(row.organisationId) ?? { ...NO_WAITING };
    entry[row.status] = row.count;
    counts.set(row.organisationId, entry);
  }
  return counts;
}

