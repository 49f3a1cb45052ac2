import type Database from 'better-sqlite3';

/** One statement a database ran, with the arguments of its first run (EXPLAIN needs them bound). */
export interface RecordedStatement {
  sql: string;
  args: unknown[];
}

/**
 * Records every statement run on `db` (its SQL and the arguments it was first run with) while
 * started, by wrapping better-sqlite3's Statement methods. Statements prepared once and kept
 * (as some stores do) are caught as well as those prepared per call, which wrapping
 * `db.prepare` would miss. Only for tests: `stop` puts the methods back.
 */
export function recordStatements(db: Database.Database): { statements(): RecordedStatement[]; stop(): void } {
  // The statement class of `db`'s own native binding (the store may load another than the default).
  const prototype = Object.getPrototypeOf(db.prepare('SELECT 1')) as Record<string, (...args: unknown[]) => unknown>;
  const seen = new Map<string, RecordedStatement>();
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  for (const method of ['run', 'get', 'all', 'iterate'] as const) {
    const original = prototype[method]!;
    originals.set(method, original);
    prototype[method] = function (this: { source: string; database: unknown }, ...args: unknown[]) {
      if (this.database === db && !seen.has(this.source)) seen.set(this.source, { sql: this.source, args });
      return original.apply(this, args);
    };
  }
  return {
    statements: () => [...seen.values()],
    stop: () => {
      for (const [method, original] of originals) prototype[method] = original;
    },
  };
}
