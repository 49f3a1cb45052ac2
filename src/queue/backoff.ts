/** How long failed sends wait and when the queue gives up on them. */
export interface RetryPolicy {
  /** The first retry waits up to this long; each further one up to twice as long… */
  baseDelayMs: number;
  /** …but never more than this. */
  maxDelayMs: number;
  /** Claims of a job before it is dead (a look-up that fails counts; one that succeeds does not). */
  maxAttempts: number;
  /** The least wait before looking up a send whose outcome is unknown, so Xero has finished with it. */
  settleMs: number;
}

/**
 * Retries for about a day: with full jitter the mean wait is half the cap, so 10 doubling waits
 * (about 17 minutes in all) then 90 capped ones at a mean of 15 minutes add up to about 23 hours.
 */
export const DEFAULT_RETRY: RetryPolicy = { baseDelayMs: 2_000, maxDelayMs: 30 * 60_000, maxAttempts: 100, settleMs: 30_000 };

/**
 * Exponential backoff with full jitter: a uniformly random wait between zero and
 * min(cap, base · 2^(attempt − 1)), so many organisations' retries after an outage spread out
 * instead of arriving together.
 * @see https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.floor(random() * ceiling);
}
