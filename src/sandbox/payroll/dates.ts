/**
 * Calendar dates as Payroll AU carries them. The sandbox stores a date as `YYYY-MM-DDT00:00:00`
 * (what Xero's XML shows) and a timestamp as ISO-8601 UTC; JSON answers turn both into
 * `/Date(ms+0000)/`. Arithmetic works on `YYYY-MM-DD` strings in UTC, so no time zone can shift a day.
 */

const DAY_MS = 86_400_000;
const NET_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;
const ISO_DATE = /^(\d{4}-\d{2}-\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Reads a date as clients send it: `2026-01-05`, `2026-01-05T00:00:00` (XML, the OAuth 1.0a SDKs)
 * or `/Date(1767571200000+0000)/` (the JSON the OpenAPI spec shows). Returns `YYYY-MM-DD`, or
 * `undefined` when the text is not a real date.
 * @example parseXeroDate('/Date(1767571200000+0000)/') // '2026-01-05'
 */
export function parseXeroDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const net = NET_DATE.exec(text);
  if (net) {
    // The milliseconds are UTC; a stated offset says which local day the sender meant.
    const offset = net[2] ? (net[2][0] === '-' ? -1 : 1) * (Number(net[2].slice(1, 3)) * 60 + Number(net[2].slice(3))) * 60_000 : 0;
    return new Date(Number(net[1]) + offset).toISOString().slice(0, 10);
  }
  const iso = ISO_DATE.exec(text);
  if (!iso) return undefined;
  const day = iso[1]!;
  const ms = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(ms) && toDay(ms) === day ? day : undefined;
}

/** `YYYY-MM-DD` → the stored form `YYYY-MM-DDT00:00:00`. */
export function storedDate(day: string): string {
  return `${day}T00:00:00`;
}

/** The `YYYY-MM-DD` of a stored date or timestamp. */
export function dayOf(stored: string): string {
  return stored.slice(0, 10);
}

/** `day` moved by `days` calendar days (negative moves back). */
export function addDays(day: string, days: number): string {
  return toDay(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Adds calendar months, keeping the day of month where it exists and clamping to the month's end. */
export function addMonths(day: string, months: number, dayOfMonth = Number(day.slice(8, 10))): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7)) - 1 + months;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return toDay(Date.UTC(year, month, Math.min(dayOfMonth, last)));
}

function toDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
