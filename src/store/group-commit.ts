import { AppError } from '../lib/errors';
import type { Db } from './db';

/** How many group commits there were and how many writes they held, since the connection opened. */
export interface GroupCommitStats {
  commits: number;
  /** Writes committed (or refused alone) in all. */
  writes: number;
  /** The most writes one commit held. */
  largest: number;
  /** Commits that held more than one write. */
  shared: number;
  /** Writes that threw and were rolled back alone, their commit going ahead without them. */
  refused: number;
}

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** The most writes in one transaction: a larger group waits for the next turn of the event loop. */
const MOST_PER_COMMIT = 256;

/**
 * Group commit for one connection. A `synchronous=FULL` commit costs a flush to disk however
 * little it holds, so writes that arrive together share one: each `add` joins the pending group,
 * and on the next turn of the event loop (`setImmediate`, after the sockets ready now were read,
 * never a timer) one `BEGIN IMMEDIATE` transaction runs them all, each in its own savepoint. A
 * write that throws is rolled back alone and refused alone; every other one is answered once the
 * commit that holds it has returned, so nothing is answered before it is durable. A write alone
 * waits for nothing but the end of the current turn. Side writes (`alongside`, e.g. when a device
 * was last seen) ride on the same commit, the latest per key, and are never anyone's answer.
 */
export class GroupCommit {
  readonly #db: Db;
  #pending: Pending[] = [];
  readonly #alongside = new Map<string, () => void>();
  #scheduled = false;
  readonly stats: GroupCommitStats = { commits: 0, writes: 0, largest: 0, shared: 0, refused: 0 };
  /** Told of a side write that failed (the group's own writes are not affected), or of a commit that failed. */
  onSideWriteError: (error: unknown) => void = () => undefined;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Runs `work` in the next group commit; resolves with its result once committed, or rejects with what it threw. */
  add<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.#schedule();
    });
  }

  /** Runs `write` in the next commit, replacing any write pending under the same `key`. */
  alongside(key: string, write: () => void): void {
    this.#alongside.set(key, write);
    this.#schedule();
  }

  /** Commits whatever is pending now, at once (a clean shutdown, before the database closes). */
  flush(): void {
    while (this.#pending.length > 0 || this.#alongside.size > 0) this.#commit();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (!this.#db.open) {
        for (const item of this.#pending.splice(0)) item.reject(new AppError('unavailable', 'The proxy is shutting down; send the request again in a moment.', { retryAfterSeconds: 5 }));
        return;
      }
      this.#commit();
      if (this.#pending.length > 0 || this.#alongside.size > 0) this.#schedule();
    });
  }

  #commit(): void {
    const group = this.#pending.splice(0, MOST_PER_COMMIT);
    const alongside = [...this.#alongside.values()];
    this.#alongside.clear();
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      this.#db
        .transaction(() => {
          for (const item of group) outcomes.push(this.#inSavepoint(item.work));
          for (const write of alongside) {
            const outcome = this.#inSavepoint(write);
            if (!outcome.ok) this.onSideWriteError(outcome.error);
          }
        })
        .immediate();
    } catch (error) {
      // The transaction did not commit (no write lock, a full disk): nothing of the group is
      // stored, and each of its requests is told to come again rather than of a fault.
      const refusal = new AppError('unavailable', 'The proxy could not store the request just now (its database did not take the write); send it again in a moment.', { retryAfterSeconds: 5, cause: error });
      for (const item of group) item.reject(refusal);
      this.onSideWriteError(error);
      return;
    }
    this.stats.commits++;
    this.stats.writes += group.length;
    this.stats.largest = Math.max(this.stats.largest, group.length);
    if (group.length > 1) this.stats.shared++;
    group.forEach((item, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) item.resolve(outcome.value);
      else {
        this.stats.refused++;
        item.reject(outcome.error);
      }
    });
  }

  /** Runs `work` in a savepoint of the group's transaction: rolled back alone if it throws. */
  #inSavepoint(work: () => unknown): { ok: true; value: unknown } | { ok: false; error: unknown } {
    try {
      return { ok: true, value: this.#db.transaction(work)() };
    } catch (error) {
      // An error SQLite ended the whole transaction for (SQLITE_FULL, an I/O error) ends the group.
      if (!this.#db.inTransaction) throw error;
      return { ok: false, error };
    }
  }
}

const GROUPS = new WeakMap<Db, GroupCommit>();

/** The group commit of a connection, made on first use. */
export function groupCommitOf(db: Db): GroupCommit {
  let group = GROUPS.get(db);
  if (!group) GROUPS.set(db, (group = new GroupCommit(db)));
  return group;
}
