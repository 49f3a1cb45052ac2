import type { Db } from './db';

/** Records one sign-in attempt at `at` under each key (an address, an account). */
export function insertLoginAttempts(db: Db, keys: readonly string[], at: string): void {
  const insert = db.prepare('INSERT INTO login_attempts (key, attempted_at) VALUES (?, ?)');
  for (const key of keys) insert.run(key, at);
}

/** How many attempts `key` has after `after`, and when the first of them was. */
export function loginAttemptsAfter(db: Db, key: string, after: string): { count: number; firstAt: string | null } {
  return db.prepare('SELECT count(*) AS count, min(attempted_at) AS firstAt FROM login_attempts WHERE key = ? AND attempted_at > ?').get(key, after) as { count: number; firstAt: string | null };
}

/** Forgets every attempt of `key` (an address that signed in, an account whose password changed). */
export function deleteLoginAttempts(db: Db, key: string): number {
  return db.prepare('DELETE FROM login_attempts WHERE key = ?').run(key).changes;
}

/** Deletes attempts at or before `cutoff`, which no window counts any more; returns how many. */
export function deleteLoginAttemptsUpTo(db: Db, cutoff: string): number {
  return db.prepare('DELETE FROM login_attempts WHERE attempted_at <= ?').run(cutoff).changes;
}
