/**
 * Values shown on one page after a redirect (new recovery codes), held in memory only, so they
 * never travel in a URL, a log or the database. Each is taken once, by the slot that put it, and
 * is gone after `ttlMs` whether taken or not.
 */
export class ShownOnce<T> {
  readonly #held = new Map<string, { value: T; until: number }>();
  constructor(
    private readonly now: () => number,
    private readonly ttlMs: number,
  ) {}

  put(slot: string, value: T): void {
    for (const [key, held] of this.#held) if (held.until <= this.now()) this.#held.delete(key);
    this.#held.set(slot, { value, until: this.now() + this.ttlMs });
  }

  take(slot: string): T | undefined {
    const held = this.#held.get(slot);
    this.#held.delete(slot);
    return held && held.until > this.now() ? held.value : undefined;
  }
}
