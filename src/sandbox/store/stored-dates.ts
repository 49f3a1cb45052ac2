/**
 * How the sandbox stores dates in document bodies, for both APIs: calendar dates as
 * `YYYY-MM-DDT00:00:00` and timestamps as UTC with milliseconds and no zone letter
 * (`2026-01-15T09:30:00.000`), which is what Xero's XML shows.
 */

/** The stored timestamp for `now`. */
export function storedTimestamp(now: Date): string {
  return now.toISOString().slice(0, 23);
}

/** Epoch milliseconds of a stored date or timestamp: UTC unless it names a zone. */
export function storedMs(stored: string): number {
  return Date.parse(/Z$|[+-]\d\d:\d\d$/.test(stored) ? stored : `${stored}Z`);
}
