import type { RateLimit } from '../config/types';
import { headerValue } from '../domain/xero/http';
import type { XeroProblem } from '../domain/xero/problem';
import type { Clock } from '../lib/clock';
import { AppError } from '../lib/errors';
import { isoSeconds } from '../lib/retry-after';

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

/** How long to wait for leave to call, and how. */
export interface AcquireOptions {
  /** The longest this caller waits, in real time: a device's request must not hang. */
  waitMs: number;
  signal?: AbortSignal;
}

/**
 * Paces calls to Xero per organisation so its limits are never met, rather than reacting when
 * they are: a token bucket holding one call and refilled continuously at just under `perMinute` (calls are
 * spread evenly, so even Xero's fixed minute windows, wherever they start, never see more than
 * `perMinute`), at most `concurrency` in flight, and `perDay` per UTC day. A rate-limit answer
 * still pauses the organisation (`pause`), since other callers share Xero's budget. One Pacer
 * serves every caller in a process: the delivery loop, pass-through, reference reads. The minute
 * is 60 s unless `minuteMs` scales it, only to match a sandbox scaled alike (benchmarks).
 * @see PROTOCOL.md §3
 */
export class Pacer {
  readonly #lanes = new Map<string, Lane>();
  readonly #minuteMs: number;
  /** Xero's app-wide minute limit (all organisations together) was reported spent until then. */
  #appPausedUntil = 0;
  constructor(
    private readonly clock: Clock,
    private readonly limits: Pick<RateLimit, 'perMinute' | 'perDay' | 'concurrency'>,
    options: { minuteMs?: number | undefined } = {},
  ) {
    this.#minuteMs = options.minuteMs ?? 60_000;
    if (!Number.isInteger(this.#minuteMs) || this.#minuteMs < 1) throw new AppError('internal', 'The pacing minute must last a whole number of milliseconds, at least 1.');
  }

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
    if (lane.inFlight >= this.limits.concurrency) return { ok: false, until: new Date(now + 100), why: 'concurrency', message: `Xero takes ${this.limits.concurrency} calls at a time for this organisation.` };
    if (lane.tokens < 1) {
      const until = new Date(lane.refilledAt + Math.ceil((1 - lane.tokens) / this.#perMs()));
      return { ok: false, until, why: 'minute', message: `Calls to Xero for this organisation are spread to ${this.limits.perMinute} a minute.` };
    }
    return { ok: true };
  }

  /**
   * Counts a call that `check` allowed; the returned function ends it (frees its concurrency
   * slot). `allowedAt`, when `check` allowed it: the delivery loop claims its work in between (a
   * commit to disk), and dating the call from the claim's end would lose that time on every call
   * of a paced run, where no quiet spell gives it back.
   */
  begin(organisationId: string, allowedAt?: Date): () => void {
    const now = this.clock.now().getTime();
    const lane = this.#lane(organisationId, Math.min(now, allowedAt?.getTime() ?? now));
    lane.tokens -= 1;
    lane.dayCount += 1;
    lane.inFlight += 1;
    let ended = false;
    return () => {
      if (!ended) lane.inFlight -= 1;
      ended = true;
    };
  }

  /**
   * Waits for leave to call and takes it (the returned function ends the call), for callers that
   * can wait a little but not for long: a device's request, a scheduled refresh. When leave will
   * not come within `waitMs` it throws `rate_limited` at once, with the time to try again.
   */
  async acquire(organisationId: string, options: AcquireOptions): Promise<() => void> {
    // The budget is real time (how long a request hangs); the pacer's own times are the clock's.
    const deadline = performance.now() + options.waitMs;
    for (;;) {
      const verdict = this.check(organisationId);
      if (verdict.ok) return this.begin(organisationId);
      const waitMs = verdict.until.getTime() - this.clock.now().getTime();
      const left = deadline - performance.now();
      // Only a concurrency wait ends sooner than its estimate: when a call in flight returns.
      if (verdict.why === 'concurrency' ? left <= 0 : waitMs > left) throw pacedOut(verdict, waitMs);
      options.signal?.throwIfAborted();
      await sleep(Math.max(5, Math.min(waitMs, left, 250)));
    }
  }

  /** Counts a call made within another's leave (a resend after renewing the token), so the spacing stays true. */
  charge(organisationId: string): void {
    const lane = this.#lane(organisationId, this.clock.now().getTime());
    lane.tokens -= 1;
    lane.dayCount += 1;
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
   * zero (it only ever raises the count). `X-AppMinLimit-Remaining` at 0 means the app's minute
   * across every organisation is spent (OAuth 2.0's 10,000 a minute): every organisation waits
   * for the window, at most a minute, rather than each meeting a 429. An organisation's own
   * minute is already paced, and a 429 for it says exactly how long to wait (`Retry-After`).
   * Returns the day's remaining calls where Xero reported them.
   * @see PROTOCOL.md §3.2
   */
  observe(organisationId: string, headers: Record<string, string>): number | undefined {
    const now = this.clock.now().getTime();
    const count = (name: string) => {
      const value = Number(headerValue({ headers }, name) ?? Number.NaN);
      return Number.isInteger(value) && value >= 0 ? value : undefined;
    };
    const lane = this.#lane(organisationId, now);
    const day = count('x-daylimit-remaining');
    if (day !== undefined && day < this.limits.perDay) lane.dayCount = Math.max(lane.dayCount, this.limits.perDay - day);
    if (count('x-appminlimit-remaining') === 0) this.#appPausedUntil = Math.max(this.#appPausedUntil, now + this.#minuteMs);
    return day;
  }

  /**
   * The pause an organisation is in, if any, for people to read (the overview): Xero asked for
   * one (a rate limit), or the day's budget is spent. The short waits that spread calls over a
   * minute are not pauses. Reading it changes nothing.
   */
  pauseOf(organisationId: string): { until: Date; daily: boolean; message: string } | undefined {
    const lane = this.#lanes.get(organisationId);
    const now = this.clock.now().getTime();
    if (this.#appPausedUntil > now) return { until: new Date(this.#appPausedUntil), daily: false, message: "Xero's limit for this app across all organisations is used up for this minute." };
    if (!lane) return undefined;
    const today = new Date(now).toISOString().slice(0, 10);
    if (lane.pausedUntil > now) return { until: new Date(lane.pausedUntil), daily: lane.pauseIsDaily, message: lane.pauseMessage };
    if (lane.day === today && lane.dayCount >= this.limits.perDay) {
      const until = nextUtcMidnight(now);
      return { until, daily: true, message: `Xero's daily limit of ${this.limits.perDay} calls for this organisation is used up; sending resumes at ${isoSeconds(until)}.` };
    }
    return undefined;
  }

  // Xero counts a call when it arrives, the pacer when it begins: the time between (building the
  // batch, signing, the network) varies, so exact spacing could still land 61 arrivals in one of
  // Xero's fixed windows. Spacing calls a hundredth wider absorbs that much jitter (0.6 s in a
  // real minute, 20 ms in a 2 s scaled one) for a hundredth of the ceiling.
  #perMs(): number {
    return this.limits.perMinute / (this.#minuteMs * (1 + SPACING_MARGIN));
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

/** How much wider than an even share of the minute calls are spaced (see Pacer#perMs). */
export const SPACING_MARGIN = 0.01;

/** Why a call could not start: `rate_limited` (429), with when to try again (`Retry-After`). */
export class PacedOut extends AppError {
  declare readonly retryAfterSeconds: number;
  /** `retryAfterSeconds`: whole seconds until a call may start, at least 1. */
  constructor(message: string, retryAfterSeconds: number) {
    super('rate_limited', message, { retryable: true, retryAfterSeconds, hint: "The proxy spaces calls to stay within Xero's limits for the organisation; try again later." });
    this.name = 'PacedOut';
  }
}

function pacedOut(verdict: Exclude<PaceVerdict, { ok: true }>, waitMs: number): PacedOut {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  const again = `try again in ${seconds} second${seconds === 1 ? '' : 's'}`;
  switch (verdict.why) {
    case 'day':
      return new PacedOut(verdict.message, seconds);
    case 'paused':
      return new PacedOut(`Xero asked for a pause in calls for this organisation; ${again}.`, seconds);
    default:
      return new PacedOut(`${verdict.message.slice(0, -1)}, and other calls are ahead of this one; ${again}.`, seconds);
  }
}

/** What a rate-limit answer from Xero means: how long the organisation waits, and whether for the daily limit. */
export function rateLimitPause(problem: XeroProblem, now: Date): { until: Date; daily: boolean; message: string } {
  const daily = /^(daily|day)$/i.test(problem.rateLimitProblem ?? '');
  const until = problem.retryAfterSeconds !== undefined ? new Date(now.getTime() + problem.retryAfterSeconds * 1000) : daily ? nextUtcMidnight(now.getTime()) : new Date(now.getTime() + 60_000);
  const message = daily ? `Xero says this organisation's daily call limit is used up; sending resumes at ${isoSeconds(until)}.` : problem.message;
  return { until, daily, message };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The next turn of the UTC day after `ms`. */
export function nextUtcMidnight(ms: number): Date {
  const date = new Date(ms);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1));
}
