import type { Clock } from './clock';

/** What the limiter decided about one attempt. */
export type AttemptDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts attempts per key (a network address) in a sliding window and refuses once `max` is
 * reached. In memory: the proxy is one process, and a restart forgetting the counts is an
 * acceptable loss next to a database write per failed login.
 * @example const limiter = new AttemptLimiter(clock, { max: 5, windowMs: 15 * 60_000 });
 *          if (!limiter.take(address).allowed) return tooMany();
 */
export class AttemptLimiter {
  readonly #clock: Clock;
  readonly #max: number;
  readonly #windowMs: number;
  readonly #maxKeys: number;
  readonly #attempts = new Map<string, number[]>();

  constructor(clock: Clock, options: { max: number; windowMs: number; maxKeys?: number }) {
    this.#clock = clock;
    this.#max = options.max;
    this.#windowMs = options.windowMs;
    this.#maxKeys = options.maxKeys ?? 10_000;
  }

  /** Records an attempt for `key` if the window allows one more. */
  take(key: string): AttemptDecision {
    const now = this.#clock.now().getTime();
    const recent = this.#recent(key, now);
    if (recent.length >= this.#max) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((recent[0]! + this.#windowMs - now) / 1000)) };
    }
    recent.push(now);
    this.#attempts.set(key, recent);
    if (this.#attempts.size > this.#maxKeys) this.#prune(now);
    return { allowed: true, remaining: this.#max - recent.length };
  }

  /** Forgets `key`'s attempts (after a successful login). */
  reset(key: string): void {
    this.#attempts.delete(key);
  }

  #recent(key: string, now: number): number[] {
    return (this.#attempts.get(key) ?? []).filter((at) => at > now - this.#windowMs);
  }

  // Many addresses (a scan) must not grow memory without bound: drop those with no recent attempt.
  #prune(now: number): void {
    for (const [key, times] of this.#attempts) {
      if (times.every((at) => at <= now - this.#windowMs)) this.#attempts.delete(key);
    }
  }
}
