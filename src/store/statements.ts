import type { Statement } from 'better-sqlite3';
import type { Db } from './db';

const CACHES = new WeakMap<Db, Map<string, Statement>>();

/**
 * The prepared statement for `sql` on `db`, compiled once and kept for the connection's life.
 * Compiling a statement costs more than running a small one, so the hot paths take theirs from
 * here: the accept path (a handful per request), the delivery loop (marking 50 jobs delivered,
 * their history rows, the claim) and the sandbox (every element of a batch). Only for statements
 * run to completion (`get`, `run`, `all`), never `iterate`; and the same `sql` always in the same
 * mode, since a mode set by one caller (`pluck`, `raw`, `expand`) stays for the next.
 */
export function statement(db: Db, sql: string): Statement {
  let cache = CACHES.get(db);
  if (!cache) CACHES.set(db, (cache = new Map()));
  let prepared = cache.get(sql);
  if (!prepared) cache.set(sql, (prepared = db.prepare(sql)));
  return prepared;
}
