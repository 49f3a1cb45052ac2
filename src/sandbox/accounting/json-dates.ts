/**
 * Xero's date formats. Stored and XML form: `YYYY-MM-DDThh:mm:ss` (UpdatedDateUTC keeps
 * milliseconds). JSON form: the .NET `/Date(ms+0000)/`. Requests may send either, or a bare
 * `YYYY-MM-DD`.
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

/** The stored timestamp for "now": UTC with milliseconds, no zone letter (as Xero writes it). */
export function timestamp(now: Date): string {
  return now.toISOString().slice(0, 23);
}

/** The calendar date of `now` in stored form. */
export function today(now: Date): string {
  return now.toISOString().slice(0, 10) + 'T00:00:00';
}

/** Milliseconds since the epoch of a stored date or timestamp (read as UTC). */
export function storedMs(stored: string): number {
  return Date.parse(/Z$/.test(stored) ? stored : stored + 'Z');
}

/** The .NET JSON date of a stored value, e.g. `/Date(1767225600000+0000)/`. */
export function jsonDate(stored: string): string {
  return `/Date(${storedMs(stored)}+0000)/`;
}

/**
 * The `If-Modified-Since` header as epoch milliseconds. Xero's SDKs send `yyyy-MM-ddTHH:mm:ss`
 * (UTC), HTTP clients an RFC 1123 date; both are accepted. Unreadable → undefined (ignored).
 */
export function parseIfModifiedSince(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  const iso = ISO.exec(trimmed);
  if (iso) {
    const [, y, mo, d, h = '00', mi = '00', s = '00', zone] = iso;
    const offset = zone && zone !== 'Z' ? zone.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2') : 'Z';
    const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
    return Number.isNaN(ms) ? undefined : ms;
  }
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? undefined : ms;
}
