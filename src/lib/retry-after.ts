/** Whole seconds from `now` until `until`, rounded up and at least 1: what `Retry-After` carries. */
export function secondsUntil(now: Date, until: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
}

/**
 * A wait as a person reads it, rounded up: seconds under two minutes, else minutes.
 * @example waitInWords(900) // '15 minutes'
 */
export function waitInWords(seconds: number): string {
  if (seconds < 120) return `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

/** `2026-11-29T00:00:00Z`: an instant as people read it in messages. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * "try again in 14 minutes (after 2026-03-02T09:15:00Z)": the end of a sentence that refuses
 * something for now, with the same time `Retry-After` gives.
 */
export function tryAgainAfter(now: Date, until: Date): string {
  return `try again in ${waitInWords(secondsUntil(now, until))} (after ${isoSeconds(until)})`;
}
