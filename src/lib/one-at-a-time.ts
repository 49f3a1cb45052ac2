/**
 * Runs async work strictly one piece at a time, in arrival order. For password hashing: each
 * scrypt takes 128 MiB and most of a core, so parallel sign-ins must queue, not pile up.
 * @example const hashing = new OneAtATime(); const ok = await hashing.run(() => verify(password));
 */
export class OneAtATime {
  #tail: Promise<unknown> = Promise.resolve();
  #pending = 0;

  /** Pieces of work queued or running. */
  get pending(): number {
    return this.#pending;
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    this.#pending++;
    const result = this.#tail.then(work);
    // The next piece waits for this one whether it succeeds or fails.
    this.#tail = result.catch(() => undefined);
    return result.finally(() => this.#pending--);
  }
}
