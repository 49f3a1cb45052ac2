/**
 * Xero's default number sequence (INV-0001, INV-0002, …) as one request sees it: the highest
 * number in use is read from the store once, then followed as the request's own documents take
 * numbers, so a batch of 50 invoices reads the sequence once rather than sorting every number in
 * use 50 times (which made a long run of batches quadratic). Any change to an existing document
 * forgets what was read, as it may have changed a number; the next one reads the store again.
 */
export class NumberSequence {
  #highest: number | undefined;

  constructor(
    private readonly prefix: string,
    /** The highest number of the sequence in the store (0 when none). */
    private readonly readHighest: () => number,
  ) {}

  /** The number the next document takes, e.g. `INV-0043`. */
  next(): string {
    this.#highest ??= this.readHighest();
    return `${this.prefix}${String(this.#highest + 1).padStart(4, '0')}`;
  }

  /** A new document of the sequence was stored with `number` (given by the app, or by `next`). */
  taken(number: string | undefined): void {
    if (this.#highest === undefined || number === undefined || !number.startsWith(this.prefix)) return;
    const digits = number.slice(this.prefix.length);
    if (/^[0-9]+$/.test(digits)) this.#highest = Math.max(this.#highest, Number(digits));
  }

  /** An existing document changed: what was read no longer holds. */
  forget(): void {
    this.#highest = undefined;
  }
}
