import type { Statement } from 'better-sqlite3';
import type { Db } from './db';

const cache = new WeakMap<Db, Map<string, Statement>>();

/**
 * A prepared statement kept for the connection's life, for the statements the delivery loop
 * runs for every job of every call (marking 50 delivered, their history rows, the claim) and the
 * sandbox for every element of a batch: SQLite compiles each once instead of once per use. Only for statements used as they are: a cached
 * statement must never be switched to `pluck`, `raw` or `expand`, as the mode would stay for the
 * next caller.
 */
export function cachedStatement(db: Db, sql: string): Statement {
  let statements = cache.get(db);
  if (!statements) cache.set(db, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
}
