/**
 * Document dates as the Accounting API reads them from requests. Stored form:
 * `YYYY-MM-DDT00:00:00`. Requests may send that, the JSON form `/Date(ms+0000)/`, or a bare
 * `YYYY-MM-DD`. Timestamps and If-Modified-Since live with the shared store and query code.
 * @see PROTOCOL.md §4.2 (dates)
 */

const DOTNET = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A request date as a stored calendar date (`YYYY-MM-DDT00:00:00`); `null` when present but
 * unreadable. The time of day is dropped, as Xero does for document dates.
 */
export function parseRequestDate(value: unknown): string | null | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  const dotnet = DOTNET.exec(trimmed);
  if (dotnet) return new Date(Number(dotnet[1])).toISOString().slice(0, 10) + 'T00:00:00';
  const iso = ISO.exec(trimmed);
  if (!iso) return null;
  const [, y, m, d] = iso;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return null;
  return `${y}-${m}-${d}T00:00:00`;
}

/** The calendar date of `now` in stored form. */
export function today(now: Date): string {
  return now.toISOString().slice(0, 10) + 'T00:00:00';
}
