/** A source of time for spacing renewals: milliseconds on some monotonic scale, and a way to wait. */
export interface RenewalTime {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Real time: monotonic, so a change of the wall clock neither bunches nor stalls renewals. */
export const realRenewalTime: RenewalTime = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Renewals a process starts in any one second, at most. */
export const RENEWALS_PER_SECOND = 5;

/**
 * Spaces the token renewals a process starts, a little over 1/`perSecond` of a second apart, in the
 * order they asked. A thousand organisations whose tokens fall due together (the proxy was off
 * for an hour, or they were all linked in one afternoon) are then refreshed over minutes rather
 * than in one burst at Xero's token endpoint, which limits clients as the API does. Even spacing
 * rather than a window of `perSecond` means no whole second ever holds more than `perSecond`.
 */
export class RenewalRate {
  readonly #gapMs: number;
  #nextAt = Number.NEGATIVE_INFINITY;
  #queue: Promise<void> = Promise.resolve();

  constructor(
    perSecond: number = RENEWALS_PER_SECOND,
    private readonly time: RenewalTime = realRenewalTime,
  ) {
    // A tenth more than 1/perSecond: a request held up a moment on its way (a busy event loop)
    // must not bring a sixth into one second at Xero.
    this.#gapMs = 1100 / perSecond;
  }

  /** Waits until this caller may start a renewal, after every caller that asked before it. */
  turn(): Promise<void> {
    const mine = this.#queue.then(() => this.#wait());
    this.#queue = mine.catch(() => undefined);
    return mine;
  }

  async #wait(): Promise<void> {
    for (;;) {
      const now = this.time.now();
      if (now >= this.#nextAt) {
        this.#nextAt = now + this.#gapMs;
        return;
      }
      await this.time.sleep(this.#nextAt - now);
    }
  }
}
