/** Document dates: `YYYY-MM-DD`, optionally followed by `Thh:mm:ss` (and, for moments, an offset). */

const DAY_MS = 86_400_000;

/** The calendar day of a `YYYY-MM-DD…` date, as written. */
export function dayOf(date: string): string {
  return date.slice(0, 10);
}

/** Days from `start` to `end`, both included (1 when they are the same day). */
export function daysInPeriod(start: string, end: string): number {
  return Math.round((Date.parse(`${dayOf(end)}T00:00:00Z`) - Date.parse(`${dayOf(start)}T00:00:00Z`)) / DAY_MS) + 1;
}

/** Whether the date part of `YYYY-MM-DD…` is a day that exists (2024-02-30 does not). */
export function isCalendarDate(text: string): boolean {
  const [year, month, day] = [Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10))];
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, leaves years 0–99 alone.
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * A date as Xero's XSDs type it (`xs:dateTime`, no offset): `2024-05-31` becomes
 * `2024-05-31T00:00:00`; a date that already has its time of day is kept.
 * @see PROTOCOL.md §4.2 (dates)
 */
export function toXeroDate(date: string): string {
  return date.length === 10 ? `${date}T00:00:00` : date.slice(0, 19);
}

/** The day `days` after a `YYYY-MM-DD` day. */
export function addDay(day: string, days: number): string {
  return new Date(Date.parse(`${dayOf(day)}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
