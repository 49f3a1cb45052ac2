/** A source of the current time, injected so that rules and tests control it. */
export interface Clock {
  now(): Date;
}

/** The real wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until moved; for tests and the sandbox. */
export class ManualClock implements Clock {
  #ms: number;
  constructor(start: Date | string | number = Date.UTC(2026, 0, 1)) {
    this.#ms = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#ms);
  }
  advance(ms: number): void {
    this.#ms += ms;
  }
  set(at: Date | string | number): void {
    this.#ms = new Date(at).getTime();
  }
}

/** ISO-8601 UTC timestamp with milliseconds, the one format the stores use. */
export function isoNow(clock: Clock): string {
  return clock.now().toISOString();
}
