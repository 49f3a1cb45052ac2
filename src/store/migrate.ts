import type Database from 'better-sqlite3';
import { AppError } from '../lib/errors';

/** One schema change, compiled into the code; applied once, in its own transaction. */
export interface Migration {
  id: number;
  name: string;
  sql: string;
  /**
   * The migration rebuilds tables other tables refer to (SQLite changes a CHECK only that way).
   * Foreign keys are then switched off around its transaction and every reference is checked
   * before it commits, as SQLite's own procedure for such changes says.
   * @see https://www.sqlite.org/lang_altertable.html#otheralter
   */
  rebuildsTables?: boolean;
}

/** Applies every migration newer than the database's, in order, each in one transaction. */
export function migrate(db: Database.Database, migrations: readonly Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const ids = migrations.map((m) => m.id);
  if (ids.some((id, i) => i > 0 && id <= ids[i - 1]!)) throw new AppError('internal', 'Migrations are not in ascending order.');
  const applied = new Set(db.prepare('SELECT id FROM schema_migrations').pluck().all() as number[]);
  const newest = Math.max(0, ...applied);
  if (newest > Math.max(0, ...ids)) {
    throw new AppError('unavailable', `The database was written by a newer version (schema ${newest}).`, { hint: 'Run the newer xero-proxy, or restore a backup.' });
  }
  const done: number[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;
    const foreignKeys = Number(db.pragma('foreign_keys', { simple: true }));
    // The pragma is ignored inside a transaction, so it is set around it.
    if (migration.rebuildsTables) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        if (migration.rebuildsTables && (db.pragma('foreign_key_check') as unknown[]).length > 0) {
          throw new AppError('internal', `Migration ${migration.id} (${migration.name}) would break references between tables; nothing was changed.`);
        }
        db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)').run(migration.id, migration.name, new Date().toISOString());
      }).immediate();
    } finally {
      if (migration.rebuildsTables) db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
    }
    done.push(migration.id);
  }
  return done;
}
