import type { Statement } from 'better-sqlite3';
import type { Db } from './db';

const CACHES = new WeakMap<Db, Map<string, Statement>>();

/**
 * The prepared statement for `sql` on `db`, compiled once and kept for the connection's life.
 * Compiling a statement costs more than running a small one, so the accept path (which runs a
 * handful per request) takes its statements from here. Only for statements run to completion
 * (`get`, `run`, `all`), never `iterate`, and the same `sql` always in the same mode (`pluck`).
 */
export function statement(db: Db, sql: string): Statement {
  let cache = CACHES.get(db);
  if (!cache) CACHES.set(db, (cache = new Map()));
  let prepared = cache.get(sql);
  if (!prepared) cache.set(sql, (prepared = db.prepare(sql)));
  return prepared;
}
