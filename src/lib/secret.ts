import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A secret value that never serialises itself: JSON, string conversion and `util.inspect`
 * all show `[redacted]`, so a secret cannot reach a log line or an API answer by accident.
 * Read the value only where it is used, with `reveal()`.
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  get isEmpty(): boolean {
    return this.#value.length === 0;
  }
  toJSON(): string {
    return REDACTED;
  }
  toString(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}

export { REDACTED };
