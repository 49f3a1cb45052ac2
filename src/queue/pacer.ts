import type { RateLimit } from '../config/types';
import { headerValue } from '../domain/xero/http';
import type { Clock } from '../lib/clock';

/** Whether a call for an organisation may start now, and if not, when and why. */
export type PaceVerdict =
  | { ok: true }
  | {
      ok: false;
      until: Date;
      /** `day`: the daily budget is spent (jobs are told why); the others are short waits. */
      why: 'paused' | 'minute' | 'concurrency' | 'day';
      message: string;
    };

interface Lane {
  tokens: number;
  refilledAt: number;
  day: string;
  dayCount: number;
  inFlight: number;
  pausedUntil: number;
  pauseMessage: string;
  pauseIsDaily: boolean;
}

/**
 * Paces calls to Xero per organisation so its limits are never met, rather than reacting when
 * they are: a token bucket holding one call and refilled continuously at `perMinute` (calls are
 * spread evenly, so even Xero's fixed minute windows, wherever they start, never see more than
 * `perMinute`), at most `concurrency` in flight, and `perDay` per UTC day. A rate-limit answer
 * still pauses the organisation (`pause`), since other callers share Xero's budget.
 * @see PROTOCOL.md §3
 */
export class Pacer {
  readonly #lanes = new Map<string, Lane>();
  /** Xero's app-wide minute limit (all organisations together) was reported spent until then. */
  #appPausedUntil = 0;
  constructor(
    private readonly clock: Clock,
    private readonly limits: Pick<RateLimit, 'perMinute' | 'perDay' | 'concurrency'>,
  ) {}

  /** Whether a call for `organisationId` may start now. */
  check(organisationId: string): PaceVerdict {
    const now = this.clock.now().getTime();
    const lane = this.#lane(organisationId, now);
    if (this.#appPausedUntil > now) {
      return { ok: false, until: new Date(this.#appPausedUntil), why: 'paused', message: "Xero's limit for this app across all organisations (10,000 calls a minute) is used up for this minute." };
    }
    if (lane.pausedUntil > now) return { ok: false, until: new Date(lane.pausedUntil), why: lane.pauseIsDaily ? 'day' : 'paused', message: lane.pauseMessage };
    if (lane.dayCount >= this.limits.perDay) {
      const until = nextUtcMidnight(now);
      return { ok: false, until, why: 'day', message: `Xero's daily limit of ${this.limits.perDay} calls for this organisation is used up; sending resumes at ${isoSeconds(until)}.` };
    }
    if (lane.inFlight >= this.limits.concurrency) return { ok: false, until: new Date(now + 100), why: 'concurrency', message: 'Other calls for this organisation are in flight.' };
    if (lane.tokens < 1) {
      const until = new Date(lane.refilledAt + Math.ceil((1 - lane.tokens) / this.#perMs()));
      return { ok: false, until, why: 'minute', message: `Calls are spread to ${this.limits.perMinute} a minute.` };
    }
    return { ok: true };
  }

  /** Counts a call that `check` allowed; the returned function ends it (frees its concurrency slot). */
  begin(organisationId: string): () => void {
    const lane = this.#lane(organisationId, this.clock.now().getTime());
    lane.tokens -= 1;
    lane.dayCount += 1;
    lane.inFlight += 1;
    let ended = false;
    return () => {
      if (!ended) lane.inFlight -= 1;
      ended = true;
    };
  }

  /** Stops calls for one organisation until `until` (Xero answered a rate limit); others carry on. */
  pause(organisationId: string, until: Date, message: string, daily: boolean): void {
    const lane = this.#lane(organisationId, this.clock.now().getTime());
    if (until.getTime() <= lane.pausedUntil) return;
    Object.assign(lane, { pausedUntil: until.getTime(), pauseMessage: message, pauseIsDaily: daily });
  }

  /**
   * Learns from the limits Xero reports on every answer. `X-DayLimit-Remaining` says how much of
   * today's budget is spent, so a restart part-way through a day does not start counting from
   * zero (it only ever raises the count). `X-MinLimit-Remaining` and `X-AppMinLimit-Remaining`
   * at 0 mean other callers spent this organisation's minute, or the app's minute across every
   * organisation: calls wait for the window (at most a minute) rather than meet a 429.
   * @see PROTOCOL.md §3.2
   */
  observe(organisationId: string, headers: Record<string, string>): void {
    const now = this.clock.now().getTime();
    const count = (name: string) => {
      const value = Number(headerValue({ headers }, name) ?? Number.NaN);
      return Number.isInteger(value) && value >= 0 ? value : undefined;
    };
    const lane = this.#lane(organisationId, now);
    const day = count('x-daylimit-remaining');
    if (day !== undefined && day < this.limits.perDay) lane.dayCount = Math.max(lane.dayCount, this.limits.perDay - day);
    if (count('x-minlimit-remaining') === 0) this.pause(organisationId, new Date(now + 60_000), "Xero reports this organisation's minute limit used up (other apps share it); sending resumes within a minute.", false);
    if (count('x-appminlimit-remaining') === 0) this.#appPausedUntil = Math.max(this.#appPausedUntil, now + 60_000);
  }

  #perMs(): number {
    return this.limits.perMinute / 60_000;
  }

  #lane(organisationId: string, now: number): Lane {
    const day = new Date(now).toISOString().slice(0, 10);
    let lane = this.#lanes.get(organisationId);
    if (!lane) {
      lane = { tokens: 1, refilledAt: now, day, dayCount: 0, inFlight: 0, pausedUntil: 0, pauseMessage: '', pauseIsDaily: false };
      this.#lanes.set(organisationId, lane);
    }
    // One token at most: a quiet spell earns no burst.
    lane.tokens = Math.min(1, lane.tokens + Math.max(0, now - lane.refilledAt) * this.#perMs());
    lane.refilledAt = Math.max(lane.refilledAt, now);
    if (lane.day !== day) Object.assign(lane, { day, dayCount: 0 });
    return lane;
  }
}

/** The next turn of the UTC day after `ms`. */
export function nextUtcMidnight(ms: number): Date {
  const date = new Date(ms);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1));
}

/** `2026-11-29T00:00:00Z`: an instant as people read it in messages. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
