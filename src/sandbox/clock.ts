import type { Clock } from '../lib/clock';
import type { Db } from '../store/db';

/**
 * The sandbox's clock: real time plus an offset that `/sandbox/clock` moves forward, persisted
 * so a restarted sandbox keeps its time. Token expiry, nonces and rate windows all read it.
 */
export class SandboxClock implements Clock {
  #offsetMs: number;
  constructor(
    private readonly db: Db,
    private readonly base: Clock,
  ) {
    const row = db.prepare("SELECT value FROM meta WHERE name = 'clock_offset_ms'").get() as { value: string } | undefined;
    this.#offsetMs = row ? Number(row.value) : 0;
  }
  now(): Date {
    return new Date(this.base.now().getTime() + this.#offsetMs);
  }
  get offsetMs(): number {
    return this.#offsetMs;
  }
  advance(ms: number): void {
    this.#offsetMs += ms;
    this.db
      .prepare("INSERT INTO meta (name, value) VALUES ('clock_offset_ms', ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value")
      .run(String(this.#offsetMs));
  }
}
