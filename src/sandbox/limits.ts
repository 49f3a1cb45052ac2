import type { Clock } from '../lib/clock';
import { AppError } from '../lib/errors';
import type { SandboxLimits } from './deps';

export type LimitProblem = 'minute' | 'day' | 'concurrent';

export type Admission =
  | { ok: true; release: () => void; remaining: { minute: number; day: number } }
  | { ok: false; problem: LimitProblem; retryAfterSeconds: number };

interface Usage {
  minuteWindow: number;
  minuteCount: number;
  dayWindow: number;
  dayCount: number;
  inFlight: number;
}

/**
 * Xero's per-organisation limits: calls per minute and per day in fixed windows of the
 * sandbox clock, and calls in flight at once. A refused call does not count. The minute may be
 * scaled (`minuteMs`) so a benchmark meets the per-minute limit in seconds; the day is not.
 * @see PROTOCOL.md §3
 */
export class RateLimiter {
  readonly #usage = new Map<string, Usage>();
  readonly #minuteMs: number;
  constructor(
    private readonly clock: Clock,
    private limits: SandboxLimits,
    options: { minuteMs?: number | undefined } = {},
  ) {
    this.#minuteMs = options.minuteMs ?? 60_000;
    if (!Number.isInteger(this.#minuteMs) || this.#minuteMs < 1) throw new AppError('internal', 'The sandbox minute must last a whole number of milliseconds, at least 1.');
  }

  setLimits(limits: SandboxLimits): void {
    this.limits = limits;
  }

  get current(): SandboxLimits {
    return this.limits;
  }

  /** Admits one call for `organisationId`, or says which limit it hit and when to retry. */
  admit(organisationId: string): Admission {
    const now = this.clock.now().getTime();
    const minuteWindow = Math.floor(now / this.#minuteMs);
    const dayWindow = Math.floor(now / 86_400_000);
    const usage = this.#usage.get(organisationId) ?? { minuteWindow, minuteCount: 0, dayWindow, dayCount: 0, inFlight: 0 };
    if (usage.minuteWindow !== minuteWindow) Object.assign(usage, { minuteWindow, minuteCount: 0 });
    if (usage.dayWindow !== dayWindow) Object.assign(usage, { dayWindow, dayCount: 0 });
    this.#usage.set(organisationId, usage);
    if (usage.dayCount >= this.limits.perDay) {
      return { ok: false, problem: 'day', retryAfterSeconds: Math.ceil(((dayWindow + 1) * 86_400_000 - now) / 1000) };
    }
    if (usage.minuteCount >= this.limits.perMinute) {
      return { ok: false, problem: 'minute', retryAfterSeconds: Math.max(1, Math.ceil(((minuteWindow + 1) * this.#minuteMs - now) / 1000)) };
    }
    if (usage.inFlight >= this.limits.concurrency) return { ok: false, problem: 'concurrent', retryAfterSeconds: 1 };
    usage.minuteCount++;
    usage.dayCount++;
    usage.inFlight++;
    let released = false;
    return {
      ok: true,
      remaining: { minute: this.limits.perMinute - usage.minuteCount, day: this.limits.perDay - usage.dayCount },
      release: () => {
        if (!released) usage.inFlight--;
        released = true;
      },
    };
  }

  /** Forgets all usage, e.g. when the control API resets the sandbox. */
  reset(): void {
    this.#usage.clear();
  }
}
